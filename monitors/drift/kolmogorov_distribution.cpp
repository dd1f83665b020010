#include "monitors/drift/kolmogorov_distribution.h"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numbers>
#include <tuple>
#include <utility>
#include <vector>

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kScaleExponent = 128;
const double kScaleUp = std::ldexp(1.0, kScaleExponent);
const double kScaleDown = std::ldexp(1.0, -kScaleExponent);
constexpr double kPi = std::numbers::pi;
// Powers as SciPy computes them (np.pi ** k), each rounded once.
const double kPiSquared = std::pow(kPi, 2.0);
const double kPiFour = std::pow(kPi, 4.0);
const double kPiSix = std::pow(kPi, 6.0);
const double kSqrt2Pi = std::sqrt(2.0 * kPi);
const double kLog2Pi = std::log(2.0 * kPi);
const double kSqrt3 = std::sqrt(3.0);
constexpr double kMinLog = -708.0;
// Cephes' MINLOG, log(2^-1022): below it exp() underflows.
constexpr double kCephesMinLog = -7.08396418532264106224E2;
constexpr std::int64_t kSmirnovMaxComputeN = 1000000;
constexpr std::int64_t kSmallN = 140;

double clip_probability(double p) { return std::clamp(p, 0.0, 1.0); }

// A NumPy float64 scalar that turns into a long double the first time it is rescaled by SciPy's
// long double constants 2^128 and 2^-128 (NumPy 1.x promotes a scalar-scalar product so): the
// final products of the Durbin and Pomeranz algorithms then carry 64-bit significands, and the
// p-value 1 - CDF keeps those extra bits.
class PromotingScalar {
 public:
  explicit PromotingScalar(double value) : value_(value) {}
  void multiply_divide(double factor, double divisor) {
    value_ = extended_ ? value_ * factor / divisor : static_cast<double>(value_) * factor / divisor;
  }
  void multiply(double factor) {
    value_ = extended_ ? value_ * factor : static_cast<double>(value_) * factor;
  }
  void rescale(int exponent) {
    value_ = std::ldexp(value_, exponent);
    extended_ = true;
  }
  void ldexp(std::int64_t exponent) { value_ = std::ldexp(value_, static_cast<int>(exponent)); }
  long double value() const { return value_; }

 private:
  long double value_;
  bool extended_ = false;
};

long double clip_probability(long double p) { return std::clamp(p, 0.0L, 1.0L); }

// The requested tail from a CDF value, clipped, as SciPy's _select_and_clip_prob.
double select(long double cdf_value, long double sf_value, bool want_cdf) {
  return static_cast<double>(clip_probability(want_cdf ? cdf_value : sf_value));
}

// log(n! / n^n) by Stirling's series with n log n removed up front to avoid cancellation.
double log_factorial_over_power(std::int64_t n) {
  static constexpr std::array<double, 8> kStirling = {
      -2.955065359477124183e-2,  6.4102564102564102564e-3, -1.9175269175269175269e-3,
      8.4175084175084175084e-4,  -5.952380952380952381e-4, 7.9365079365079365079e-4,
      -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double reciprocal = 1.0 / static_cast<double>(n);
  const double argument = reciprocal / static_cast<double>(n);
  double polynomial = 0.0;
  for (double c : kStirling) polynomial = polynomial * argument + c;
  return std::log(static_cast<double>(n)) / 2 - static_cast<double>(n) + kLog2Pi / 2 +
         reciprocal * polynomial;
}

using Matrix = std::vector<double>;  // Row-major, square.

Matrix multiply(const Matrix& a, const Matrix& b, std::size_t size) {
  Matrix product(size * size, 0.0);
  for (std::size_t i = 0; i < size; ++i)
    for (std::size_t k = 0; k < size; ++k) {
      const double a_ik = a[i * size + k];
      for (std::size_t j = 0; j < size; ++j) product[i * size + j] += a_ik * b[k * size + j];
    }
  return product;
}

// P(D_n <= d) by Durbin's matrix method as Marsaglia, Tsang & Wang arrange it: with
// d = (k - h) / n, the k-th diagonal entry of (n! / n^n) H^n for a (2k-1)-square matrix H,
// raised by repeated squaring with power-of-two rescaling.
long double cdf_durbin_matrix(std::int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  const auto k = static_cast<std::int64_t>(std::ceil(nd));
  const double h = static_cast<double>(k) - nd;
  const auto m = static_cast<std::size_t>(2 * k - 1);

  std::vector<double> v(m);
  std::vector<double> w(m);
  double factorial_reciprocal = 1.0;
  for (std::size_t j = 1; j <= m; ++j) {
    w[j - 1] = factorial_reciprocal;
    factorial_reciprocal /= static_cast<double>(j);
    v[j - 1] = (1.0 - std::pow(h, static_cast<double>(j))) * factorial_reciprocal;
  }
  const double tail = std::pow(std::max(2 * h - 1.0, 0.0), static_cast<double>(m)) -
                      2 * std::pow(h, static_cast<double>(m));
  v[m - 1] = (1.0 + tail) * factorial_reciprocal;

  Matrix matrix(m * m, 0.0);
  for (std::size_t i = 1; i < m; ++i)
    for (std::size_t row = i - 1; row < m; ++row) matrix[row * m + i] = w[row - (i - 1)];
  for (std::size_t row = 0; row < m; ++row) matrix[row * m] = v[row];
  for (std::size_t column = 0; column < m; ++column)
    matrix[(m - 1) * m + column] = v[m - 1 - column];

  Matrix power(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) power[i * m + i] = 1.0;
  std::int64_t exponent = 0;
  std::int64_t matrix_exponent = 0;
  const std::size_t diagonal =
      static_cast<std::size_t>(k - 1) * m + static_cast<std::size_t>(k - 1);
  for (std::int64_t remaining = n; remaining > 0; remaining /= 2) {
    if (remaining % 2) {
      power = multiply(power, matrix, m);
      exponent += matrix_exponent;
    }
    matrix = multiply(matrix, matrix, m);
    matrix_exponent *= 2;
    if (std::abs(matrix[diagonal]) > kScaleUp) {
      for (double& entry : matrix) entry /= kScaleUp;
      matrix_exponent += kScaleExponent;
    }
  }
  PromotingScalar p(power[diagonal]);
  for (std::int64_t i = 1; i <= n; ++i) {
    p.multiply_divide(static_cast<double>(i), static_cast<double>(n));
    if (std::abs(p.value()) < kScaleDown) {
      p.rescale(kScaleExponent);
      exponent -= kScaleExponent;
    }
  }
  if (exponent != 0) p.ldexp(exponent);
  return clip_probability(p.value());
}

// The interval of non-zero entries of row i in Pomeranz's recursion.
std::pair<std::int64_t, std::int64_t> pomeranz_row_bounds(std::int64_t i, std::int64_t n,
                                                          std::int64_t ll, std::int64_t ceil_f,
                                                          std::int64_t round_f) {
  std::int64_t j1 = 0;
  std::int64_t j2 = 0;
  if (i == 0) {
    j1 = -ll - ceil_f - 1;
    j2 = ll + ceil_f - 1;
  } else {
    const std::int64_t half = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {  // i is odd
      if (half == n + 1) {
        j1 = n - ll - ceil_f - 1;
        j2 = n + ll + ceil_f - 1;
      } else {
        j1 = half - 1 - ll - round_f - 1;
        j2 = half + ll - 1 + ceil_f - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + round_f - 1;
    }
  }
  return {std::max(j1 + 2, std::int64_t{0}), std::min(j2, n)};
}

// P(D_n <= x) by Pomeranz's recursion: each row is the previous one convolved with (almost)
// Poisson probabilities; only two rows and their non-zero intervals are kept, rescaled by powers
// of two against underflow, and the answer is n! times the last entry.
long double cdf_pomeranz(std::int64_t n, double x) {
  const double t = static_cast<double>(n) * x;
  const auto ll = static_cast<std::int64_t>(std::floor(t));
  const double f = t - static_cast<double>(ll);
  const double g = std::min(f, 1.0 - f);
  const std::int64_t ceil_f = f > 0 ? 1 : 0;
  const std::int64_t round_f = f > 0.5 ? 1 : 0;
  const auto num_powers = static_cast<std::size_t>(2 * (ll + 1));
  std::vector<double> g_power(num_powers);
  std::vector<double> two_g_power(num_powers);
  std::vector<double> one_minus_two_g_power(num_powers);
  g_power[0] = two_g_power[0] = one_minus_two_g_power[0] = 1.0;
  const double dn = static_cast<double>(n);
  const double g_over_n = g / dn;
  const double two_g_over_n = 2 * g / dn;
  const double one_minus_two_g_over_n = (1 - 2 * g) / dn;
  for (std::size_t m = 1; m < num_powers; ++m) {
    const double dm = static_cast<double>(m);
    g_power[m] = g_power[m - 1] * g_over_n / dm;
    two_g_power[m] = two_g_power[m - 1] * two_g_over_n / dm;
    one_minus_two_g_power[m] = one_minus_two_g_power[m - 1] * one_minus_two_g_over_n / dm;
  }

  std::vector<double> row0(num_powers, 0.0);
  std::vector<double> row1(num_powers, 0.0);
  std::vector<double> convolution;
  row1[0] = 1.0;
  std::int64_t start0 = 0;
  std::int64_t start1 = 0;
  std::int64_t exponent = 0;
  const auto size = static_cast<std::int64_t>(num_powers);
  auto [j1, j2] = pomeranz_row_bounds(0, n, ll, ceil_f, round_f);
  for (std::int64_t i = 1; i < 2 * n + 2; ++i) {
    const std::int64_t k1 = j1;
    std::swap(row0, row1);
    std::swap(start0, start1);
    std::fill(row1.begin(), row1.end(), 0.0);
    std::tie(j1, j2) = pomeranz_row_bounds(i, n, ll, ceil_f, round_f);
    const std::vector<double>& powers =
        (i == 1 || i == 2 * n + 1) ? g_power : (i % 2 ? two_g_power : one_minus_two_g_power);
    const std::int64_t span = j2 - k1 + 1;
    if (span <= 0) continue;
    // Full convolution of row0[k1 - start0, +span) with powers[0, span), both cut at the end.
    const std::int64_t a_begin = std::clamp<std::int64_t>(k1 - start0, 0, size);
    const std::int64_t a_length = std::min(span, size - a_begin);
    const std::int64_t b_length = std::min(span, size);
    if (a_length <= 0 || b_length <= 0) continue;
    convolution.assign(static_cast<std::size_t>(a_length + b_length - 1), 0.0);
    for (std::int64_t a = 0; a < a_length; ++a)
      for (std::int64_t b = 0; b < b_length; ++b)
        convolution[static_cast<std::size_t>(a + b)] +=
            row0[static_cast<std::size_t>(a_begin + a)] * powers[static_cast<std::size_t>(b)];
    const std::int64_t convolution_start = j1 - k1;
    const std::int64_t convolution_length = j2 - j1 + 1;
    for (std::int64_t c = 0; c < convolution_length; ++c) {
      const std::int64_t source = convolution_start + c;
      if (c >= size || source < 0 || source >= static_cast<std::int64_t>(convolution.size())) break;
      row1[static_cast<std::size_t>(c)] = convolution[static_cast<std::size_t>(source)];
    }
    const double largest = *std::max_element(row1.begin(), row1.end());
    if (largest > 0 && largest < kScaleDown) {
      for (double& entry : row1) entry *= kScaleUp;
      exponent -= kScaleExponent;
    }
    start1 = start0 + j1 - k1;
  }
  PromotingScalar answer(
      row1[static_cast<std::size_t>(std::clamp<std::int64_t>(n - start1, 0, size - 1))]);
  for (std::int64_t m = 1; m <= n; ++m) {
    if (std::abs(answer.value()) > kScaleUp) {
      answer.rescale(-kScaleExponent);
      exponent += kScaleExponent;
    }
    answer.multiply(static_cast<double>(m));
  }
  if (exponent != 0) answer.ldexp(exponent);
  return clip_probability(answer.value());
}

// np.sum of a float64 vector in NumPy's order: the first element plus the pairwise sum of the
// rest (eight accumulators per block of up to 128, halves above that).
double numpy_pairwise_sum(const double* values, std::size_t n) {
  if (n < 8) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += values[i];
    return sum;
  }
  if (n <= 128) {
    std::array<double, 8> partial{};
    for (std::size_t j = 0; j < 8; ++j) partial[j] = values[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (std::size_t j = 0; j < 8; ++j) partial[j] += values[i + j];
    double sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
                 ((partial[4] + partial[5]) + (partial[6] + partial[7]));
    for (; i < n; ++i) sum += values[i];
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return numpy_pairwise_sum(values, half) + numpy_pairwise_sum(values + half, n - half);
}

double numpy_sum(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  return values[0] + numpy_pairwise_sum(values.data() + 1, values.size() - 1);
}

// The Pelz-Good approximation of P(D_n <= x): Li-Chien and Korolyuk's expansion
// K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5 in z = x sqrt(n), each term rewritten with Jacobi
// theta functions for accuracy at small z.
double cdf_pelz_good(std::int64_t n, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double z = std::sqrt(static_cast<double>(n)) * x;
  // z**k in SciPy is pow(z, k), rounded once: not the same double as repeated products.
  const double z2 = std::pow(z, 2.0);
  const double z3 = std::pow(z, 3.0);
  const double z4 = std::pow(z, 4.0);
  const double z6 = std::pow(z, 6.0);
  const double q_log = -kPiSquared / 8 / z2;
  if (q_log < kMinLog) return 0.0;
  double q = std::exp(q_log);

  const double k1a = -z2;
  const double k1b = kPiSquared / 4;
  const double k2a = 6 * z6 + 2 * z4;
  const double k2b = (2 * z4 - 5 * z2) * kPiSquared / 4;
  const double k2c = kPiFour * (1 - 2 * z2) / 16;
  const double k3d = kPiSix * (5 - 30 * z2) / 64;
  const double k3c = kPiFour * (-60 * z2 + 212 * z4) / 16;
  const double k3b = kPiSquared * (135 * z4 - 96 * z6) / 4;
  const double k3a = -30 * z6 - 90 * std::pow(z, 8);

  std::array<double, 4> terms = {0.0, 0.0, 0.0, 0.0};
  // Horner over the odd integers m = 2k - 1 of sum c_m q^(m^2).
  const auto max_k = static_cast<std::int64_t>(std::ceil(16 * z / kPi));
  for (std::int64_t k = max_k; k > 0; --k) {
    const double m = static_cast<double>(2 * k - 1);
    const double m2 = m * m;
    const double m4 = m2 * m2;
    const double m6 = m4 * m2;
    const double q_power = std::pow(q, static_cast<double>(8 * k));
    const std::array<double, 4> coefficients = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                                k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (std::size_t i = 0; i < 4; ++i) terms[i] = terms[i] * q_power + coefficients[i];
  }
  const std::array<double, 4> divisors = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (std::size_t i = 0; i < 4; ++i) terms[i] = terms[i] * q * kSqrt2Pi / divisors[i];

  // The sums over all integers k for K2 and K3, without much cancellation: summed directly.
  q = std::exp(-kPiSquared / 2 / z2);
  std::vector<double> k2_terms;
  std::vector<double> k3_terms;
  const double sqrt3_z = kSqrt3 * z;
  for (std::int64_t k = max_k; k > 0; --k) {
    const double k2 = static_cast<double>(k * k);
    const double k_pi = kPi * static_cast<double>(k);
    const double q_power = std::pow(q, k2);
    k2_terms.push_back(k2 * q_power);
    k3_terms.push_back((sqrt3_z + k_pi) * (sqrt3_z - k_pi) * k2 * q_power);
  }
  terms[2] += numpy_sum(k2_terms) * (kPiSquared * kSqrt2Pi / (-36 * z3));
  terms[3] += numpy_sum(k3_terms) * (kPiSquared * kSqrt2Pi / (216 * z6));
  double sum = 0.0;
  for (std::size_t i = 0; i < 4; ++i)
    sum += terms[i] / std::pow(static_cast<double>(n), static_cast<double>(i) / 2.0);
  return sum;
}

// floor(n x) and the fractional part of n x, exactly: n x is held as hi + lo with an FMA.
struct FloorAndFraction {
  std::int64_t floor = 0;
  double fraction = 0.0;
};
FloorAndFraction split_nx(std::int64_t n, double x) {
  const double dn = static_cast<double>(n);
  const double hi = dn * x;
  const double lo = std::fma(dn, x, -hi);
  double floor_hi = std::floor(hi);
  FloorAndFraction result;
  if (floor_hi == hi) {
    const double floor_lo = std::floor(lo);
    result.floor = static_cast<std::int64_t>(hi) + static_cast<std::int64_t>(floor_lo);
    result.fraction = lo - floor_lo;
  } else {
    result.floor = static_cast<std::int64_t>(floor_hi);
    result.fraction = (hi - floor_hi) + lo;
    if (result.fraction < 0) {
      result.fraction += 1.0;
      result.floor -= 1;
    }
  }
  if (result.fraction >= 1.0) {  // Too close to 1 to tell apart: round up, as Cephes does.
    result.floor += 1;
    result.fraction = 0.0;
  }
  return result;
}

// Double-double numbers (hi + lo, |lo| <= ulp(hi) / 2), enough for the Smirnov sum, which Cephes
// also evaluates in double-double. Products use an FMA for the exact low part.
struct DoubleDouble {
  double hi = 0.0;
  double lo = 0.0;
};

DoubleDouble two_sum(double a, double b) {
  const double sum = a + b;
  const double b_virtual = sum - a;
  return {sum, (a - (sum - b_virtual)) + (b - b_virtual)};
}

DoubleDouble quick_two_sum(double a, double b) {
  const double sum = a + b;
  return {sum, b - (sum - a)};
}

DoubleDouble add(DoubleDouble a, DoubleDouble b) {
  DoubleDouble s = two_sum(a.hi, b.hi);
  const DoubleDouble t = two_sum(a.lo, b.lo);
  s.lo += t.hi;
  s = quick_two_sum(s.hi, s.lo);
  s.lo += t.lo;
  return quick_two_sum(s.hi, s.lo);
}

DoubleDouble add(DoubleDouble a, double b) { return add(a, DoubleDouble{b, 0.0}); }

DoubleDouble multiply(DoubleDouble a, DoubleDouble b) {
  const double product = a.hi * b.hi;
  const double error = std::fma(a.hi, b.hi, -product);
  return quick_two_sum(product, error + (a.hi * b.lo + a.lo * b.hi));
}

// a / b for doubles, to double-double precision.
DoubleDouble divide(double a, double b) {
  const double quotient = a / b;
  const double remainder = std::fma(-quotient, b, a);
  return quick_two_sum(quotient, remainder / b);
}

DoubleDouble divide(DoubleDouble a, double b) {
  const double quotient = a.hi / b;
  const double product_error = std::fma(quotient, b, -(quotient * b));
  const double remainder = ((a.hi - quotient * b) - product_error) + a.lo;
  return quick_two_sum(quotient, remainder / b);
}

double to_double(DoubleDouble a) { return a.hi + a.lo; }

// A double-double significand with a separate binary exponent: binomial coefficients and powers
// in the Smirnov sum leave the range of a double long before their products do.
struct Scaled {
  DoubleDouble significand{1.0, 0.0};
  std::int64_t exponent = 0;
};

Scaled normalize(DoubleDouble value, std::int64_t exponent) {
  if (value.hi == 0.0 || !std::isfinite(value.hi)) return {value, exponent};
  int shift = 0;
  std::frexp(value.hi, &shift);
  return {{std::ldexp(value.hi, -shift), std::ldexp(value.lo, -shift)}, exponent + shift};
}

Scaled multiply(const Scaled& a, const Scaled& b) {
  return normalize(multiply(a.significand, b.significand), a.exponent + b.exponent);
}

// base^power by repeated squaring, renormalised at every step.
Scaled power(DoubleDouble base, std::int64_t power) {
  Scaled result;
  Scaled square = normalize(base, 0);
  for (; power > 0; power /= 2) {
    if (power % 2) result = multiply(result, square);
    square = multiply(square, square);
  }
  return result;
}

DoubleDouble to_double_double(const Scaled& value) {
  const auto exponent = static_cast<int>(std::clamp<std::int64_t>(value.exponent, -4000, 4000));
  return {std::ldexp(value.significand.hi, exponent), std::ldexp(value.significand.lo, exponent)};
}

// The Birnbaum-Tingey term A_v = C(n, v) (1 - x - v/n)^(n - v) (x + v/n)^(v - 1).
DoubleDouble smirnov_term(std::int64_t n, double x, std::int64_t v, const Scaled& binomial) {
  const double dn = static_cast<double>(n);
  const DoubleDouble base_down = add(divide(static_cast<double>(n - v), dn), -x);
  const DoubleDouble base_up = add(divide(static_cast<double>(v), dn), x);
  return to_double_double(
      multiply(multiply(power(base_up, v - 1), power(base_down, n - v)), binomial));
}

// The scaled Kolmogorov CDF or SF as SciPy's _kolmogn.
double kolmogorov(std::int64_t n, double x, bool want_cdf) {
  if (n <= 0) return kNaN;
  if (x >= 1.0) return select(1.0, 0.0, want_cdf);
  if (x <= 0.0) return select(0.0, 1.0, want_cdf);
  const double dn = static_cast<double>(n);
  const double t = dn * x;
  if (t <= 1.0) {  // Ruben-Gambino: 1/(2n) <= x <= 1/n.
    if (t <= 0.5) return select(0.0, 1.0, want_cdf);
    double p = 0.0;
    if (n <= kSmallN) {
      p = 1.0;
      for (std::int64_t i = 1; i <= n; ++i) p *= static_cast<double>(i) * (1.0 / dn) * (2 * t - 1);
    } else {
      p = std::exp(log_factorial_over_power(n) + dn * std::log(2 * t - 1));
    }
    return select(p, 1.0 - p, want_cdf);
  }
  if (t >= dn - 1) {  // Ruben-Gambino at the other end.
    const double p = 2 * std::pow(1.0 - x, dn);
    return select(1 - p, p, want_cdf);
  }
  if (x >= 0.5) {  // Exact: the two one-sided tails cannot both be reached.
    const double p = 2 * KolmogorovDistribution::smirnov_survival(n, x);
    return select(1.0 - p, p, want_cdf);
  }
  const double nx_squared = t * x;
  if (n <= kSmallN) {
    if (nx_squared <= 0.754693) {
      const long double p = cdf_durbin_matrix(n, x);
      return select(p, 1.0L - p, want_cdf);
    }
    if (nx_squared <= 4) {
      const long double p = cdf_pomeranz(n, x);
      return select(p, 1.0L - p, want_cdf);
    }
    const double p = 2 * KolmogorovDistribution::smirnov_survival(n, x);  // Miller's approximation
    return select(1.0 - p, p, want_cdf);
  }
  // The CDF and the SF have different cut-offs in n x^2.
  if (!want_cdf) {
    if (nx_squared >= 370.0) return 0.0;
    if (nx_squared >= 2.2)
      return clip_probability(2 * KolmogorovDistribution::smirnov_survival(n, x));
  }
  if (nx_squared >= 18.0) return select(1.0, 0.0, want_cdf);
  if (n <= 100000 && dn * std::pow(x, 1.5) <= 1.4) {
    const long double p = cdf_durbin_matrix(n, x);
    return select(p, 1.0L - p, want_cdf);
  }
  const double p = cdf_pelz_good(n, x);
  return select(p, 1.0 - p, want_cdf);
}

// rv_continuous's handling of the support [0.5 / n, 1] and of bad arguments, then _kolmogn.
double kstwo(double n, double x, bool want_cdf) {
  if (std::isnan(n) || std::isnan(x) || !(n > 0)) return kNaN;
  SL_CHECK(n == std::floor(n));
  const double lower = 0.5 / n;
  if (x <= lower) return want_cdf ? 0.0 : 1.0;
  if (x >= 1.0) return want_cdf ? 1.0 : 0.0;
  return kolmogorov(static_cast<std::int64_t>(n), x, want_cdf);
}

}  // namespace

double KolmogorovDistribution::survival(double n, double x) { return kstwo(n, x, false); }

double KolmogorovDistribution::cdf(double n, double x) { return kstwo(n, x, true); }

double KolmogorovDistribution::smirnov_survival(std::int64_t n, double x) {
  if (std::isnan(x)) return kNaN;
  if (!(n > 0 && x >= 0.0 && x <= 1.0)) return kNaN;
  if (n == 1) return 1 - x;
  if (x == 0.0) return 1.0;
  if (x == 1.0) return 0.0;
  const double dn = static_cast<double>(n);

  const FloorAndFraction nx = split_nx(n, x);
  const std::int64_t nx_floor = nx.floor;
  const double alpha = nx.fraction;
  std::int64_t last_lower = n - nx_floor - (alpha == 0 ? 0 : 1);
  std::int64_t first_upper = n - nx_floor;
  // When n x is an integer, the term at v = n (1 - x) vanishes and belongs to neither sum.
  if (alpha == 0) {
    last_lower -= 1;
    first_upper += 1;
  }
  if (nx_floor == 0 || (nx_floor == 1 && alpha == 0)) {  // x <= 1/n
    const double cdf_value = x * std::pow(1 + x, dn - 1);
    return clip_probability(1 - cdf_value);
  }
  if (-2 * dn * x * x < kCephesMinLog) return 0.0;                      // The SF underflows.
  if (nx_floor >= n - 1) return clip_probability(std::pow(1 - x, dn));  // x >= 1 - 1/n
  if (n > kSmirnovMaxComputeN) {
    // Too many terms: p ~ exp(-(6 n x + 1)^2 / (18 n)).
    const double log_p = -std::pow(6.0 * dn * x + 1, 2) / 18.0 / dn;
    return clip_probability(log_p < -std::numbers::ln2 ? std::exp(log_p) : 1 + std::expm1(log_p));
  }
  // The upper sum (v = n, n-1, ...) is used where it has few terms and x is small; it gives the
  // CDF. The lower sum (v = 0, 1, ...) gives the SF directly.
  const std::int64_t num_upper_terms = n - first_upper + 1;
  const bool use_upper = (num_upper_terms <= 1 && x < 0.5) ||
                         (n >= 10 && num_upper_terms <= 3 && x <= 0.5 / std::sqrt(dn));
  const std::int64_t start = use_upper ? n : 0;
  const std::int64_t step = use_upper ? -1 : 1;
  const std::int64_t num_terms = use_upper ? num_upper_terms : last_lower + 1;
  // The first term: v = n, (1 + x)^(n - 1), for the upper sum; v = 0, (1 - x)^n / x, for the lower.
  const DoubleDouble one{1.0, 0.0};
  DoubleDouble sum = use_upper ? to_double_double(power(add(one, x), n - 1))
                               : divide(to_double_double(power(add(one, -x), n)), x);
  Scaled binomial;  // C(n, j), updated by (n - j + 1) / j; C(n, v) = C(n, j) in both directions.
  const std::int64_t middle = n / 2;
  for (std::int64_t j = 1; j < num_terms; ++j) {
    binomial = normalize(multiply(binomial.significand,
                                  divide(static_cast<double>(n - j + 1), static_cast<double>(j))),
                         binomial.exponent);
    const std::int64_t v = start + j * step;
    const DoubleDouble term = smirnov_term(n, x, v, binomial);
    const double term_value = to_double(term);
    if (std::isfinite(term_value) && term_value != 0) sum = add(sum, term);
    // Stop once the remaining terms cannot change the double result.
    if (term_value != 0) {
      if (4 * static_cast<double>(num_terms - j) * std::abs(term_value) <
              DBL_EPSILON * to_double(sum) &&
          j != num_terms - 1)
        break;
    } else if (j > middle) {
      break;
    }
  }
  const double probability = to_double(multiply(sum, DoubleDouble{x, 0.0}));
  return clip_probability(use_upper ? 1 - probability : probability);
}

}  // namespace streamlearn::monitors
