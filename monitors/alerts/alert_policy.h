#pragma once

/// AlertPolicy: when a monitor's statistic becomes an alert. Each evaluation (a closed window, or
/// a detector's drift signal) passes the statistic's value, the number of samples behind it, and
/// where the stream is. It breaches when there are at least `min_samples` samples and the value
/// is beyond `threshold` (above it, or below it for p-values and for metrics where higher is
/// better). The alert fires on the `consecutive`-th breach in a row, unless the previous alert of
/// this policy is less than `cooldown` ago (in events, or in event time); a NaN value (a statistic
/// that cannot be computed) is not a breach and ends a run of breaches. After firing, a new run of
/// `consecutive` breaches is needed. O(1), no allocation. Not thread-safe.
///
/// Example:
///   AlertPolicy policy({.threshold = 0.1, .consecutive = 2, .cooldown = WindowLength::parse("1h")});
///   if (policy.evaluate(statistics.psi(), window.count, position, time_ms)) emit_alert(...);

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/windows/window_bounds.h"
#include "monitors/windows/window_length.h"

namespace streamlearn::monitors {

class AlertPolicy {
 public:
  enum class Direction : std::uint8_t { kAbove, kBelow };

  struct Params {
    double threshold = 0.0;
    Direction direction = Direction::kAbove;
    std::uint64_t min_samples = 0;
    std::uint32_t consecutive = 1;
    WindowLength cooldown = WindowLength::events(0);
  };

  explicit AlertPolicy(Params params) : params_(params) {}

  const Params& params() const { return params_; }
  bool breaches(double value, std::uint64_t samples) const;

  /// Whether this evaluation fires an alert (see the class comment).
  bool evaluate(double value, std::uint64_t samples, std::uint64_t position, std::int64_t time_ms);

  /// Forgets the run of breaches and the cooldown, e.g. after the model was replaced.
  void reset();

  std::uint32_t breaches_in_a_row() const { return breaches_in_a_row_; }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);
  /// Writes the params (not state): what a monitor saves to recognise its own settings.
  static void save_params(core::StateWriter& out, const Params& params);

 private:
  bool cooling_down(std::uint64_t position, std::int64_t time_ms) const;

  Params params_;
  std::uint32_t breaches_in_a_row_ = 0;
  bool fired_ = false;
  std::uint64_t last_alert_position_ = 0;
  std::int64_t last_alert_time_ms_ = WindowBounds::kNoTime;
};

}  // namespace streamlearn::monitors
