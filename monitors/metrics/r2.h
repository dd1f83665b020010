#pragma once

/// R2: the coefficient of determination as River's metrics.R2 computes it online:
/// 1 - RSS / TSS, where RSS is the running sum of (y_true - y_pred)^2 and TSS = (n - 1) *
/// Var(y_true), Var being the running sample variance (ddof = 1, Welford) of the true values, i.e.
/// their sum of squared deviations from their own running mean. 0 while fewer than two events have
/// been scored, and 0 when TSS is exactly 0 (all true values equal), River's zero-division
/// convention. In a rolling window, reverts may leave the TSS of a run of equal true values a
/// rounding residue instead of 0, and R2 is then meaningless there, as in River.
///
/// O(1) time, 40 bytes. Not thread-safe.

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/metrics/running_variance.h"

namespace streamlearn::monitors {

class R2 {
 public:
  void update(double y_true, double y_pred);
  /// Removes an observation previously passed to update().
  void revert(double y_true, double y_pred);
  void merge(const R2& other);

  double get() const;
  std::uint64_t count() const { return y_true_variance_.count(); }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  RunningVariance y_true_variance_;
  double residual_sum_of_squares_ = 0.0;
};

}  // namespace streamlearn::monitors
