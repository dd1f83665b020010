#pragma once

/// PipelineCheckpoints: when and where a pipeline checkpoints. It restores the newest valid
/// checkpoint of its directory at start (falling back past corrupt ones, reported), and writes
/// one when due: every `interval_ms` of wall-clock time, or every `every_events` events, whichever
/// comes first, checked between two events (write() forces one: at shutdown, on a partition
/// revoke). The payload is PipelineState's; the file handling CheckpointDirectory's.
///
///   auto checkpoints = PipelineCheckpoints::open(params, parts, save_position, load_position);
///   auto restored = (*checkpoints)->restore();   // before the first event
///   ... per event: if (core::Status s = (*checkpoints)->maybe_write(events); !s) fail(s);
///   ... at the end: (*checkpoints)->write();

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connectors/files/checkpoint_directory.h"
#include "connectors/files/model_registry.h"
#include "core/status.h"
#include "stream/pipeline_state.h"

namespace streamlearn::connectors {

class PipelineCheckpoints {
 public:
  struct Params {
    std::string directory;
    std::int64_t interval_ms = 10'000;  // 0: not by time
    std::uint64_t every_events = 0;     // 0: not by count
    std::size_t keep = 3;
  };

  struct Restored {
    bool resumed = false;  // false: no valid checkpoint, a fresh start
    std::string path;
    std::uint64_t events = 0;              // seen by the restored state
    std::vector<std::string> problems;     // corrupt checkpoints skipped
  };

  struct Counters {
    std::uint64_t written = 0;
    std::uint64_t failed = 0;  // writes that failed (each retried when the next one is due)
    std::uint64_t last_bytes = 0;
    double last_write_seconds = 0.0;  // serializing + writing + fsync
    double total_write_seconds = 0.0;
  };

  static core::Result<std::unique_ptr<PipelineCheckpoints>> open(
      Params params, stream::PipelineState::Parts parts,
      stream::PipelineState::SavePosition save_position,
      stream::PipelineState::LoadPosition load_position);

  /// Called before every write: make the outputs of the events so far durable (flush the
  /// dead-letter file, the alert sinks, the producer); no checkpoint is written when it fails,
  /// since a restore would skip events whose outputs are lost.
  void on_before_write(std::function<core::Status()> hook) { before_write_ = std::move(hook); }
  /// Records the model versions in `registry` (started by the caller after restore()): before
  /// every write it applies a rollback request that came, after it writes the serving model as
  /// `current` (ModelRegistry). A registry error fails the write. Null: none.
  void record_versions_in(ModelRegistry* registry) { registry_ = registry; }

  /// Restores the newest valid checkpoint into the parts; an error when one is valid but cannot
  /// be restored (another configuration): the pipeline must stop, not run on half restored.
  core::Result<Restored> restore();

  /// Writes a checkpoint if one is due, `events` being the events seen so far.
  core::Status maybe_write(std::uint64_t events) {
    if (params_.every_events > 0 && events >= next_events_) return write();
    if (params_.interval_ms > 0 && (events & kClockMask) == 0 && Clock::now() >= next_time_)
      return write();
    return core::Status::ok();
  }
  /// Writes a checkpoint now. After a failure the next one is due an interval (or every_events)
  /// later, as after a success.
  core::Status write();

  const Counters& counters() const { return counters_; }
  const std::string& directory() const { return directory_.path(); }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::uint64_t kClockMask = 255;  // the clock is read every 256 events

  PipelineCheckpoints(Params params, CheckpointDirectory directory,
                      stream::PipelineState::Parts parts,
                      stream::PipelineState::SavePosition save_position,
                      stream::PipelineState::LoadPosition load_position);
  void schedule_next();

  Params params_;
  CheckpointDirectory directory_;
  stream::PipelineState::Parts parts_;
  stream::PipelineState::SavePosition save_position_;
  stream::PipelineState::LoadPosition load_position_;
  std::function<core::Status()> before_write_;
  ModelRegistry* registry_ = nullptr;
  std::uint64_t next_events_ = 0;
  Clock::time_point next_time_;
  Counters counters_;
};

}  // namespace streamlearn::connectors
