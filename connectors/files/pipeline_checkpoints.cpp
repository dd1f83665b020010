#include "connectors/files/pipeline_checkpoints.h"

#include <utility>

namespace streamlearn::connectors {

core::Result<std::unique_ptr<PipelineCheckpoints>> PipelineCheckpoints::open(
    Params params, stream::PipelineState::Parts parts,
    stream::PipelineState::SavePosition save_position,
    stream::PipelineState::LoadPosition load_position) {
  if (params.interval_ms < 0)
    return core::Status::error("checkpoint interval " + std::to_string(params.interval_ms) +
                               " ms is negative");
  auto directory = CheckpointDirectory::open({.path = params.directory, .keep = params.keep});
  if (!directory) return directory.status();
  return std::unique_ptr<PipelineCheckpoints>(
      new PipelineCheckpoints(std::move(params), std::move(*directory), std::move(parts),
                              std::move(save_position), std::move(load_position)));
}

PipelineCheckpoints::PipelineCheckpoints(Params params, CheckpointDirectory directory,
                                         stream::PipelineState::Parts parts,
                                         stream::PipelineState::SavePosition save_position,
                                         stream::PipelineState::LoadPosition load_position)
    : params_(std::move(params)),
      directory_(std::move(directory)),
      parts_(std::move(parts)),
      save_position_(std::move(save_position)),
      load_position_(std::move(load_position)) {
  schedule_next();
}

void PipelineCheckpoints::schedule_next() {
  next_events_ = parts_.evaluator->events() + params_.every_events;
  next_time_ = Clock::now() + std::chrono::milliseconds(params_.interval_ms);
}

core::Result<PipelineCheckpoints::Restored> PipelineCheckpoints::restore() {
  Restored restored;
  auto latest = directory_.read_latest(restored.problems);
  if (!latest) return latest.status();
  if (!latest->has_value()) return restored;
  const CheckpointDirectory::Checkpoint& checkpoint = **latest;
  if (core::Status loaded = stream::PipelineState::load(checkpoint.payload, parts_, load_position_);
      !loaded)
    return core::Status::error("cannot restore the checkpoint '" + checkpoint.path +
                               "': " + loaded.message());
  restored.resumed = true;
  restored.path = checkpoint.path;
  restored.events = parts_.evaluator->events();
  schedule_next();
  return restored;
}

core::Status PipelineCheckpoints::write() {
  const Clock::time_point start = Clock::now();
  // A failure is retried when the next checkpoint is due, not at once (a caller that runs on).
  if (registry_) {
    if (core::Status recorded = registry_->before_checkpoint(); !recorded) {
      ++counters_.failed;
      schedule_next();
      return core::Status::error("no checkpoint written: " + recorded.message());
    }
  }
  if (before_write_) {
    if (core::Status durable = before_write_(); !durable) {
      ++counters_.failed;
      schedule_next();
      return core::Status::error("no checkpoint written: " + durable.message());
    }
  }
  const std::string payload = stream::PipelineState::save(parts_, save_position_);
  auto written = directory_.write(payload);
  if (!written) {
    ++counters_.failed;
    schedule_next();
    return written.status();
  }
  if (registry_) {
    // The checkpoint is written; the next one will be due as after any write.
    if (core::Status recorded = registry_->after_checkpoint(); !recorded) {
      ++counters_.written;
      schedule_next();
      return core::Status::error("checkpoint written, but " + recorded.message());
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ++counters_.written;
  counters_.last_bytes = payload.size() + CheckpointDirectory::kHeaderSize;
  counters_.last_write_seconds = seconds;
  counters_.total_write_seconds += seconds;
  schedule_next();
  return core::Status::ok();
}

}  // namespace streamlearn::connectors
