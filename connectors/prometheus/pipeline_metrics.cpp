#include "connectors/prometheus/pipeline_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string_view>
#include <type_traits>
#include <utility>

#include "connectors/prometheus/build_info.h"
#include "connectors/prometheus/process_metrics.h"
#include "monitors/alerts/alert.h"
#include "stream/features/feature_stage.h"

namespace streamlearn::connectors {
namespace {

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::Labels;

/// A Prometheus counter following one of our cumulative counts.
struct MirroredCounter {
  Counter* counter = nullptr;
  std::uint64_t published = 0;

  void set(std::uint64_t total) {
    if (total <= published) return;
    counter->Increment(static_cast<double>(total - published));
    published = total;
  }
};

/// Registers the metric families, every one with the constant label `pipeline`.
class Builder {
 public:
  Builder(prometheus::Registry& registry, std::string pipeline)
      : registry_(registry), constant_{{"pipeline", std::move(pipeline)}} {}

  Family<Counter>& counters(const std::string& name, const std::string& help) {
    return prometheus::BuildCounter().Name(name).Help(help).Labels(constant_).Register(registry_);
  }
  Family<Gauge>& gauges(const std::string& name, const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Labels(constant_).Register(registry_);
  }
  Family<Histogram>& histograms(const std::string& name, const std::string& help) {
    return prometheus::BuildHistogram().Name(name).Help(help).Labels(constant_).Register(registry_);
  }
  /// A family with one unlabelled counter.
  MirroredCounter counter(const std::string& name, const std::string& help) {
    return {&counters(name, help).Add({}), 0};
  }
  Gauge& gauge(const std::string& name, const std::string& help) {
    return gauges(name, help).Add({});
  }

 private:
  prometheus::Registry& registry_;
  Labels constant_;
};

std::string drift_key(std::string_view monitor, std::string_view feature,
                      std::string_view statistic) {
  std::string key;
  key.reserve(monitor.size() + feature.size() + statistic.size() + 2);
  key.append(monitor).append(1, '\0').append(feature).append(1, '\0').append(statistic);
  return key;
}

}  // namespace

struct PipelineMetrics::Families {
  Families(prometheus::Registry& registry, std::string pipeline)
      : b(registry, std::move(pipeline)),
        build_info(b.gauges("streamlearn_build_info",
                            "The binary serving: its version and git commit (value 1).")),
        ready(b.gauge("streamlearn_ready", "1 while the pipeline is consuming (as /readyz).")),
        records(b.counter("streamlearn_records_consumed_total",
                          "Source records read (Kafka records, file rows).")),
        events(b.counter("streamlearn_events_processed_total", "Events decoded and predicted.")),
        rejected(b.counters("streamlearn_events_rejected_total",
                            "Records rejected (sent to the dead-letter output), by reason.")),
        latency(b.histograms("streamlearn_event_latency_seconds",
                             "From a record's timestamp (Kafka's) to its prediction.")
                    .Add({}, Histogram::BucketBoundaries(kLatencyBuckets.begin(),
                                                         kLatencyBuckets.end()))),
        lag(b.gauges("streamlearn_consumer_lag_records",
                     "A partition's high watermark minus the next offset to process.")),
        predictions(b.counter("streamlearn_predictions_total", "Predictions published.")),
        delivery_failures(
            b.counter("streamlearn_output_delivery_failures_total",
                      "Output records (predictions, dead letters, alerts) not delivered.")),
        scored(b.counter("streamlearn_scored_predictions_total",
                         "Predictions scored against their label.")),
        labels_matched(b.counter("streamlearn_labels_matched_total",
                                 "Label records matched to their pending prediction.")),
        labels_unmatched(
            b.counter("streamlearn_labels_unmatched_total",
                      "Label records with no pending prediction (expired, evicted or unseen).")),
        pending(b.gauge("streamlearn_pending_predictions", "Predictions waiting for their label.")),
        expired(b.counter("streamlearn_pending_predictions_expired_total",
                          "Pending predictions dropped after the label TTL.")),
        evicted(b.counter("streamlearn_pending_predictions_evicted_total",
                          "Pending predictions dropped because the buffer was full.")),
        model_metric(b.gauges("streamlearn_model_metric",
                              "Model quality by metric and window (cumulative, rolling).")),
        model_version(b.gauge("streamlearn_model_version",
                              "The model version serving (1 at start, +1 per replacement).")),
        replacements(b.counters("streamlearn_model_replacements_total",
                                "Models replaced by a drift action (reset or swap).")),
        challenger_metric(b.gauges("streamlearn_challenger_metric",
                                   "The compared metric of the serving model (role champion) and "
                                   "the challenger (role challenger) over the comparison window.")),
        challenger_promotions(b.counter("streamlearn_challenger_promotions_total",
                                        "Challengers promoted to serve (automatically or by "
                                        "hand).")),
        drift_statistic(b.gauges("streamlearn_data_drift_statistic",
                                 "The statistics of a data-drift monitor's last closed window.")),
        drift_threshold(
            b.gauges("streamlearn_data_drift_threshold",
                     "The alerting threshold of a data-drift monitor's watched statistic.")),
        concept_warning(
            b.gauges("streamlearn_concept_drift_warning",
                     "1 while the concept-drift detector is in its warning zone, else 0.")),
        concept_warnings(b.counters("streamlearn_concept_drift_warnings_total",
                                    "Warning episodes of the concept-drift detector.")),
        concept_drifts(b.counters("streamlearn_concept_drifts_total",
                                  "Drifts flagged by the concept-drift detector.")),
        alerts(b.counters("streamlearn_alerts_total", "Alerts fired, by monitor and kind.")),
        commits(b.counters("streamlearn_offset_commits_total",
                           "Offset commits by result (ok, failed).")),
        rebalances(b.counters("streamlearn_consumer_rebalances_total",
                              "Partition assignment changes (assigned, revoked).")),
        window_events(b.counters("streamlearn_window_events_total",
                                 "Events a window step applied or found late, by window.")),
        window_late(b.counters("streamlearn_window_late_events_total",
                               "Events arriving after their window closed, by window.")),
        window_keys(b.gauges("streamlearn_window_keys", "Keys a window step holds state for.")),
        window_bytes(b.gauges("streamlearn_window_state_bytes",
                              "A window step's state: keys held times its bytes per key.")),
        window_keys_dropped(
            b.counters("streamlearn_window_keys_dropped_total",
                       "Keys whose state a window step dropped, by reason (closed, expired, "
                       "evicted).")) {
    build_info
        .Add({{"version", std::string(build_version())},
              {"git_commit", std::string(build_git_commit())}})
        .Set(1);
    for (std::size_t i = 0; i < stream::kRejectReasonNames.size(); ++i)
      reject_reasons[i].counter =
          &rejected.Add({{"reason", std::string(stream::kRejectReasonNames[i])}});
    reset.counter = &replacements.Add({{"action", "reset"}});
    swap.counter = &replacements.Add({{"action", "swap"}});
    commits_ok.counter = &commits.Add({{"result", "ok"}});
    commits_failed.counter = &commits.Add({{"result", "failed"}});
    assigned.counter = &rebalances.Add({{"change", "assigned"}});
    revoked.counter = &rebalances.Add({{"change", "revoked"}});
    model_version.Set(1);
  }

  Counter& alerts_of(const std::string& monitor, monitors::AlertKind kind) {
    auto key = std::make_pair(monitor, std::string(monitors::alert_kind_name(kind)));
    auto found = alerts_by_monitor.find(key);
    if (found != alerts_by_monitor.end()) return *found->second;
    Counter& counter = alerts.Add({{"monitor", key.first}, {"kind", key.second}});
    alerts_by_monitor.emplace(std::move(key), &counter);
    return counter;
  }

  Builder b;
  Family<Gauge>& build_info;
  Gauge& ready;
  MirroredCounter records;
  MirroredCounter events;
  Family<Counter>& rejected;
  std::array<MirroredCounter, stream::kRejectReasonNames.size()> reject_reasons;
  Histogram& latency;
  Family<Gauge>& lag;
  std::map<std::pair<std::string, std::int32_t>, Gauge*> lag_by_partition;
  MirroredCounter predictions;
  MirroredCounter delivery_failures;
  MirroredCounter scored;
  MirroredCounter labels_matched;
  MirroredCounter labels_unmatched;
  Gauge& pending;
  MirroredCounter expired;
  MirroredCounter evicted;
  Family<Gauge>& model_metric;
  std::map<std::string, Gauge*, std::less<>> model_metric_by_name;
  Gauge& model_version;
  Family<Counter>& replacements;
  MirroredCounter reset;
  MirroredCounter swap;
  Family<Gauge>& challenger_metric;
  MirroredCounter challenger_promotions;
  Gauge* champion_value = nullptr;  // created on the first publish with a challenger
  Gauge* challenger_value = nullptr;
  Family<Gauge>& drift_statistic;
  Family<Gauge>& drift_threshold;
  std::map<std::string, Gauge*, std::less<>> drift_statistics;  // by drift_key
  std::map<std::string, Gauge*, std::less<>> drift_thresholds;  // by drift_key
  Family<Gauge>& concept_warning;
  Family<Counter>& concept_warnings;
  Family<Counter>& concept_drifts;
  Family<Counter>& alerts;
  std::map<std::pair<std::string, std::string>, Counter*> alerts_by_monitor;
  Family<Counter>& commits;
  MirroredCounter commits_ok;
  MirroredCounter commits_failed;
  Family<Counter>& rebalances;
  MirroredCounter assigned;
  MirroredCounter revoked;
  Family<Counter>& window_events;
  Family<Counter>& window_late;
  Family<Gauge>& window_keys;
  Family<Gauge>& window_bytes;
  Family<Counter>& window_keys_dropped;
  struct WindowSeries {
    MirroredCounter events, late, closed, expired, evicted;
    Gauge* keys = nullptr;
    Gauge* bytes = nullptr;
  };
  std::map<std::string, WindowSeries, std::less<>> windows;  // by window name
  // The concept-drift monitor's series (one monitor per pipeline, created on first publish).
  Gauge* warning_state = nullptr;
  MirroredCounter warnings;
  MirroredCounter drifts;
};

/// Counts alerts as the monitor publishes them (rare: straight into the registry).
class PipelineMetrics::AlertCounter final : public monitors::AlertSink {
 public:
  explicit AlertCounter(Families& families) : families_(families) {}

  void publish(const monitors::Alert& alert) override {
    families_.alerts_of(alert.monitor, alert.kind).Increment();
    if (alert.model_action == "reset") families_.reset.counter->Increment();
    if (alert.model_action == "swap") families_.swap.counter->Increment();
  }
  core::Status flush() override { return core::Status::ok(); }

 private:
  Families& families_;
};

PipelineMetrics::PipelineMetrics(std::string pipeline)
    : registry_(std::make_shared<prometheus::Registry>()),
      families_(std::make_unique<Families>(*registry_, std::move(pipeline))),
      alert_counter_(std::make_unique<AlertCounter>(*families_)),
      last_publish_ns_(steady_now_ns()) {}

PipelineMetrics::~PipelineMetrics() = default;

void PipelineMetrics::declare_monitors(const stream::ModelMonitor& monitor) {
  for (const auto& [name, kind] : monitor.alerting_monitors())
    (void)families_->alerts_of(name, kind);
}

monitors::AlertSink& PipelineMetrics::alert_sink() { return *alert_counter_; }

void PipelineMetrics::publish(const RunCounts& counts,
                              const stream::PrequentialEvaluator& evaluator) {
  Families& f = *families_;
  f.ready.Set(ready() ? 1.0 : 0.0);
  f.records.set(counts.records);
  f.events.set(counts.events);
  if (counts.rejects != nullptr) {
    for (std::size_t i = 0; i < f.reject_reasons.size(); ++i)
      f.reject_reasons[i].set(counts.rejects->count(static_cast<stream::RejectReason>(i)));
  }
  f.predictions.set(counts.predictions);
  f.delivery_failures.set(counts.delivery_failures);
  f.labels_matched.set(counts.labels_matched);
  f.labels_unmatched.set(counts.labels_unmatched);
  f.pending.Set(static_cast<double>(counts.pending));
  f.expired.set(counts.pending_expired);
  f.evicted.set(counts.pending_evicted);

  std::vector<double> increments(latency_counts_.begin(), latency_counts_.end());
  bool observed = false;
  for (std::uint64_t& count : latency_counts_) {
    observed |= count != 0;
    count = 0;
  }
  if (observed) f.latency.ObserveMultiple(increments, static_cast<double>(latency_sum_us_) / 1e6);
  latency_sum_us_ = 0;

  publish_evaluator(evaluator);
  last_publish_ns_.store(steady_now_ns(), std::memory_order_relaxed);
}

double PipelineMetrics::seconds_since_publish() const {
  return static_cast<double>(steady_now_ns() - last_publish_ns_.load(std::memory_order_relaxed)) /
         1e9;
}

void PipelineMetrics::publish_evaluator(const stream::PrequentialEvaluator& evaluator) {
  Families& f = *families_;
  f.scored.set(evaluator.scored());
  f.model_version.Set(static_cast<double>(evaluator.model_version()));
  std::vector<std::pair<std::string, double>> report;
  evaluator.report(report);
  constexpr std::string_view kRolling = "rolling_";
  for (const auto& [name, value] : report) {
    auto found = f.model_metric_by_name.find(name);
    if (found == f.model_metric_by_name.end()) {
      const bool rolling = name.starts_with(kRolling);
      Gauge& gauge = f.model_metric.Add({{"metric", rolling ? name.substr(kRolling.size()) : name},
                                         {"window", rolling ? "rolling" : "cumulative"}});
      found = f.model_metric_by_name.emplace(name, &gauge).first;
    }
    found->second->Set(value);
  }
  if (const stream::Challenger* challenger = evaluator.challenger()) {
    if (f.champion_value == nullptr) {
      const std::string& metric = challenger->params().metric;
      f.champion_value = &f.challenger_metric.Add({{"metric", metric}, {"role", "champion"}});
      f.challenger_value = &f.challenger_metric.Add({{"metric", metric}, {"role", "challenger"}});
    }
    f.champion_value->Set(challenger->champion_value());
    f.challenger_value->Set(challenger->challenger_value());
    f.challenger_promotions.set(challenger->promotions());
  }
  if (const stream::ModelMonitor* monitor = evaluator.monitor()) publish_monitor(*monitor);
}

void PipelineMetrics::publish_monitor(const stream::ModelMonitor& monitor) {
  Families& f = *families_;
  if (const monitors::ConceptDriftMonitor* concept_monitor = monitor.concept_monitor()) {
    if (f.warning_state == nullptr) {
      const Labels labels = {{"monitor", concept_monitor->monitor()}};
      f.warning_state = &f.concept_warning.Add(labels);
      f.warnings.counter = &f.concept_warnings.Add(labels);
      f.drifts.counter = &f.concept_drifts.Add(labels);
    }
    f.warning_state->Set(concept_monitor->in_warning() ? 1.0 : 0.0);
    f.warnings.set(concept_monitor->warnings());
    f.drifts.set(concept_monitor->drifts());
  }
  for (const monitors::DataDriftMonitor* drift : monitor.data_drift_monitors()) {
    // Prediction drift watches no feature: its series are named `prediction`.
    const std::string& feature =
        drift->feature().empty() ? std::string("prediction") : drift->feature();
    for (const auto& [statistic, value] : drift->last_statistics()) {
      const std::string key = drift_key(drift->monitor(), feature, statistic);
      auto found = f.drift_statistics.find(key);
      if (found == f.drift_statistics.end()) {
        Gauge& gauge = f.drift_statistic.Add(
            {{"monitor", drift->monitor()}, {"feature", feature}, {"statistic", statistic}});
        found = f.drift_statistics.emplace(key, &gauge).first;
      }
      found->second->Set(value);
    }
    const std::string key = drift_key(drift->monitor(), feature, drift->statistic());
    if (!f.drift_thresholds.contains(key)) {
      Gauge& gauge = f.drift_threshold.Add(
          {{"monitor", drift->monitor()}, {"feature", feature}, {"statistic", drift->statistic()}});
      gauge.Set(drift->threshold());
      f.drift_thresholds.emplace(key, &gauge);
    }
  }
}

void PipelineMetrics::publish_consumer(const ConsumerStats& stats) {
  Families& f = *families_;
  f.commits_ok.set(stats.commits);
  f.commits_failed.set(stats.failed_commits);
  f.assigned.set(stats.assignments);
  f.revoked.set(stats.revocations);
  // Partitions no longer assigned lose their series (their lag is another process's now).
  std::map<std::pair<std::string, std::int32_t>, Gauge*> current;
  for (const ConsumerStats::Partition& partition : stats.partitions) {
    auto key = std::make_pair(partition.topic, partition.partition);
    Gauge* gauge = nullptr;
    if (auto found = f.lag_by_partition.find(key); found != f.lag_by_partition.end()) {
      gauge = found->second;
      f.lag_by_partition.erase(found);
    } else {
      gauge = &f.lag.Add(
          {{"topic", partition.topic}, {"partition", std::to_string(partition.partition)}});
    }
    gauge->Set(static_cast<double>(partition.lag));
    current.emplace(std::move(key), gauge);
  }
  for (const auto& [key, gauge] : f.lag_by_partition) f.lag.Remove(gauge);
  f.lag_by_partition = std::move(current);
}

void PipelineMetrics::publish_windows(const stream::features::FeatureStage& stage) {
  Families& f = *families_;
  for (const stream::features::WindowOperator& window : stage.windows()) {
    const std::string& name = window.spec().name;
    auto found = f.windows.find(name);
    if (found == f.windows.end()) {
      const Labels labels = {{"window", name}};
      Families::WindowSeries series;
      series.events.counter = &f.window_events.Add(labels);
      series.late.counter = &f.window_late.Add(labels);
      series.keys = &f.window_keys.Add(labels);
      series.bytes = &f.window_bytes.Add(labels);
      series.closed.counter = &f.window_keys_dropped.Add({{"window", name}, {"reason", "closed"}});
      series.expired.counter =
          &f.window_keys_dropped.Add({{"window", name}, {"reason", "expired"}});
      series.evicted.counter =
          &f.window_keys_dropped.Add({{"window", name}, {"reason", "evicted"}});
      found = f.windows.emplace(name, series).first;
    }
    Families::WindowSeries& series = found->second;
    const stream::features::WindowOperator::Counters counters = window.counters();
    series.events.set(counters.events);
    series.late.set(counters.late);
    series.closed.set(counters.keys.closed);
    series.expired.set(counters.keys.expired);
    series.evicted.set(counters.keys.evicted);
    series.keys->Set(static_cast<double>(window.num_keys()));
    series.bytes->Set(static_cast<double>(window.num_keys() * window.bytes_per_key()));
  }
}

std::string PipelineMetrics::scrape() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  append_process_metrics(families);
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace streamlearn::connectors
