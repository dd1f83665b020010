#pragma once

/// RunningVariance: River's stats.Var with ddof = 1 (Welford's algorithm, unit weights), with
/// update, revert and merge. Keeps a RunningMean and S, the sum of squared deviations:
/// S += (x - mean_old) * (x - mean_new) on update, the same product subtracted on revert.
/// get() is S / (n - 1), and 0 while n <= 1, as in River.
///
/// O(1) time and 32 bytes. Not thread-safe.

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/metrics/running_mean.h"

namespace streamlearn::monitors {

class RunningVariance {
 public:
  /// Inline, as RunningMean::update.
  void update(double x) {
    const double mean_old = mean_.get();
    mean_.update(x);
    sum_of_squares_ += (x - mean_old) * (x - mean_.get());
  }
  /// Removes an observation previously passed to update(); the count must be positive.
  void revert(double x);
  /// Adds the observations summarised by `other` (Chan et al.'s parallel formula, as River).
  void merge(const RunningVariance& other);

  /// Sample variance (ddof = 1); 0 for fewer than two observations.
  double get() const;
  double mean() const { return mean_.get(); }
  std::uint64_t count() const { return mean_.count(); }
  /// Sum of squared deviations from the mean.
  double sum_of_squares() const { return sum_of_squares_; }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  RunningMean mean_;
  double sum_of_squares_ = 0.0;
};

}  // namespace streamlearn::monitors
