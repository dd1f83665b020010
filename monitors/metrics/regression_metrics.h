#pragma once

/// RegressionMetrics: the prequential regression metrics of one model, cumulative or over the last
/// `window_size_events` scored events, with River 0.21.1's definitions: MAE, RMSE and R2 (see
/// mae.h, rmse.h, r2.h). Every value is 0 before the first scored event, as in River.
///
/// A rolling window is River's utils.Rolling: the same metrics plus a ring buffer of the last N
/// observations; when it is full the oldest is reverted before the new one is added.
///
///     RegressionMetrics metrics(/*window_size_events=*/0);  // cumulative
///     metrics.update(y_true, y_pred);
///     std::vector<std::pair<std::string_view, double>> values;
///     metrics.report(values);                               // mae, rmse, r2
///
/// Values must be finite: a NaN or an infinity makes the metrics NaN for good, and reverting it
/// from a window does not undo that (the hot path keeps NaN/Inf out before it gets here).
///
/// Cost per update: O(1), no allocation once the window is full. Memory: about 100 bytes plus 16
/// bytes per window slot. Not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/metrics/mae.h"
#include "monitors/metrics/r2.h"
#include "monitors/metrics/regression_observation.h"
#include "monitors/metrics/rmse.h"
#include "monitors/metrics/rolling_window.h"

namespace streamlearn::monitors {

class RegressionMetrics {
 public:
  /// The names report() gives, in its order.
  static constexpr std::array<std::string_view, 3> kNames = {"mae", "rmse", "r2"};

  /// `window_size_events` = 0 keeps cumulative metrics.
  explicit RegressionMetrics(std::size_t window_size_events = 0);

  std::size_t window_size_events() const { return window_size_events_; }

  void update(double y_true, double y_pred);

  /// Events scored (in the window, when there is one).
  std::uint64_t count() const { return mae_.count(); }
  double mae() const { return mae_.get(); }
  double rmse() const { return rmse_.get(); }
  double r2() const { return r2_.get(); }

  /// Appends (name, value) for every metric, in the order of kNames.
  void report(std::vector<std::pair<std::string_view, double>>& out) const;

  /// Saves the metrics and the window's observations; load() restores them bit for bit into an
  /// object built with the same window size.
  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  void add(const RegressionObservation& observation);
  void remove(const RegressionObservation& observation);

  std::size_t window_size_events_;
  Mae mae_;
  Rmse rmse_;
  R2 r2_;
  std::optional<RollingWindow<RegressionObservation>> window_;  // none when cumulative
};

}  // namespace streamlearn::monitors
