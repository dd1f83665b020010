#pragma once

/// ModelMonitor: every monitor watching one model in a pipeline, fed per event by the pipeline
/// (the prequential evaluator now, `streamlearn run` later), with the alerts they raise stamped
/// (id, pipeline, wall time, model version) and published to the configured sinks.
///
///   - feature drift: a DataDriftMonitor per monitored input feature (listed, or all features up
///     to `max_features`), numeric or categorical by the first value seen (a value of the other
///     kind later is counted in kind_mismatches(), not observed); alert kind `data`;
///   - prediction drift: the predicted class (categorical) or value (numeric); kind `prediction`;
///   - label drift: the label, as the feature monitors; kind `data`, feature = the target's name;
///   - performance: PerformanceMonitors on the scored events; kind `performance`;
///   - concept drift: a ConceptDriftMonitor on the error stream; kind `concept`. Its alert is held
///     back until the pipeline has applied its on_drift action, so that the alert says what was
///     done (publish_concept_alert).
///
/// When the model is replaced (model_replaced), every reference window restarts: the new model is
/// judged against the data it learns from. Alerts are kept for the run's summary (the first
/// kMaxKeptAlerts; all are counted and published). Per event: O(monitored features) monitor
/// updates, no allocation in steady state. save()/load() carry everything that decides future
/// alerts and outputs across a checkpoint (sinks are wiring, not state). Not thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/feature_vector.h"
#include "core/target.h"
#include "monitors/alerts/alert.h"
#include "monitors/alerts/alert_sink.h"
#include "monitors/data_drift/data_drift_monitor.h"
#include "monitors/drift/concept_drift_monitor.h"
#include "monitors/metrics/performance_monitor.h"

namespace streamlearn::stream {

class ModelMonitor {
 public:
  static constexpr std::size_t kMaxKeptAlerts = 1000;

  struct FeatureDrift {
    /// Empty: every feature seen, up to max_features.
    std::vector<std::string> features{};
    std::size_t max_features = 100;
    monitors::DataDriftMonitor::Params params{};
  };

  struct NamedPerformance {
    std::string name{};
    monitors::PerformanceMonitor::Params params{};
  };

  struct Params {
    std::string pipeline = "default";
    /// A drift detector expression ("adwin"); empty: no concept-drift monitor.
    std::string drift_detector{};
    monitors::AlertPolicy::Params concept_policy{};
    std::vector<NamedPerformance> performance{};
    std::optional<FeatureDrift> feature_drift{};
    std::optional<monitors::DataDriftMonitor::Params> prediction_drift{};
    std::optional<monitors::DataDriftMonitor::Params> label_drift{};

    /// Whether any monitor is configured (else the pipeline needs no ModelMonitor).
    bool watches_anything() const {
      return !drift_detector.empty() || !performance.empty() || feature_drift ||
             prediction_drift || label_drift;
    }
  };

  /// The outcome of one scored event, from which each monitor takes its quantity.
  struct Outcome {
    double error = 0.0;          // 0/1 for classification, |y - y_hat| for regression
    double log_loss = 0.0;       // classification
    double squared_error = 0.0;  // regression
  };

  /// Every error in params at once (unknown detector, statistic, metric, window lengths).
  static core::Status validate(const Params& params, bool classification);
  /// params must pass validate(). `target` names the label in label-drift alerts.
  static core::Result<std::unique_ptr<ModelMonitor>> create(Params params, bool classification,
                                                            std::string target,
                                                            core::FeatureSpace& features);

  /// Not owned; must outlive this monitor.
  void add_sink(monitors::AlertSink* sink) { sinks_.push_back(sink); }
  /// The class names, for the reference profiles of label and prediction drift (not owned).
  void use_class_names(core::ClassSet* classes) { classes_ = classes; }
  /// The clock that stamps alerts' wall_time_ms (milliseconds since the epoch); the system clock
  /// by default. A test or a replay that compares alerts field for field sets a fixed one.
  using WallClock = std::int64_t (*)();
  void use_wall_clock(WallClock clock) { wall_clock_ = clock; }

  /// Saves the state for a checkpoint: the model version, every data-drift monitor (which
  /// features are watched, their references, windows, last statistics and alert policies), the
  /// performance and concept-drift monitors, the drift positions, the kept alerts and the
  /// counters (alerts_fired() numbers the alert ids).
  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a monitor created with the same Params, once the
  /// FeatureSpace (and the ClassSet given to use_class_names) it takes names from are restored:
  /// feature and category ids are checked against them. A monitor configured otherwise is an
  /// error that says so. On failure the monitor is unchanged.
  [[nodiscard]] core::Status load(core::StateReader& in);

  /// The reference profile of every data-drift monitor whose reference is complete (features by
  /// name, categories by name), to judge a later run against it. Fails when there is none.
  core::Result<std::string> save_reference_profile() const;
  /// Loads a saved profile: the listed monitors start with it as their reference (and a feature
  /// in it is monitored even if not listed now). Entries for monitors this pipeline does not have
  /// are an error naming them.
  [[nodiscard]] core::Status load_reference_profile(std::string_view bytes);

  void observe_features(const core::FeatureVector& x, std::uint64_t position,
                        std::int64_t time_ms);
  void observe_prediction(const core::Target& prediction, std::uint64_t position,
                          std::int64_t time_ms);
  void observe_label(const core::Target& label, std::uint64_t position, std::int64_t time_ms);
  /// Returns the concept-drift monitor's signal (none without one); when signal.alert, the alert
  /// waits for publish_concept_alert.
  monitors::ConceptDriftMonitor::Signal observe_outcome(const Outcome& outcome,
                                                        std::uint64_t position,
                                                        std::int64_t time_ms);
  /// Publishes the held concept alert, saying what the pipeline did ("none", "reset", "swap")
  /// and which model version serves now. Call before model_replaced().
  void publish_concept_alert(std::string_view model_action, std::uint64_t new_version);
  /// Publishes a challenger's promotion (kind `promotion`, model_action "promotion"), stamped as
  /// the monitors' alerts are, to the same sinks; `alert` says the new version and the evidence.
  /// Call before model_replaced().
  void publish_promotion_alert(monitors::Alert& alert);
  /// The model was replaced by version `version`: references restart.
  void model_replaced(std::uint64_t version);

  std::uint64_t model_version() const { return model_version_; }
  /// Whether observe_outcome reads Outcome::log_loss (a performance monitor on log_loss).
  bool needs_log_loss() const { return needs_log_loss_; }
  const monitors::ConceptDriftMonitor* concept_monitor() const { return concept_.get(); }
  /// 0-based positions of the events at which the concept-drift detector flagged drift.
  const std::vector<std::uint64_t>& drift_positions() const { return drift_positions_; }
  const std::vector<monitors::Alert>& kept_alerts() const { return kept_alerts_; }
  std::uint64_t alerts_fired() const { return alerts_fired_; }
  std::uint64_t kind_mismatches() const { return kind_mismatches_; }
  /// Features seen but not monitored because max_features were monitored already.
  std::uint64_t features_over_cap() const { return features_over_cap_; }
  /// Every monitor that may raise alerts, by name and alert kind (the feature monitors share
  /// one name), before any has: for metrics that must exist from the start.
  std::vector<std::pair<std::string, monitors::AlertKind>> alerting_monitors() const;
  /// The data-drift monitors (features, then prediction and label), for reports and metrics.
  std::vector<const monitors::DataDriftMonitor*> data_drift_monitors() const;

 private:
  ModelMonitor(Params params, bool classification, std::string target,
               core::FeatureSpace& features);

  static constexpr std::int32_t kUnwatched = -1;
  static constexpr std::int32_t kUndecided = -2;
  std::int32_t feature_slot(core::FeatureId id, monitors::DataDriftMonitor::ValueKind kind);
  monitors::DataDriftMonitor feature_monitor(std::string feature,
                                             monitors::DataDriftMonitor::ValueKind kind) const;
  std::unique_ptr<monitors::ConceptDriftMonitor> concept_monitor_of(const Params& params) const;
  /// Which features are watched for drift (the list and the cap), as bytes that save() writes and
  /// load() compares; the monitors' own settings are checked by each monitor.
  std::string feature_drift_settings() const;
  /// Checks a loaded feature-slot table (no longer than the feature space) against the feature
  /// space and the monitors loaded.
  bool slots_consistent(const std::vector<std::int32_t>& slots,
                        const std::vector<monitors::DataDriftMonitor>& monitors) const;
  void publish(monitors::Alert& alert);
  void observe_target(monitors::DataDriftMonitor& monitor, const core::Target& value,
                      std::uint64_t position, std::int64_t time_ms);

  Params params_;
  bool classification_;
  std::string target_;
  core::FeatureSpace& features_;
  core::ClassSet* classes_ = nullptr;
  std::vector<monitors::AlertSink*> sinks_;
  WallClock wall_clock_;
  std::uint64_t model_version_ = 1;
  bool needs_log_loss_ = false;

  std::vector<std::int32_t> slot_of_feature_;  // by FeatureId: index in feature_monitors_
  std::vector<monitors::DataDriftMonitor> feature_monitors_;
  std::optional<monitors::DataDriftMonitor> prediction_monitor_;
  std::optional<monitors::DataDriftMonitor> label_monitor_;
  std::vector<monitors::PerformanceMonitor> performance_monitors_;
  std::unique_ptr<monitors::ConceptDriftMonitor> concept_;

  monitors::Alert scratch_;
  monitors::Alert concept_alert_;
  bool concept_alert_pending_ = false;
  std::vector<std::uint64_t> drift_positions_;
  std::vector<monitors::Alert> kept_alerts_;
  std::uint64_t alerts_fired_ = 0;
  std::uint64_t kind_mismatches_ = 0;
  std::uint64_t features_over_cap_ = 0;
};

}  // namespace streamlearn::stream
