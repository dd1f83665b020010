#pragma once

/// StandardDeviation: the square root of the sample Variance (ddof = 1 by default, River's
/// stats.Var(ddof).get() ** 0.5), as an aggregate of its own so that `std(amount)` runs in the
/// generic window like the others. NaN while n <= ddof. Same error as Variance, through the square
/// root (half the relative error), and same cost. Not thread-safe.
///
///     StandardDeviation deviation;
///     for (double x : {1.0, 2.0, 3.0, 4.0}) deviation.update(x);
///     deviation.value();  // 1.2909...

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"
#include "stream/aggregates/variance.h"

namespace streamlearn::stream::aggregates {

class StandardDeviation {
 public:
  using Params = Variance::Params;
  static constexpr bool kRevertible = true;

  StandardDeviation() = default;
  explicit StandardDeviation(const Params& params) : variance_(params) {}

  void update(double x) { variance_.update(x); }
  /// Removes a value previously added; the count must be positive.
  void revert(double x) { variance_.revert(x); }
  /// Adds the values of `later`, built with equal Params.
  void merge(const StandardDeviation& later) { variance_.merge(later.variance_); }

  double value() const { return variance_.std(); }
  std::uint64_t count() const { return variance_.count(); }
  const Params& params() const { return variance_.params(); }

  void save(core::StateWriter& out) const;
  /// Fails, leaving this unchanged, on corrupt state or state saved with another ddof.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  Variance variance_;
};

}  // namespace streamlearn::stream::aggregates
