#include "connectors/kafka/kafka_runner.h"

#include <chrono>
#include <cstdio>
#include <thread>

namespace streamlearn::connectors {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPollTimeoutMs = 100;
// The clock is read every this many records (and whenever the source is idle).
constexpr std::uint64_t kClockEvery = 64;
constexpr std::chrono::milliseconds kMetricsInterval{1000};

}  // namespace

KafkaRunner::KafkaRunner(Params params, KafkaSource& source, KafkaProducer& producer,
                         stream::ServingPipeline& pipeline,
                         std::vector<monitors::AlertSink*> alert_sinks)
    : params_(params),
      source_(source),
      producer_(producer),
      pipeline_(pipeline),
      alert_sinks_(std::move(alert_sinks)),
      flush_timeout_ms_(params.commit_flush_timeout_ms) {
  source_.on_before_commit([this] { return make_outputs_durable(flush_timeout_ms_); });
}

core::Status KafkaRunner::make_outputs_durable(int timeout_ms) {
  for (monitors::AlertSink* sink : alert_sinks_) {
    if (core::Status status = sink->flush(); !status) {
      outputs_lost_ = true;
      return core::Status::error("alerts: " + status.message());
    }
  }
  const std::uint64_t failed_before = producer_.counters().failed;
  core::Status flushed = producer_.flush(timeout_ms);
  if (producer_.counters().failed > failed_before) outputs_lost_ = true;
  return flushed;
}

void KafkaRunner::checkpoint_with(PipelineCheckpoints* checkpoints) {
  checkpoints_ = checkpoints;
  if (checkpoints_ == nullptr) return;
  checkpoints_->on_before_write([this] { return make_outputs_durable(flush_timeout_ms_); });
  // Called from inside a poll, between two records: the state is that of the records processed.
  source_.on_revoke([this] { (void)checkpoint(true, "on partition revoke"); });
}

core::Status KafkaRunner::checkpoint(bool forced, const char* when) {
  const std::uint64_t written_before = checkpoints_->counters().written;
  const core::Status written = forced ? checkpoints_->write()
                                      : checkpoints_->maybe_write(pipeline_.evaluator().events());
  if (!written) {
    if (outputs_lost_)
      return core::Status::error("output records were lost; stopping without checkpointing or "
                                 "committing them (they are processed again after a restart): " +
                                 written.message());
    std::fprintf(stderr, "run: checkpoint %s failed: %s (the previous one stays; retrying when "
                 "the next is due)\n", when, written.message().c_str());
    return core::Status::ok();
  }
  if (checkpoints_->counters().written == written_before) return core::Status::ok();
  // The checkpoint holds these offsets: the group may as well (fewer duplicates for a member
  // without the checkpoint). A failed commit is retried at the commit interval.
  if (core::Status committed = source_.commit(); !committed)
    std::fprintf(stderr, "run: after a checkpoint, %s (retrying at the next commit)\n",
                 committed.message().c_str());
  return core::Status::ok();
}

KafkaRunner::Stop KafkaRunner::run(const std::atomic<bool>& stop) {
  const Clock::time_point start = Clock::now();
  Clock::time_point next_commit = start + std::chrono::milliseconds(params_.commit_interval_ms);
  Clock::time_point next_progress = start + std::chrono::milliseconds(params_.progress_interval_ms);
  Clock::time_point next_metrics = start;
  const bool paced = params_.rate_events_per_s > 0.0;
  Clock::time_point pace_start = start;
  stream::SourceRecord record;
  Stop result = Stop::kRequested;
  while (!stop.load(std::memory_order_relaxed)) {
    // Without waiting first: whether the record was waited for is what the latency needs.
    KafkaSource::Poll polled = source_.poll(0, record);
    const bool waited = polled == KafkaSource::Poll::kIdle;
    if (waited) {
      if (calls_ != nullptr) calls_->serve();
      polled = source_.poll(kPollTimeoutMs, record);
    }
    if (polled == KafkaSource::Poll::kFinished) {
      result = Stop::kFinished;
      break;
    }
    if (polled == KafkaSource::Poll::kFailed) {
      error_ = source_.error();
      result = Stop::kFailed;
      break;
    }
    if (polled == KafkaSource::Poll::kRecord) {
      pipeline_.process(record);
      if (metrics_ != nullptr && record.timestamp_ms != stream::Event::kNoTime)
        metrics_->observe_record_latency(record.timestamp_ms, waited);
      source_.mark_processed();
      ++records_;
      if (checkpoints_ != nullptr) {
        if (core::Status checkpointed = checkpoint(false, "when due"); !checkpointed) {
          error_ = checkpointed;
          result = Stop::kFailed;
          break;
        }
      }
      if (calls_ != nullptr) calls_->serve();
      if (paced) {
        // The pace counts from the first record, not from the start (joining the group takes
        // seconds, which must not turn into a burst).
        if (records_ == 1) pace_start = Clock::now();
        const auto due =
            pace_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                             static_cast<double>(records_ - 1) / params_.rate_events_per_s));
        if (Clock::now() < due) std::this_thread::sleep_until(due);
      }
      if (records_ % kClockEvery != 0) continue;
    }
    const Clock::time_point now = Clock::now();
    if (now >= next_commit) {
      if (core::Status committed = source_.commit(); !committed) {
        if (outputs_lost_) {
          error_ = core::Status::error(
              "output records were lost; stopping without committing "
              "them (they are processed again after a restart): " +
              committed.message());
          result = Stop::kFailed;
          break;
        }
        std::fprintf(stderr, "run: %s (retrying at the next commit)\n",
                     committed.message().c_str());
      }
      next_commit = Clock::now() + std::chrono::milliseconds(params_.commit_interval_ms);
    }
    if (metrics_ != nullptr && now >= next_metrics) {
      publish_metrics(source_.has_assignment());
      next_metrics = now + kMetricsInterval;
    }
    if (progress_ && params_.progress_interval_ms > 0 && now >= next_progress) {
      progress_(std::chrono::duration<double>(now - start).count());
      next_progress = now + std::chrono::milliseconds(params_.progress_interval_ms);
    }
  }
  seconds_ = std::chrono::duration<double>(Clock::now() - start).count();
  return shut_down(result);
}

void KafkaRunner::publish_metrics(bool ready) {
  metrics_->set_ready(ready);
  const stream::ServingPipeline::Counters& counters = pipeline_.counters();
  const stream::PendingPredictions& pending = pipeline_.pending();
  metrics_->publish({.records = records_,
                     .events = counters.events,
                     .rejects = &pipeline_.rejects(),
                     .predictions = counters.events,  // one per event
                     .delivery_failures = producer_.counters().failed,
                     .labels_matched = counters.labels_matched,
                     .labels_unmatched = counters.labels_unmatched,
                     .pending = pending.size(),
                     .pending_expired = pending.expired(),
                     .pending_evicted = pending.evicted()},
                    pipeline_.evaluator());
  PipelineMetrics::ConsumerStats consumer;
  const KafkaSource::Counters& source = source_.counters();
  consumer.commits = source.commits;
  consumer.failed_commits = source.failed_commits;
  consumer.assignments = source.assignments;
  consumer.revocations = source.revocations;
  source_.for_each_lag([&](const std::string& topic, std::int32_t partition, std::int64_t lag) {
    consumer.partitions.push_back({topic, partition, lag});
  });
  metrics_->publish_consumer(consumer);
  if (const stream::features::FeatureStage* features = pipeline_.features())
    metrics_->publish_windows(*features);
}

KafkaRunner::Stop KafkaRunner::shut_down(Stop reason) {
  if (metrics_ != nullptr) metrics_->set_ready(false);
  if (reason == Stop::kFailed && outputs_lost_) {
    // Committing now would acknowledge records whose outputs are gone.
    source_.discard_uncommitted();
    (void)source_.close();
    return reason;
  }
  flush_timeout_ms_ = params_.shutdown_timeout_ms;
  if (checkpoints_ != nullptr && reason != Stop::kFailed) {
    // After the last record, before the group is left (whose revoke writes none).
    if (core::Status checkpointed = checkpoint(true, "at shutdown"); !checkpointed) {
      error_ = checkpointed;
      source_.discard_uncommitted();
      (void)source_.close();
      return Stop::kFailed;
    }
  }
  // Not a failure: every output was delivered; the next owner of the partitions processes the
  // records after the last commit again (at-least-once).
  if (core::Status closed = source_.close(); !closed)
    std::fprintf(stderr, "run: at shutdown, %s (those records will be processed again)\n",
                 closed.message().c_str());
  if (metrics_ != nullptr) publish_metrics(false);
  return reason;
}

}  // namespace streamlearn::connectors
