#pragma once

/// CategoricalDriftStatistics: how far the distribution of a categorical feature in a current
/// window has moved from a reference window, from two aligned CategoricalHistograms, with the
/// definitions of Evidently's data-drift tests (evidently/legacy/calculations/stattests:
/// chisquare_stattest.py, psi.py, jensenshannon.py and get_binned_data in utils.py):
///
/// - The categories are the union of those seen in either window (count > 0 on at least one
///   side); the histograms' overflow buckets, when either is non-empty, count as one more
///   category. n_ref and n_cur are the window totals; r_i, c_i the counts.
/// - Chi-square (`scipy.stats.chisquare(f_obs, f_exp)`): f_obs = c_i and
///   f_exp = r_i * (n_cur / n_ref), i.e. the reference counts rescaled to the current total (not
///   percents). Statistic sum (f_obs - f_exp)^2 / f_exp; p-value chi2.sf(statistic, k - 1) for k
///   categories. Evidently drifts when p < threshold (default 0.05). This is a goodness-of-fit
///   test against the reference proportions taken as exact, not a two-sample test: the
///   reference's own sampling noise is ignored, so without drift the statistic is about
///   (1 + n_cur / n_ref) chi2(k - 1) and the p-value is only calibrated when the reference is
///   much larger than the current window (with n_ref = n_cur, about 30% of p-values fall below
///   0.05 for 5 categories; see the tests).
/// - PSI: percents r_i / n_ref and c_i / n_cur; on each side separately, zero percents are
///   replaced by min(non-zero percents) / 1e6 when that minimum is <= 1e-4, else by 1e-4. Then
///   sum (ref - cur) * ln(ref / cur). Evidently drifts when PSI >= 0.1.
/// - Jensen-Shannon distance (`scipy.spatial.distance.jensenshannon(ref, cur, base)`): the same
///   percents WITHOUT the zero replacement (Evidently calls get_binned_data with
///   feel_zeroes=False; 0 ln 0 = 0), renormalised to sum 1, m = (ref + cur) / 2,
///   sqrt((KL(ref || m) + KL(cur || m)) / 2); natural logarithm unless a base is given
///   (Evidently's default base is None, i.e. e). Evidently drifts when the distance >= 0.1.
///
/// Edge cases, each a deliberate answer rather than an accident:
/// - Empty window (n_ref = 0 or n_cur = 0): every statistic is NaN and has_data() is false
///   (Evidently divides by zero there). NaN compares false, so a threshold rule does not fire.
/// - A category new in the current window (r_i = 0, c_i > 0): f_exp = 0, so the chi-square
///   statistic is +inf and the p-value 0, as SciPy returns them (with a divide-by-zero warning).
///   PSI uses the replacement percent and stays finite; JS is finite.
/// - One category in all (0 degrees of freedom): the statistic is 0 and the p-value 1. SciPy's
///   chi2 is undefined there and Evidently gets NaN, which also never signals drift.
/// - Missing values are not categories: do not add them to the histograms (Evidently drops NaN
///   from the categories but still counts it in the window length; without missing values the
///   two agree).
/// - The JS sum is clamped at 0 before the square root, so identical windows give exactly 0
///   rather than a NaN from a -1e-17 rounding residue.
///
/// Cost: compare() is O(k) time and allocates two vectors of k counts, k <= the two histograms'
/// max_categories + 1; each statistic is O(k) more with no allocation. Immutable after compare(),
/// so concurrent reads are safe.
///
///     auto statistics = CategoricalDriftStatistics::compare(reference, current);
///     if (!statistics) return statistics.status();  // histograms not aligned
///     bool drift = statistics->chi_square_p_value() < 0.05;

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "monitors/data_drift/categorical_histogram.h"

namespace streamlearn::monitors {

class CategoricalDriftStatistics {
 public:
  /// Lines up the counts of both windows. Fails when the histograms are not aligned
  /// (CategoricalHistogram::check_aligned), since their counts could not be compared.
  static core::Result<CategoricalDriftStatistics> compare(const CategoricalHistogram& reference,
                                                          const CategoricalHistogram& current);

  /// True when both windows hold at least one value; otherwise every statistic is NaN.
  bool has_data() const { return reference_total_ > 0 && current_total_ > 0; }
  /// Categories seen in either window, the overflow bucket counting as one.
  std::size_t num_categories() const { return reference_counts_.size(); }
  /// num_categories() - 1 (0 when there is none).
  std::size_t degrees_of_freedom() const;

  /// Pearson's statistic with Evidently's expected counts; +inf when a category is new.
  double chi_square_statistic() const;
  /// chi2.sf(statistic, degrees_of_freedom()); 1 with 0 degrees of freedom.
  double chi_square_p_value() const;
  /// Population stability index with Evidently's replacement of zero percents.
  double psi() const;
  /// Jensen-Shannon distance, natural logarithm (Evidently's default).
  double jensen_shannon_distance() const;
  /// Jensen-Shannon distance in logarithm base `log_base` (2 bounds it by 1).
  double jensen_shannon_distance(double log_base) const;

 private:
  CategoricalDriftStatistics() = default;
  double jensen_shannon_divergence() const;

  // Parallel: the count of one category in each window.
  std::vector<std::uint64_t> reference_counts_;
  std::vector<std::uint64_t> current_counts_;
  std::uint64_t reference_total_ = 0;
  std::uint64_t current_total_ = 0;
};

}  // namespace streamlearn::monitors
