#include "monitors/drift/kolmogorov_smirnov.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "core/check.h"
#include "monitors/drift/kolmogorov_distribution.h"

namespace streamlearn::monitors {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// P(D_{n,n} >= h / n) = 2 (C(2n, n-h) - C(2n, n-2h) + C(2n, n-3h) - ...) / C(2n, n). Each ratio
// C(2n, n-kh) / C(2n, n-(k-1)h) is a product of h simple factors, and the series is evaluated
// from its innermost term outwards, P = A0 (1 - A1 (1 - A2 (...))), to avoid the cancellation of
// summing it directly. The factor order is SciPy's, so the result is the same double.
double probability_outside_square(std::int64_t n, std::int64_t h) {
  double probability = 0.0;
  for (std::int64_t k = n / h; k >= 0; --k) {
    double term = 1.0;
    for (std::int64_t j = 0; j < h; ++j)
      term = static_cast<double>(n - k * h - j) * term / static_cast<double>(n + k * h + j + 1);
    probability = term * (1.0 - probability);
  }
  return 2.0 * probability;
}

// 1 - (the proportion of lattice paths from (0, 0) to (m, n) that stay strictly inside
// |x/m - y/n| < h / lcm(m, n)), by Hodges' inside method, one column at a time over the sliding
// band of admissible rows. Each entry is kept as "1 - proportion" (Viehmann 2021), so the column
// update is a weighted average and stays in [0, 1] without rescaling.
double outer_probability_inside_method(std::int64_t m, std::int64_t n, std::int64_t g,
                                       std::int64_t h) {
  if (m < n) std::swap(m, n);  // The probability is symmetric; the band below assumes m >= n.
  const std::int64_t mg = m / g;
  const std::int64_t ng = n / g;
  const auto floor_div = [](std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
  };
  const auto ceil_div = [](std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(std::ceil(static_cast<double>(a) / static_cast<double>(b)));
  };
  std::int64_t min_j = 0;
  std::int64_t max_j = std::min(ceil_div(h, mg), n + 1);
  std::int64_t current_length = max_j - min_j;
  const std::int64_t length = std::min(2 * max_j + 2, n + 1);
  std::vector<double> column(static_cast<std::size_t>(length), 1.0);
  for (std::int64_t j = min_j; j < std::min(max_j, length); ++j)
    column[static_cast<std::size_t>(j)] = 0.0;
  for (std::int64_t i = 1; i <= m; ++i) {
    const std::int64_t last_min_j = min_j;
    const std::int64_t last_length = current_length;
    min_j = std::min(std::max(floor_div(ng * i - h, mg) + 1, std::int64_t{0}), n);
    max_j = std::min(ceil_div(ng * i + h, mg), n + 1);
    if (max_j <= min_j) return 1.0;
    double value = min_j == 0 ? 0.0 : 1.0;
    for (std::int64_t jj = 0; jj < max_j - min_j; ++jj) {
      const std::int64_t j = jj + min_j;
      const std::int64_t source = jj + min_j - last_min_j;
      SL_DCHECK_LT(source, length);
      value = (column[static_cast<std::size_t>(source)] * static_cast<double>(i) +
               value * static_cast<double>(j)) /
              static_cast<double>(i + j);
      column[static_cast<std::size_t>(jj)] = value;
    }
    current_length = max_j - min_j;
    // Rows that left the band count as "outside" (1) for the next column.
    for (std::int64_t j = current_length; j < std::min(length, last_length); ++j)
      column[static_cast<std::size_t>(j)] = 1.0;
  }
  return column[static_cast<std::size_t>(max_j - min_j - 1)];
}

}  // namespace

double KolmogorovSmirnov::statistic_of_sorted(std::span<const double> first,
                                              std::span<const double> second) {
  const std::size_t n1 = first.size();
  const std::size_t n2 = second.size();
  SL_CHECK(n1 > 0 && n2 > 0);
  // Walk the pooled values in order; at each distinct value v both CDFs count the elements <= v.
  double max_difference = -std::numeric_limits<double>::infinity();
  double min_difference = std::numeric_limits<double>::infinity();
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n1 || j < n2) {
    const double v = (j == n2 || (i < n1 && first[i] <= second[j])) ? first[i] : second[j];
    while (i < n1 && first[i] <= v) ++i;
    while (j < n2 && second[j] <= v) ++j;
    const double difference = static_cast<double>(i) / static_cast<double>(n1) -
                              static_cast<double>(j) / static_cast<double>(n2);
    max_difference = std::max(max_difference, difference);
    min_difference = std::min(min_difference, difference);
  }
  const double min_statistic = std::clamp(-min_difference, 0.0, 1.0);
  return min_statistic > max_difference ? min_statistic : max_difference;
}

std::optional<double> KolmogorovSmirnov::exact_p_value(std::int64_t n, std::int64_t m,
                                                       std::int64_t h) {
  SL_CHECK(n > 0 && m > 0 && h >= 0);
  if (h == 0) return 1.0;
  const double probability = n == m ? probability_outside_square(n, h)
                                    : outer_probability_inside_method(n, m, std::gcd(n, m), h);
  if (!(probability >= 0.0 && probability <= 1.0)) return std::nullopt;
  return probability;
}

double KolmogorovSmirnov::asymptotic_p_value(std::int64_t n, std::int64_t m, double d) {
  const double larger = static_cast<double>(std::max(n, m));
  const double smaller = static_cast<double>(std::min(n, m));
  const double effective_size = larger * smaller / (larger + smaller);
  // np.round rounds halves to even, as nearbyint does in the default rounding mode.
  const double p = KolmogorovDistribution::survival(std::nearbyint(effective_size), d);
  return std::isnan(p) ? p : std::clamp(p, 0.0, 1.0);
}

KolmogorovSmirnov::Result KolmogorovSmirnov::two_sample(std::span<double> first,
                                                        std::span<double> second, Method method) {
  SL_CHECK(!first.empty() && !second.empty());
  const auto has_nan = [](std::span<const double> values) {
    return std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
  };
  if (has_nan(first) || has_nan(second)) return {kNaN, kNaN, false};
  std::sort(first.begin(), first.end());
  std::sort(second.begin(), second.end());
  return two_sample_sorted(first, second, method);
}

KolmogorovSmirnov::Result KolmogorovSmirnov::two_sample_sorted(std::span<const double> first,
                                                               std::span<const double> second,
                                                               Method method) {
  SL_CHECK(!first.empty() && !second.empty());
  const auto n1 = static_cast<std::int64_t>(first.size());
  const auto n2 = static_cast<std::int64_t>(second.size());
  Result result;
  result.statistic = statistic_of_sorted(first, second);

  const std::int64_t g = std::gcd(n1, n2);
  bool exact = false;
  if (method == Method::kAuto) {
    exact = std::max(n1, n2) <= kMaxAutoExactSize;
  } else if (method == Method::kExact) {
    // SciPy gives up on 'exact' when lcm(n1, n2) would not fit an int32.
    exact =
        static_cast<double>(n1 / g) <
        static_cast<double>(std::numeric_limits<std::int32_t>::max()) / static_cast<double>(n2 / g);
  }
  if (exact) {
    const std::int64_t lcm = (n1 / g) * n2;
    const auto h =
        static_cast<std::int64_t>(std::nearbyint(result.statistic * static_cast<double>(lcm)));
    result.statistic = static_cast<double>(h) / static_cast<double>(lcm);
    if (const std::optional<double> p = exact_p_value(n1, n2, h)) {
      result.p_value = *p;
      result.exact = true;
      return result;
    }
  }
  result.p_value = asymptotic_p_value(n1, n2, result.statistic);
  result.exact = false;
  return result;
}

}  // namespace streamlearn::monitors
