#pragma once

/// KolmogorovDistribution: the distribution of the one-sample Kolmogorov-Smirnov statistic D_n for
/// finite n, as SciPy evaluates it for `scipy.stats.kstwo` (stats/_ksstats.py, Simard & L'Ecuyer
/// 2011: Ruben-Gambino closed forms at the ends, the Durbin matrix (Marsaglia, Tsang & Wang 2003)
/// and Pomeranz (1974) algorithms for small n, Pelz-Good (1976) for large n) and for the one-sided
/// `scipy.special.smirnov` (Birnbaum-Tingey sum). KolmogorovSmirnov uses it for the asymptotic
/// p-value of the two-sample test, kstwo.sf(d, round(n m / (n + m))).
///
/// Branches, thresholds and the order of operations follow SciPy 1.10 to 1.13, including the
/// long double tail that NumPy 1.x gives the Durbin and Pomeranz products once they are rescaled
/// by SciPy's long double constants. What cannot be reproduced portably is NumPy's vectorised
/// exp and BLAS's summation order in matrix products and convolutions: values agree with SciPy to
/// a few ulps, at worst about 1e-14 relative (tiny CDFs, or survival values computed as 1 - CDF),
/// not always bit for bit. The double-double Smirnov sum agrees to an ulp.
///
/// Cost per call: Durbin O(k^3 log n + n) with k = ceil(n x), Pomeranz O(n (n x)^2) (n <= 140),
/// the Smirnov sum O(n log n) at most, Pelz-Good O(sqrt(n) x); small temporary allocations.
/// Stateless, thread-safe.

#include <cstdint>

namespace streamlearn::monitors {

class KolmogorovDistribution {
 public:
  /// `scipy.stats.kstwo.sf(x, n)` = P(D_n > x): 1 for x <= 0.5 / n, 0 for x >= 1, NaN for a NaN
  /// or for n < 1. n must be integral.
  static double survival(double n, double x);
  /// `scipy.stats.kstwo.cdf(x, n)` = P(D_n <= x), on the same domain.
  static double cdf(double n, double x);
  /// `scipy.special.smirnov(n, x)` = P(D+_n >= x), the one-sided statistic, for n >= 1.
  static double smirnov_survival(std::int64_t n, double x);
};

}  // namespace streamlearn::monitors
