#include "monitors/data_drift/chi_square_distribution.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace streamlearn::monitors {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
// Smallest magnitude the Lentz recurrences let a denominator take before replacing it.
constexpr double kTiny = 1e-300;
// Far beyond what either expansion needs (O(sqrt(a)) terms); only a guard against a NaN loop.
constexpr int kMaxIterations = 100000;

// Stirling's error, lgamma(a) - ((a - 1/2) log a - a + log(2 pi) / 2). Beyond 15 the asymptotic
// series with five terms is exact to an ulp (the next term is below 2e-16 there); below, the
// direct difference of numbers under 40 loses only a few ulps.
double stirling_error(double a) {
  if (a > 15.0) {
    const double inverse_square = 1.0 / (a * a);
    constexpr double kS0 = 1.0 / 12.0;
    constexpr double kS1 = 1.0 / 360.0;
    constexpr double kS2 = 1.0 / 1260.0;
    constexpr double kS3 = 1.0 / 1680.0;
    constexpr double kS4 = 1.0 / 1188.0;
    return (kS0 - (kS1 - (kS2 - (kS3 - kS4 * inverse_square) * inverse_square) * inverse_square) *
                      inverse_square) /
           a;
  }
  return std::lgamma(a) - (a - 0.5) * std::log(a) + a - 0.5 * std::log(2.0 * std::numbers::pi);
}

// log(x^a e^-x / Gamma(a)), the factor shared by the series and the continued fraction, in the
// form a log(x / a) - (x - a) + log(a / (2 pi)) / 2 - stirlerr(a). Near x = a, log(x / a) is taken
// as log1p((x - a) / a), whose argument is exact to an ulp (x - a is exact there), so the error
// of the exponent stays at about eps |x - a| instead of eps a; far from it, log(x / a) keeps its
// relative accuracy where (x - a) / a would lose it (x << a).
double log_gamma_density_factor(double a, double x) {
  const double t = (x - a) / a;
  const double log_ratio = std::abs(t) < 0.5 ? std::log1p(t) : std::log(x / a);
  return a * log_ratio - (x - a) + 0.5 * std::log(a / (2.0 * std::numbers::pi)) - stirling_error(a);
}

// P(a, x) by its power series: x^a e^-x / Gamma(a) * sum_n x^n / (a (a + 1) ... (a + n)).
double lower_gamma_series(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  double denominator = a;
  for (int n = 0; n < kMaxIterations; ++n) {
    denominator += 1.0;
    term *= x / denominator;
    sum += term;
    if (term < sum * kEpsilon) break;
  }
  return sum * std::exp(log_gamma_density_factor(a, x));
}

// Q(a, x) by the continued fraction 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / ...)),
// evaluated by the modified Lentz algorithm.
double upper_gamma_continued_fraction(double a, double x) {
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double fraction = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double numerator = -i * (i - a);
    b += 2.0;
    d = numerator * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + numerator / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    fraction *= delta;
    if (std::abs(delta - 1.0) <= kEpsilon) break;
  }
  return fraction * std::exp(log_gamma_density_factor(a, x));
}

// Regularized lower (want_upper false) or upper incomplete gamma function of a > 0, x > 0.
double regularized_gamma(double a, double x, bool want_upper) {
  if (x < a + 1.0) {
    const double lower = lower_gamma_series(a, x);
    return want_upper ? 1.0 - lower : lower;
  }
  const double upper = upper_gamma_continued_fraction(a, x);
  return want_upper ? upper : 1.0 - upper;
}

}  // namespace

double ChiSquareDistribution::survival(double degrees_of_freedom, double x) {
  if (std::isnan(x) || !(degrees_of_freedom > 0.0) || std::isinf(degrees_of_freedom)) return kNaN;
  if (x <= 0.0) return 1.0;
  if (std::isinf(x)) return 0.0;
  return regularized_gamma(degrees_of_freedom / 2.0, x / 2.0, /*want_upper=*/true);
}

double ChiSquareDistribution::cdf(double degrees_of_freedom, double x) {
  if (std::isnan(x) || !(degrees_of_freedom > 0.0) || std::isinf(degrees_of_freedom)) return kNaN;
  if (x <= 0.0) return 0.0;
  if (std::isinf(x)) return 1.0;
  return regularized_gamma(degrees_of_freedom / 2.0, x / 2.0, /*want_upper=*/false);
}

}  // namespace streamlearn::monitors
