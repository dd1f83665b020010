#pragma once

/// Mae: mean absolute error |y_true - y_pred| over scored events (River's metrics.MAE), 0 before
/// any. O(1) time, 24 bytes. Not thread-safe.

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/metrics/running_mean.h"

namespace streamlearn::monitors {

class Mae {
 public:
  void update(double y_true, double y_pred) { mean_.update(error(y_true, y_pred)); }
  /// Removes an observation previously passed to update().
  void revert(double y_true, double y_pred) { mean_.revert(error(y_true, y_pred)); }
  void merge(const Mae& other) { mean_.merge(other.mean_); }

  double get() const { return mean_.get(); }
  std::uint64_t count() const { return mean_.count(); }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  static double error(double y_true, double y_pred);

  RunningMean mean_;
};

}  // namespace streamlearn::monitors
