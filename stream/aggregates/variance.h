#pragma once

/// Variance: the sample variance of the window's values, sum((x - mean)^2) / (n - ddof), with
/// ddof = 1 by default as River's stats.Var; NaN while n <= ddof (River returns 0 there; one
/// value has no sample variance). std() is its square root (StandardDeviation is the same as an
/// aggregate of its own).
///
/// How: the count, a shift K (the first value added to the empty aggregate), and the sums of
/// x - K and of (x - K)^2, both in CompensatedSum (double-double), each deviation and its square
/// added exactly up to about u^2 (u = 2^-53 = 1.1e-16). update, revert and merge add to the sums
/// (merge first moves the later sums to this shift: S1 + n d, S2 + 2 d S1 + n d^2, with
/// d = K_later - K); value() evaluates m2 = S2 - S1^2 / n in double-double arithmetic. When
/// reverts leave K more than 1024 standard deviations from the mean (the window moved on to
/// another level), the sums are moved to a shift at the mean, so the cancellation in m2 stays
/// small.
///
/// Why not Welford's update with Chan et al.'s merge and Welford in reverse (B. P. Welford,
/// Technometrics 1962; T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating formulae and a pairwise
/// algorithm for computing sample variances", 1979): they are sound for update and merge, but each
/// revert rounds m2 by about u * (x - mean)^2, so once a value 1e9 times the others has left a
/// sliding window the remaining variance is off by more than itself. Double-double sums pay u^2
/// instead of u for the same outlier, and the shift gives them Welford's strength, a large mean
/// with a small spread (1e9 + 1e-3 * k keeps its digits).
///
/// Error: sums are floating point, so a window computed by merge or revert equals a from-scratch
/// recomputation up to rounding. The result is within a few u relative of the exact variance of
/// the values held, plus, divided by (n - ddof), an absolute drift of about u^2 = 1.2e-32 times
/// the largest sum of (x - K)^2 held, per update, revert or merge since the aggregate was last
/// empty. |x| must stay below about 1e150 so that the squares are finite.
///
/// Cost: O(1) per update and revert (one fma and about 50 floating-point operations; a revert
/// also checks the shift with two divisions), O(1) per merge (about 100); value() about 60; 56
/// bytes, nothing allocated. Not thread-safe.
///
///     Variance variance;  // or Variance(Variance::Params{.ddof = 0}) for the population variance
///     for (double x : {1.0, 2.0, 3.0, 4.0}) variance.update(x);
///     variance.value();  // 1.6666...
///     variance.std();    // 1.2909...

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"
#include "stream/aggregates/compensated_sum.h"

namespace streamlearn::stream::aggregates {

class Variance {
 public:
  struct Params {
    /// Delta degrees of freedom: the divisor is n - ddof (River's name and default), >= 0.
    std::uint32_t ddof = 1;

    bool operator==(const Params&) const = default;
  };
  static constexpr bool kRevertible = true;

  Variance();
  explicit Variance(const Params& params);

  void update(double x);
  /// Removes a value previously added; the count must be positive.
  void revert(double x);
  /// Adds the values of `later`, built with equal Params.
  void merge(const Variance& later);

  /// sum((x - mean)^2) / (n - ddof), never negative; NaN while n <= ddof.
  double value() const;
  /// The square root of value().
  double std() const;
  /// NaN when empty.
  double mean() const;
  std::uint64_t count() const { return count_; }
  const Params& params() const { return params_; }

  void save(core::StateWriter& out) const;
  /// Fails, leaving this unchanged, on corrupt state or state saved with another ddof.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  // Adds sign * (x - shift_) to sum_ and its square to sum_of_squares_ (sign is 1 or -1).
  void add_deviation(double x, double sign);
  // Moves the sums to shift_ = new_shift.
  void reshift(double new_shift);

  Params params_;
  std::uint64_t count_ = 0;
  double shift_ = 0.0;
  CompensatedSum sum_;             // of x - shift_
  CompensatedSum sum_of_squares_;  // of (x - shift_)^2
};

}  // namespace streamlearn::stream::aggregates
