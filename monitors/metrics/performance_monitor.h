#pragma once

/// PerformanceMonitor: a rolling-metric threshold on the model's quality, raising alerts of kind
/// `performance`. The metric is the mean of a per-event quantity over a window: accuracy (1 for a
/// right class), error_rate, log_loss (the event's cross-entropy), mae (|error|) or rmse (square
/// root of the mean squared error). The current window is a PanedWindow (count or event time,
/// sliding or tumbling); the reference is the metric over the first `reference` scored events
/// after start or after the model was replaced. With `relative` (the default) the alert fires
/// when the current value is worse than the reference's by more than `threshold` (accuracy
/// 0.05 below the reference's, say); otherwise when it is worse than `threshold` itself (accuracy
/// below 0.8). The alert's threshold is the effective bound the value crossed. Memory
/// O(window / step); O(1) per event. save()/load() restore the reference, the window and the
/// policy exactly. Not thread-safe.
///
/// Example:
///   PerformanceMonitor monitor("accuracy_drop", {.metric = "accuracy"});
///   if (monitor.observe(monitor.quantity_of(outcome), position, time_ms, alert)) ...;

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/alerts/alert.h"
#include "monitors/alerts/alert_policy.h"
#include "monitors/windows/paned_window.h"
#include "monitors/windows/window_length.h"

namespace streamlearn::monitors {

class PerformanceMonitor {
 public:
  /// What the pipeline passes per scored event.
  enum class Quantity : std::uint8_t { kCorrect, kLogLoss, kAbsoluteError, kSquaredError };

  struct Params {
    std::string metric = "accuracy";
    WindowLength reference = WindowLength::events(1000);
    WindowLength window = WindowLength::events(1000);
    WindowLength step = WindowLength::events(0);  // 0: tumbling
    bool relative = true;
    /// Its threshold is the allowed degradation (relative) or the bound; direction is set here.
    AlertPolicy::Params policy{.threshold = 0.05};
  };

  /// The metrics of a task: accuracy, error_rate, log_loss (classification); mae, rmse.
  static const std::vector<std::string>& metrics(bool classification);
  static core::Status validate(const std::string& monitor, bool classification,
                               const Params& params);

  PerformanceMonitor(std::string monitor, Params params);

  /// The per-event quantity observe() expects for this monitor's metric.
  Quantity quantity() const { return quantity_; }
  bool observe(double quantity, std::uint64_t position, std::int64_t time_ms, Alert& alert);

  /// Starts a new reference from the next scored event on (after the model was replaced).
  void restart_reference();

  const std::string& monitor() const { return monitor_; }
  const Params& params() const { return params_; }
  /// NaN until the reference is complete.
  double reference_value() const;

  /// Saves the reference, the current window and the alert policy's state.
  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a monitor built with the same Params (else an error says
  /// the configuration changed). On failure the monitor is unchanged.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  struct Mean {
    double sum = 0.0;
    std::uint64_t count = 0;
    void add(double x) {
      sum += x;
      ++count;
    }
    void merge(const Mean& other) {
      sum += other.sum;
      count += other.count;
    }
    void clear() { *this = Mean{}; }
    void save(core::StateWriter& out) const {
      out.write(sum);
      out.write(count);
    }
    core::Status load(core::StateReader& in) {
      Mean loaded;
      if (in.read(loaded.sum) && in.read(loaded.count)) *this = loaded;
      return in.status("performance monitor window");
    }
  };

  double metric_of(const Mean& mean) const;
  /// The settings, as bytes that save() writes and load() compares.
  std::string settings() const;
  bool higher_is_better() const;

  std::string monitor_;
  Params params_;
  Quantity quantity_;
  AlertPolicy policy_;
  Mean reference_;
  WindowBounds reference_bounds_;
  bool reference_complete_ = false;
  PanedWindow<Mean> window_;
};

}  // namespace streamlearn::monitors
