#pragma once

/// KafkaRunner: the loop of `streamlearn run`: poll a record from the KafkaSource, let the
/// ServingPipeline apply it (predict, publish, learn), mark it processed; every
/// `commit_interval_ms` make the outputs durable (flush the producer and the alert sinks) and
/// commit the processed offsets. Nothing is committed before its outputs are delivered, so a
/// crash at any moment loses nothing: the records after the last commit are processed again
/// (their duplicate predictions are the only cost).
///
/// It stops when asked (the `stop` flag, set by SIGTERM / SIGINT), when the source reaches its
/// `until` condition, or on a failure. Stopping is graceful and bounded: no more fetching, the
/// record in hand is finished, the outputs are flushed (at most `shutdown_timeout_ms`), the
/// offsets committed and the group left (a commit refused then, say by a rebalance, is reported
/// but is no failure: the outputs were delivered). A failure (a fatal client error, an output
/// record that could not be delivered) stops the run without committing what was not applied; the
/// error says what happened. A commit that fails (a broker down) is retried at the next interval.
/// With checkpoints (checkpoint_with), a checkpoint of the whole state is written when due
/// (PipelineCheckpoints: interval / every N events, checked after each record), on every partition
/// revoke (inside the revoke, before the offsets are committed) and at a graceful stop or the end
/// of `until` (after the last record, before the group is left); each after the outputs are made
/// durable, and each followed by a commit of the same offsets. A checkpoint that cannot be written
/// (the flush or the file failing) is reported on stderr and counted, and the run goes on: the
/// previous checkpoint stays valid and the next one is tried when due; when output records were
/// lost the run stops as failed, as a failed commit does.
/// `rate_events_per_s` paces the records (a replay at a given speed). Metrics, when exported, are
/// published from this loop's thread (PipelineMetrics). Not thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "connectors/files/pipeline_checkpoints.h"
#include "connectors/kafka/kafka_producer.h"
#include "connectors/kafka/kafka_source.h"
#include "connectors/prometheus/pipeline_metrics.h"
#include "core/owner_thread_calls.h"
#include "core/status.h"
#include "monitors/alerts/alert_sink.h"
#include "stream/serving_pipeline.h"

namespace streamlearn::connectors {

class KafkaRunner {
 public:
  struct Params {
    std::int64_t commit_interval_ms = 1000;
    double rate_events_per_s = 0.0;  // 0: unpaced
    int commit_flush_timeout_ms = 10'000;
    int shutdown_timeout_ms = 30'000;
    std::int64_t progress_interval_ms = 5000;  // 0: no progress calls
  };

  enum class Stop : std::uint8_t { kRequested, kFinished, kFailed };

  /// Everything must outlive the runner.
  KafkaRunner(Params params, KafkaSource& source, KafkaProducer& producer,
              stream::ServingPipeline& pipeline, std::vector<monitors::AlertSink*> alert_sinks);

  /// Called every progress_interval_ms with the seconds since the start.
  void on_progress(std::function<void(double seconds)> progress) {
    progress_ = std::move(progress);
  }

  /// Publishes the run's metrics to `metrics` about every second and at the end (readiness: while
  /// partitions are assigned), and each event's latency from its record's timestamp.
  void export_metrics(PipelineMetrics* metrics) { metrics_ = metrics; }

  /// Serves `calls` (lookups of the pipeline's state from other threads) after every record and
  /// whenever idle; it must outlive the runner.
  void serve_calls(core::OwnerThreadCalls* calls) { calls_ = calls; }

  /// Checkpoints the state with `checkpoints` (it must outlive the runner; its on_before_write
  /// hook is set here); without, none.
  void checkpoint_with(PipelineCheckpoints* checkpoints);

  /// Runs until `stop` becomes true, the source finishes, or a failure (then error()).
  Stop run(const std::atomic<bool>& stop);

  const core::Status& error() const { return error_; }
  std::uint64_t records() const { return records_; }
  double seconds() const { return seconds_; }

 private:
  core::Status make_outputs_durable(int timeout_ms);
  /// Writes a checkpoint now (or when due, `forced` false); commits after one was written. An
  /// error only when the run must stop (outputs were lost).
  core::Status checkpoint(bool forced, const char* when);
  Stop shut_down(Stop reason);
  void publish_metrics(bool ready);

  Params params_;
  KafkaSource& source_;
  KafkaProducer& producer_;
  stream::ServingPipeline& pipeline_;
  std::vector<monitors::AlertSink*> alert_sinks_;
  std::function<void(double)> progress_;
  PipelineMetrics* metrics_ = nullptr;
  core::OwnerThreadCalls* calls_ = nullptr;
  PipelineCheckpoints* checkpoints_ = nullptr;
  core::Status error_ = core::Status::ok();
  bool outputs_lost_ = false;
  int flush_timeout_ms_ = 0;
  std::uint64_t records_ = 0;
  double seconds_ = 0.0;
};

}  // namespace streamlearn::connectors
