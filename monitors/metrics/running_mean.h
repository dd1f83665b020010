#pragma once

/// RunningMean: River's stats.Mean (unit weights) with update, revert and merge, so that every
/// mean-based metric (LogLoss, Mae, Rmse) and RunningVariance give River's numbers to the last bit
/// on the same inputs. Update: n += 1; mean += (1 / n) * (x - mean). Revert undoes that; reverting
/// the last observation resets the mean to exactly 0. The mean of nothing is 0, as in River.
///
/// O(1) time and 16 bytes. Reverts accumulate rounding error of order 1e-16 relative to the
/// largest |x| seen per revert. Not thread-safe.

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::monitors {

class RunningMean {
 public:
  /// Inline: it runs per event in several metrics and in EDDM.
  void update(double x) {
    ++count_;
    // River multiplies by (w / n) rather than dividing by n; the same order gives the same bits.
    mean_ += (1.0 / static_cast<double>(count_)) * (x - mean_);
  }
  /// Removes an observation previously passed to update(); the count must be positive.
  void revert(double x);
  /// Adds the observations summarised by `other` (River's Mean.__iadd__).
  void merge(const RunningMean& other);

  double get() const { return mean_; }
  std::uint64_t count() const { return count_; }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  std::uint64_t count_ = 0;
  double mean_ = 0.0;
};

}  // namespace streamlearn::monitors
