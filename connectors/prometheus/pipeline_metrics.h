#pragma once

/// PipelineMetrics: the Prometheus metrics of one pipeline, as catalogued in
/// connectors/prometheus/README.md (an API: dashboards and alerting rules are built on it).
///
/// The pipeline thread owns the numbers: it counts as it always does, and publish() copies them
/// into the registry about once a second (and at the end of a run), so the hot path pays nothing
/// but observe_record_latency(), a bucket count in a plain array that publish() adds to the exported
/// histogram. scrape() may be called from any thread (the HTTP server's) and serializes the
/// registry, with the process metrics, in the text exposition format.
///
/// Labels stay bounded: partitions are those assigned now (a revoked partition's series is
/// removed), features those of the configured data-drift monitors, the rest from fixed lists.
///
/// Example (the pipeline thread):
///   PipelineMetrics metrics("fraud");
///   metrics.declare_monitors(*evaluator.monitor());
///   monitor->add_sink(&metrics.alert_sink());
///   ... per event: metrics.observe_record_latency(record.timestamp_ms, waited);
///   ... every second: metrics.publish(counts, evaluator); metrics.publish_consumer(stats);

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "monitors/alerts/alert_sink.h"
#include "stream/model_monitor.h"
#include "stream/prequential_evaluator.h"
#include "stream/reject_reason.h"

namespace prometheus {
class Registry;
}

namespace streamlearn::stream::features {
class FeatureStage;
}

namespace streamlearn::connectors {

class PipelineMetrics {
 public:
  /// Upper bounds of the event latency histogram's buckets, in seconds.
  static constexpr std::array<double, 16> kLatencyBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
  /// The same bounds in microseconds, compared on the hot path.
  static constexpr std::array<std::int64_t, 16> kLatencyBucketsUs = {
      1'000,   2'500,     5'000,     10'000,    25'000,     50'000,     100'000,    250'000,
      500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000, 30'000'000, 60'000'000, 300'000'000};

  /// The counts of a run so far, whatever its source.
  struct RunCounts {
    std::uint64_t records = 0;  // read from the source
    std::uint64_t events = 0;   // decoded and predicted
    const stream::RejectCounts* rejects = nullptr;
    std::uint64_t predictions = 0;  // published
    std::uint64_t delivery_failures = 0;
    std::uint64_t labels_matched = 0;
    std::uint64_t labels_unmatched = 0;
    std::uint64_t pending = 0;
    std::uint64_t pending_expired = 0;
    std::uint64_t pending_evicted = 0;
  };

  /// A Kafka consumer's state.
  struct ConsumerStats {
    struct Partition {
      std::string topic;
      std::int32_t partition = 0;
      std::int64_t lag = 0;  // records
    };
    std::vector<Partition> partitions;  // assigned now, with a known lag
    std::uint64_t commits = 0;
    std::uint64_t failed_commits = 0;
    std::uint64_t assignments = 0;
    std::uint64_t revocations = 0;
  };

  explicit PipelineMetrics(std::string pipeline);
  ~PipelineMetrics();
  PipelineMetrics(const PipelineMetrics&) = delete;
  PipelineMetrics& operator=(const PipelineMetrics&) = delete;

  // The pipeline thread.

  /// Creates the alert and drift series of every monitor at zero, so that the first alert is an
  /// increase (Prometheus cannot see the first value of a series appearing as a rise).
  void declare_monitors(const stream::ModelMonitor& monitor);
  /// Counts alerts by monitor and kind, and model replacements by action; add it to the monitor.
  monitors::AlertSink& alert_sink();
  /// The latency of an event predicted now whose record has timestamp `timestamp_ms`
  /// (milliseconds since the epoch). The wall clock is read afresh when the caller `waited` for
  /// the record (it may have been idle for long) and every kClockEvery records otherwise, so a
  /// latency may be short by the time the last few records took, never by an idle wait; a clock
  /// read per record would cost the hot path several percent.
  void observe_record_latency(std::int64_t timestamp_ms, bool waited) {
    if (waited || ++records_since_clock_ >= kClockEvery) {
      now_us_ = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
      records_since_clock_ = 0;
    }
    observe_latency_us(now_us_ - timestamp_ms * 1000);
  }
  /// One event's latency from its record's timestamp to its prediction.
  void observe_latency(double seconds) {
    observe_latency_us(static_cast<std::int64_t>(seconds * 1e6));
  }
  void publish(const RunCounts& counts, const stream::PrequentialEvaluator& evaluator);
  void publish_consumer(const ConsumerStats& stats);
  /// The counters of the model's window steps, by window name.
  void publish_windows(const stream::features::FeatureStage& stage);
  void set_ready(bool ready) { ready_.store(ready, std::memory_order_relaxed); }

  // Any thread.

  /// The text exposition format of every metric.
  std::string scrape() const;
  bool ready() const { return ready_.load(std::memory_order_relaxed); }
  /// Seconds since the pipeline thread last published (or since construction): the liveness
  /// signal, since a live pipeline publishes about every second even when idle.
  double seconds_since_publish() const;

 private:
  struct Families;
  class AlertCounter;

  void observe_latency_us(std::int64_t microseconds) {
    if (microseconds < 0) microseconds = 0;  // other machines' clocks may be ahead
    std::size_t bucket = 0;
    while (bucket < kLatencyBucketsUs.size() && microseconds > kLatencyBucketsUs[bucket]) ++bucket;
    ++latency_counts_[bucket];
    latency_sum_us_ += microseconds;
  }
  void publish_evaluator(const stream::PrequentialEvaluator& evaluator);
  void publish_monitor(const stream::ModelMonitor& monitor);

  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> families_;
  std::unique_ptr<AlertCounter> alert_counter_;
  static constexpr std::uint32_t kClockEvery = 16;
  std::int64_t now_us_ = 0;
  std::uint32_t records_since_clock_ = kClockEvery;  // the first record reads the clock
  std::array<std::uint64_t, kLatencyBuckets.size() + 1> latency_counts_{};
  std::int64_t latency_sum_us_ = 0;
  std::atomic<bool> ready_{false};
  std::atomic<std::int64_t> last_publish_ns_;  // steady clock
};

}  // namespace streamlearn::connectors
