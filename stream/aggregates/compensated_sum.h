#pragma once

/// CompensatedSum: a running sum of doubles kept as an unevaluated pair high + low, a
/// double-double renormalised after every addition (|low| <= ulp(high) / 2), so that it carries
/// about 106 bits. Each addition is exact up to one rounding of about u^2 times the larger of the
/// sums before and after it (u = 2^-53), not u times as with a plain double: adding and later
/// subtracting the same values (a sliding window by revert) drifts by u^2 times the sums held on
/// the way, which is why Sum, Mean and Variance keep their sums in it. Kahan's and Neumaier's
/// compensations would keep the error term as a plain double that accumulates its own roundings;
/// renormalising is what makes revert drift negligible even after a value 1e10 times the others has
/// passed through the window.
///
/// The additions are Knuth's TwoSum and Dekker's FastTwoSum (T. J. Dekker, "A floating-point
/// technique for extending the available precision", Numerische Mathematik 1971), the building
/// blocks of double-double arithmetic. They need IEEE round-to-nearest without reassociation:
/// never compile this with -ffast-math.
///
/// Cost: O(1), about 20 floating-point operations per addition, 16 bytes. Not thread-safe.

#include "core/state_io.h"

namespace streamlearn::stream::aggregates {

class CompensatedSum {
 public:
  /// Adds x.
  void add(double x) {
    const double sum = high_ + x;
    const double error = two_sum_error(high_, x, sum) + low_;
    renormalise(sum, error);
  }
  /// Adds the exact value high + low (a product split by fma, another CompensatedSum).
  void add(double high, double low) {
    const double sum = high_ + high;
    double error = two_sum_error(high_, high, sum);
    const double low_sum = low_ + low;
    const double low_error = two_sum_error(low_, low, low_sum);
    error += low_sum;
    const double renormalised = sum + error;
    error = (error - (renormalised - sum)) + low_error;
    renormalise(renormalised, error);
  }
  void add(const CompensatedSum& other) { add(other.high_, other.low_); }
  void clear() { high_ = low_ = 0.0; }

  /// The sum rounded to the nearest double.
  double value() const { return high_ + low_; }
  double high() const { return high_; }
  double low() const { return low_; }

  /// The two doubles, unversioned: the owner's state carries the version.
  void save(core::StateWriter& out) const {
    out.write(high_);
    out.write(low_);
  }
  bool load(core::StateReader& in) { return in.read(high_) && in.read(low_); }

 private:
  // Knuth's TwoSum: the exact rounding error of sum = a + b, whatever the magnitudes.
  static double two_sum_error(double a, double b, double sum) {
    const double b_part = sum - a;
    return (a - (sum - b_part)) + (b - b_part);
  }
  // Dekker's FastTwoSum (|error| is small next to sum): high + low == sum + error exactly.
  void renormalise(double sum, double error) {
    high_ = sum + error;
    low_ = error - (high_ - sum);
  }

  double high_ = 0.0;
  double low_ = 0.0;
};

}  // namespace streamlearn::stream::aggregates
