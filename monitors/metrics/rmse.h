#pragma once

/// Rmse: root mean squared error over scored events (River's metrics.RMSE: the square root of the
/// running mean of (y_true - y_pred)^2), 0 before any. The mean is floored at 0 before the root:
/// reverts can leave it a rounding error below 0, where River would produce a complex number.
/// O(1) time, 24 bytes. Not thread-safe.

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/metrics/running_mean.h"

namespace streamlearn::monitors {

class Rmse {
 public:
  void update(double y_true, double y_pred) { mean_.update(squared_error(y_true, y_pred)); }
  /// Removes an observation previously passed to update().
  void revert(double y_true, double y_pred) { mean_.revert(squared_error(y_true, y_pred)); }
  void merge(const Rmse& other) { mean_.merge(other.mean_); }

  double get() const;
  /// The mean squared error (River's metrics.MSE).
  double mean_squared_error() const { return mean_.get(); }
  std::uint64_t count() const { return mean_.count(); }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  static double squared_error(double y_true, double y_pred) {
    return (y_true - y_pred) * (y_true - y_pred);
  }

  RunningMean mean_;
};

}  // namespace streamlearn::monitors
