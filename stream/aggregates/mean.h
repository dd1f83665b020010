#pragma once

/// Mean: the arithmetic mean of the window's values (River's stats.Mean), the Sum (a
/// double-double) divided by the count. The mean of nothing is NaN (River returns 0; a window
/// with no values has no mean).
///
/// Error: sums are floating point, so a window computed by merge or revert equals a from-scratch
/// recomputation up to rounding: within 2u = 2.2e-16 relative of the exact mean, plus the Sum's
/// drift (about u^2 times the largest |sum| held, per operation) divided by the count. Keeping the
/// sum rather than Welford's running mean is what makes revert exact to that level.
///
/// Cost: O(1) per update, revert and merge, 24 bytes, nothing allocated. Not thread-safe.
///
///     Mean mean;
///     mean.update(2.0);
///     mean.update(4.0);
///     mean.value();  // 3.0

#include <cstdint>
#include <limits>

#include "core/state_io.h"
#include "core/status.h"
#include "stream/aggregates/sum.h"

namespace streamlearn::stream::aggregates {

class Mean {
 public:
  static constexpr bool kRevertible = true;

  void update(double x) { sum_.update(x); }
  /// Removes a value previously added; the count must be positive.
  void revert(double x) { sum_.revert(x); }
  void merge(const Mean& later) { sum_.merge(later.sum_); }

  double value() const {
    if (sum_.count() == 0) return std::numeric_limits<double>::quiet_NaN();
    return sum_.value() / static_cast<double>(sum_.count());
  }
  std::uint64_t count() const { return sum_.count(); }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  Sum sum_;
};

}  // namespace streamlearn::stream::aggregates
