#pragma once

/// Sum: the sum of the window's values (River's stats.Sum), kept in a CompensatedSum
/// (double-double). The sum of nothing is 0, and reverting the last value resets it to exactly 0.
///
/// Error: sums are floating point, so a window computed by merge or revert equals a from-scratch
/// recomputation up to rounding, not bit for bit. The result is the exact sum of the values held
/// rounded once (relative error u = 1.1e-16), plus a drift of about u^2 = 1.2e-32 times the largest
/// |sum| held, per update, revert or merge since the aggregate was last empty: negligible even
/// after values 1e10 times the others have passed through. |x| must stay below about 1e300.
///
/// Cost: O(1) per update, revert and merge (about 10 floating-point operations), 24 bytes,
/// nothing allocated. Not thread-safe.
///
///     Sum sum;
///     sum.update(1e16);
///     sum.update(1.0);
///     sum.revert(1e16);
///     sum.value();  // exactly 1.0

#include <cstdint>

#include "core/check.h"
#include "core/state_io.h"
#include "core/status.h"
#include "stream/aggregates/compensated_sum.h"

namespace streamlearn::stream::aggregates {

class Sum {
 public:
  static constexpr bool kRevertible = true;

  void update(double x) {
    ++count_;
    sum_.add(x);
  }
  /// Removes a value previously added; the count must be positive.
  void revert(double x) {
    SL_DCHECK(count_ > 0);
    if (--count_ == 0) {
      sum_.clear();
    } else {
      sum_.add(-x);
    }
  }
  void merge(const Sum& later) {
    count_ += later.count_;
    sum_.add(later.sum_);
  }

  double value() const { return sum_.value(); }
  std::uint64_t count() const { return count_; }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  std::uint64_t count_ = 0;
  CompensatedSum sum_;
};

}  // namespace streamlearn::stream::aggregates
