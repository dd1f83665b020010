#include "stream/aggregates/variance.h"

#include <cmath>
#include <limits>
#include <string>

#include "core/check.h"

namespace streamlearn::stream::aggregates {
namespace {

constexpr std::uint32_t kStateVersion = 1;

// Double-double arithmetic: high + low with |low| <= ulp(high) / 2 (the algorithms of the QD
// library, Y. Hida, X. S. Li, D. H. Bailey, 2001).
struct DoubleDouble {
  double high;
  double low;
};

// Knuth's TwoSum: a + b == sum + the result, exactly.
double two_sum_error(double a, double b, double sum) {
  const double b_part = sum - a;
  return (a - (sum - b_part)) + (b - b_part);
}

DoubleDouble fast_two_sum(double a, double b) {
  const double sum = a + b;
  return {sum, b - (sum - a)};
}

DoubleDouble operator-(DoubleDouble a) { return {-a.high, -a.low}; }

DoubleDouble operator+(DoubleDouble a, DoubleDouble b) {
  const double sum = a.high + b.high;
  const double error = two_sum_error(a.high, b.high, sum);
  const double low_sum = a.low + b.low;
  const double low_error = two_sum_error(a.low, b.low, low_sum);
  DoubleDouble result = fast_two_sum(sum, error + low_sum);
  result.low += low_error;
  return fast_two_sum(result.high, result.low);
}

DoubleDouble operator*(DoubleDouble a, DoubleDouble b) {
  const double product = a.high * b.high;
  const double error = std::fma(a.high, b.high, -product) + (a.high * b.low + a.low * b.high);
  return fast_two_sum(product, error);
}

DoubleDouble operator*(DoubleDouble a, double b) { return a * DoubleDouble{b, 0.0}; }

DoubleDouble operator/(DoubleDouble a, double b) {
  const double quotient = a.high / b;
  const double product = quotient * b;
  const DoubleDouble remainder = a + DoubleDouble{-product, -std::fma(quotient, b, -product)};
  return fast_two_sum(quotient, remainder.high / b);
}

DoubleDouble of(const CompensatedSum& sum) { return {sum.high(), sum.low()}; }

// a - b exactly, as a double-double.
DoubleDouble difference(double a, double b) {
  const double high = a - b;
  return {high, two_sum_error(a, -b, high)};
}

// 1024 standard deviations: the shift is moved when (mean - K)^2 exceeds 2^20 variances, i.e.
// when the mean square of the deviations is more than 1 - 2^-20 their squared mean.
constexpr double kStaleShift = 1.0 - 0x1p-20;

}  // namespace

Variance::Variance() : Variance(Params{}) {}

Variance::Variance(const Params& params) : params_(params) {}

void Variance::add_deviation(double x, double sign) {
  const DoubleDouble deviation = difference(x, shift_);
  sum_.add(sign * deviation.high, sign * deviation.low);
  // (high + low)^2 = high^2 + 2 high low + low^2; the last is below u^2 high^2 and left out.
  const double square = deviation.high * deviation.high;
  const double square_error =
      std::fma(deviation.high, deviation.high, -square) + 2.0 * deviation.high * deviation.low;
  sum_of_squares_.add(sign * square, sign * square_error);
}

void Variance::update(double x) {
  if (count_ == 0) shift_ = x;
  ++count_;
  add_deviation(x, 1.0);
}

void Variance::revert(double x) {
  SL_DCHECK(count_ > 0);
  if (--count_ == 0) {
    sum_.clear();
    sum_of_squares_.clear();
    return;
  }
  add_deviation(x, -1.0);
  const double n = static_cast<double>(count_);
  const double offset = sum_.value() / n;  // mean - K
  if (offset * offset > kStaleShift * (sum_of_squares_.value() / n)) reshift(shift_ + offset);
}

void Variance::reshift(double new_shift) {
  // With d = new_shift - K: sum(x - new_shift) = S1 - n d, sum((x - new_shift)^2) =
  // S2 - 2 d S1 + n d^2.
  const DoubleDouble delta = difference(new_shift, shift_);
  const DoubleDouble n_delta = delta * static_cast<double>(count_);
  const DoubleDouble sum = of(sum_) + -n_delta;
  const DoubleDouble squares = of(sum_of_squares_) + -(delta * 2.0 * of(sum_)) + n_delta * delta;
  sum_.clear();
  sum_.add(sum.high, sum.low);
  sum_of_squares_.clear();
  sum_of_squares_.add(squares.high, squares.low);
  shift_ = new_shift;
}

void Variance::merge(const Variance& later) {
  SL_CHECK(params_ == later.params_);
  if (later.count_ == 0) return;
  if (count_ == 0) {
    *this = later;
    return;
  }
  // The later sums moved to this shift: with d = K_later - K, sum(x - K) = S1 + n d and
  // sum((x - K)^2) = S2 + 2 d S1 + n d^2.
  const DoubleDouble delta = difference(later.shift_, shift_);
  const DoubleDouble n_delta = delta * static_cast<double>(later.count_);
  const DoubleDouble sum = of(later.sum_) + n_delta;
  const DoubleDouble squares =
      of(later.sum_of_squares_) + delta * 2.0 * of(later.sum_) + n_delta * delta;
  count_ += later.count_;
  sum_.add(sum.high, sum.low);
  sum_of_squares_.add(squares.high, squares.low);
}

double Variance::value() const {
  if (count_ <= params_.ddof) return std::numeric_limits<double>::quiet_NaN();
  const double n = static_cast<double>(count_);
  const DoubleDouble sum = of(sum_);
  const DoubleDouble m2 = of(sum_of_squares_) + -(sum * sum / n);
  const double deviations = m2.high + m2.low;
  return deviations <= 0.0 ? 0.0 : deviations / (n - static_cast<double>(params_.ddof));
}

double Variance::std() const { return std::sqrt(value()); }

double Variance::mean() const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  return shift_ + sum_.value() / static_cast<double>(count_);
}

void Variance::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(params_.ddof);
  out.write(count_);
  out.write(shift_);
  sum_.save(out);
  sum_of_squares_.save(out);
}

core::Status Variance::load(core::StateReader& in) {
  std::uint32_t ddof = 0;
  if (!in.expect_version(kStateVersion) || !in.read(ddof)) return in.status("Variance");
  if (ddof != params_.ddof) {
    in.fail();  // the rest of this state is not read: nothing after it can be either
    return core::Status::error(
        "Variance: the saved state has ddof=" + std::to_string(ddof) +
        " but this aggregate is configured with ddof=" + std::to_string(params_.ddof));
  }
  Variance loaded(params_);
  if (in.read(loaded.count_) && in.read(loaded.shift_) && loaded.sum_.load(in) &&
      loaded.sum_of_squares_.load(in)) {
    const bool finite = std::isfinite(loaded.shift_) && std::isfinite(loaded.sum_.high()) &&
                        std::isfinite(loaded.sum_.low()) &&
                        std::isfinite(loaded.sum_of_squares_.high()) &&
                        std::isfinite(loaded.sum_of_squares_.low());
    if (finite) {
      *this = loaded;
    } else {
      in.fail();
    }
  }
  return in.status("Variance");
}

}  // namespace streamlearn::stream::aggregates
