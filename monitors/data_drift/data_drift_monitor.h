#pragma once

/// DataDriftMonitor: watches the distribution of one value stream (an input feature, the model's
/// predictions or the labels) for drift, and raises an alert through its AlertPolicy.
///
/// Reference: the first `reference` events (a count, or a span of event time from the first
/// event's time) after start or after restart_reference() (the pipeline calls it when the model
/// is replaced, so that the new model is judged against the data it learned from). A numeric
/// reference is kept as a uniform sample of at most `max_reference_samples` values (reservoir
/// sampling, Algorithm R, fixed seed so replays repeat), whose quantiles become the bin edges
/// (NumericHistogram); the reference histogram counts that sample, so beyond that size the
/// statistics compare against a sample of the reference (exact below it). A categorical
/// reference is counted in full (CategoricalHistogram, at most `max_categories`).
///
/// Current window: PanedWindow over `window`, advancing by `step` (tumbling when step is 0 or
/// equal to the window), by count or event time. At every closed window all the statistics of
/// the value kind are computed (numeric: psi, ks_statistic, ks_p_value, wasserstein_normalized,
/// jensen_shannon_distance, as NumericDriftStatistics; categorical: chi_square_p_value, psi,
/// jensen_shannon_distance, as CategoricalDriftStatistics), and `statistic`'s value goes through
/// the policy: above the threshold is drift, below it for p-values. Defaults are Evidently's for
/// large samples: wasserstein_normalized > 0.1 (numeric), jensen_shannon_distance > 0.1
/// (categorical); p-values 0.05; psi 0.1.
///
/// Memory: O(max_reference_samples) while the reference fills, then O((window / step + 2) * bins)
/// (numeric) or O((window / step + 2) * max_categories) (categorical), independent of the stream
/// length and rate. Cost per value: O(log bins) or one hash look-up; per closed window
/// O(window / step * bins). Not thread-safe.
///
/// Example:
///   DataDriftMonitor monitor("amount_drift", AlertKind::kData, "amount",
///                            DataDriftMonitor::ValueKind::kNumeric, params);
///   Alert alert;
///   if (monitor.observe_numeric(amount, position, time_ms, alert)) sink.publish(alert);

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/symbol_table.h"
#include "monitors/alerts/alert.h"
#include "monitors/alerts/alert_policy.h"
#include "monitors/data_drift/categorical_histogram.h"
#include "monitors/data_drift/numeric_histogram.h"
#include "monitors/windows/paned_window.h"
#include "monitors/windows/window_length.h"

namespace streamlearn::monitors {

class DataDriftMonitor {
 public:
  enum class ValueKind : std::uint8_t { kNumeric, kCategorical };

  struct Params {
    WindowLength reference = WindowLength::events(5000);
    WindowLength window = WindowLength::events(5000);
    /// 0: tumbling (step = window).
    WindowLength step = WindowLength::events(0);
    /// Empty: wasserstein_normalized (numeric) or jensen_shannon_distance (categorical).
    std::string statistic{};
    /// The policy; its threshold and direction are ignored when use_default_threshold.
    AlertPolicy::Params policy{};
    bool use_default_threshold = true;
    std::size_t num_bins = NumericHistogram::kDefaultNumBins;
    std::uint32_t max_categories = 100;
    std::size_t max_reference_samples = 100'000;
  };

  /// The statistics of a value kind, in evidence order.
  static const std::vector<std::string>& statistics(ValueKind kind);
  static std::string default_statistic(ValueKind kind);
  /// The threshold (Evidently's default) and direction of a statistic.
  static AlertPolicy::Direction direction_of(std::string_view statistic);
  static double default_threshold(std::string_view statistic);
  /// Checks params for a value kind: the statistic exists, the window lengths agree in unit, step
  /// divides the window. The error names the monitor and what is allowed.
  static core::Status validate(const std::string& monitor, ValueKind kind, const Params& params);

  /// params must pass validate().
  DataDriftMonitor(std::string monitor, AlertKind alert_kind, std::string feature, ValueKind kind,
                   Params params);

  /// Observes one value; true when the alert policy fired, with `alert` filled but for its id,
  /// pipeline, wall time and model versions (the pipeline stamps those).
  bool observe_numeric(double x, std::uint64_t position, std::int64_t time_ms, Alert& alert);
  bool observe_category(core::SymbolId value, std::uint64_t position, std::int64_t time_ms,
                        Alert& alert);

  /// Starts collecting a new reference from the next event on.
  void restart_reference();

  /// The reference profile: the reference's summary (histogram or category counts) and bounds,
  /// once complete. Loading one into a monitor of the same value kind replaces its reference and
  /// starts its current window afresh, so that a deployment can be judged against the data a
  /// model was trained on (until the model is replaced, which restarts the reference from data).
  /// Categories are saved by name (`name_of`) and looked up again (`id_of`), since ids are
  /// interned per process.
  using CategoryName = std::function<std::string(core::SymbolId)>;
  using CategoryId = std::function<core::SymbolId(std::string_view)>;
  void save_reference(core::StateWriter& out, const CategoryName& name_of) const;
  [[nodiscard]] core::Status load_reference(core::StateReader& in, const CategoryId& id_of);

  /// Saves the whole state for a checkpoint: the reference (sample, summary, bounds), the current
  /// window, the last statistics, the alert policy (run of breaches, cooldown) and the counters.
  /// Categories are saved by id: a checkpoint restores the FeatureSpace and ClassSet that give
  /// them, with the same ids.
  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a monitor built with the same Params and value kind (else
  /// an error says the configuration changed: the settings are saved with the state). Category ids must be below `num_categories` (the
  /// values or classes interned by then). On failure the monitor is unchanged.
  [[nodiscard]] core::Status load(core::StateReader& in, std::uint64_t num_categories);

  const std::string& monitor() const { return monitor_; }
  const std::string& feature() const { return feature_; }
  ValueKind value_kind() const { return kind_; }
  const std::string& statistic() const { return statistic_; }
  /// The alerting threshold of statistic().
  double threshold() const { return policy_.params().threshold; }
  bool has_reference() const { return reference_complete_; }
  /// The statistics of the last closed window (empty before the first one); the KS p-value is NaN
  /// there unless it is the watched statistic or the window fired an alert.
  const std::vector<std::pair<std::string, double>>& last_statistics() const { return last_; }
  std::uint64_t windows_evaluated() const { return windows_evaluated_; }
  /// Events not placed in a window: older than the oldest pane, or without a time.
  std::uint64_t late_events() const;
  std::uint64_t untimed_events() const;

 private:
  /// Whether the event belongs to the reference still; completes it when not.
  bool in_reference(std::uint64_t position, std::int64_t time_ms);
  void complete_reference();
  bool evaluate(const WindowBounds& current, std::uint64_t position, std::int64_t time_ms,
                Alert& alert);
  void track_category(core::SymbolId value);
  /// The settings, as bytes that save() writes and load() compares.
  std::string settings() const;
  /// Whether a loaded state keeps the invariants that observing relies on (see load()).
  bool consistent(std::uint64_t num_categories) const;

  std::string monitor_;
  AlertKind alert_kind_;
  std::string feature_;
  ValueKind kind_;
  Params params_;
  std::string statistic_;
  AlertPolicy policy_;

  bool reference_complete_ = false;
  WindowBounds reference_bounds_;
  std::vector<double> reference_sample_;
  std::uint64_t reservoir_state_ = 0;
  NumericHistogram numeric_reference_;
  CategoricalHistogram categorical_reference_;
  std::optional<PanedWindow<NumericHistogram>> numeric_window_;
  std::optional<PanedWindow<CategoricalHistogram>> categorical_window_;
  std::vector<std::pair<std::string, double>> last_;
  std::uint64_t windows_evaluated_ = 0;
  std::uint64_t late_before_restart_ = 0;
  std::uint64_t untimed_before_restart_ = 0;
};

}  // namespace streamlearn::monitors
