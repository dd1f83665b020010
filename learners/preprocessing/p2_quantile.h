#pragma once

/// P2Quantile: a running estimate of one quantile in constant memory, the P² ("piecewise-
/// parabolic") algorithm of R. Jain and I. Chlamtac, "The P² algorithm for dynamic calculation of
/// quantiles and histograms without storing observations", Communications of the ACM 28(10),
/// 1985. It behaves as River's stats.Quantile (River 0.21, whose P² is the Rust crate
/// watermill 0.1.1), value for value:
///
/// - before any update there is no estimate (`has_value()` is false; River returns None);
/// - during the first five updates the observations are kept sorted and the estimate is the
///   sorted observation at index trunc(min(n - 1, n * q)): the largest one for q = 0.99, the
///   smallest for q = 0.01;
/// - from the sixth update on, the five markers move as in the paper (a marker whose position
///   is off its desired one by 1 or more moves by one, parabolically when that stays between its
///   neighbours, else linearly) and the estimate is the middle marker's height.
///
/// Positions and desired positions are doubles accumulated exactly as River accumulates them, so
/// estimates are bit-for-bit River's, except where River's arithmetic overflows (neighbouring
/// markers more than the double range apart): there the linear step is taken on halved operands
/// and stays finite, where River's would be Inf.
///
/// Cost: O(1) time per update (five markers), 136 bytes, nothing allocated. Not thread-safe.
///
///     P2Quantile median(0.5);
///     for (double x : values) median.update(x);
///     double estimate = median.value();

#include <cstdint>

namespace streamlearn::learners {

class P2Quantile {
 public:
  /// q in (0, 1); checked by the callers' parameter validation.
  explicit P2Quantile(double q = 0.5);

  void update(double x);
  /// False until the first update.
  bool has_value() const { return count_ > 0; }
  /// The current estimate; 0 before the first update.
  double value() const;

  double q() const { return q_; }
  std::uint64_t count() const { return count_; }

  /// Field by field equality (bit patterns aside), for tests of save/load.
  bool operator==(const P2Quantile&) const = default;

 private:
  static constexpr int kMarkers = 5;

  void adjust();

  // Trivially copyable with no padding: savers write arrays of it as raw bytes.
  double q_;
  double heights_[kMarkers] = {};                 // marker heights (the first observations, sorted)
  double positions_[kMarkers] = {1, 2, 3, 4, 5};  // actual marker positions
  double desired_[kMarkers];                      // desired marker positions
  std::uint64_t count_ = 0;                       // observations so far
};

}  // namespace streamlearn::learners
