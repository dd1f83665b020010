#pragma once

/// KolmogorovSmirnov: the two-sided two-sample Kolmogorov-Smirnov test exactly as SciPy's
/// `scipy.stats.ks_2samp(a, b, alternative='two-sided', method=...)` computes it (SciPy 1.10 to
/// 1.13 share this code), which River's KSWIN calls with method='auto'.
///
/// The statistic D is the largest |F_a(v) - F_b(v)| over the pooled values v, with both empirical
/// CDFs counting ties as SciPy's searchsorted(side='right') does. The exact p-value P(D >= d)
/// under the null hypothesis is a lattice-path probability (Hodges 1958): d is rounded to h / lcm
/// of the sample sizes, then equal sizes use the alternating binomial series evaluated with
/// SciPy's Horner-like scheme, and unequal sizes use Hodges' "inside" recursion rewritten to
/// give 1 - p directly (Viehmann 2021), with the same operation order as SciPy so that the
/// p-value is the same double. 'auto' is exact while both sizes are <= 10000, else asymptotic;
/// an exact result outside [0, 1] (rounding when the true value is 1) also falls back, as in
/// SciPy, to the asymptotic p-value kstwo.sf(d, round(n m / (n + m))) (KolmogorovDistribution).
///
/// Cost: sorting, O((n + m) log(n + m)); exact p-value O(n) for equal sizes, O(n m / gcd) at worst
/// otherwise. No allocation for equal sizes. Stateless, thread-safe.

#include <cstdint>
#include <optional>
#include <span>

namespace streamlearn::monitors {

class KolmogorovSmirnov {
 public:
  /// SciPy's `method`: 'auto' is exact when max(n, m) <= kMaxAutoExactSize.
  enum class Method { kAuto, kExact, kAsymptotic };

  struct Result {
    /// D; when the exact method was attempted, the rounded h / lcm(n, m), as SciPy returns it.
    double statistic = 0.0;
    double p_value = 1.0;
    /// Whether the p-value came from the exact method (false: asymptotic).
    bool exact = true;
  };

  static constexpr std::int64_t kMaxAutoExactSize = 10000;

  /// `ks_2samp(first, second, method=method)`: both samples non-empty. Sorts both in place. A NaN
  /// in either sample gives NaN statistic and p-value (SciPy's nan_policy='propagate').
  static Result two_sample(std::span<double> first, std::span<double> second,
                           Method method = Method::kAuto);

  /// two_sample() for samples already in ascending order and free of NaN, which it does not
  /// check: the same result, without the sorts (Kswin keeps its samples sorted as they slide).
  static Result two_sample_sorted(std::span<const double> first, std::span<const double> second,
                                  Method method = Method::kAuto);

  /// The two-sided statistic of two ascending, NaN-free, non-empty samples (before rounding).
  static double statistic_of_sorted(std::span<const double> first, std::span<const double> second);

  /// SciPy's exact two-sided P(D >= h / lcm(n, m)) for sample sizes n, m >= 1 and
  /// 0 <= h <= lcm(n, m); nullopt where SciPy's exact attempt fails (a result outside [0, 1]).
  static std::optional<double> exact_p_value(std::int64_t n, std::int64_t m, std::int64_t h);

  /// SciPy's asymptotic two-sided p-value: kstwo.sf(d, round(n m / (n + m))), clipped to [0, 1].
  static double asymptotic_p_value(std::int64_t n, std::int64_t m, double d);
};

}  // namespace streamlearn::monitors
