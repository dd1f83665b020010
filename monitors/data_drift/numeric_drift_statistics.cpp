#include "monitors/data_drift/numeric_drift_statistics.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "core/check.h"
#include "monitors/drift/kolmogorov_smirnov.h"

namespace streamlearn::monitors {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Evidently's get_binned_data: a zero fraction becomes the smallest non-zero one / 1e6 when that
// is <= 1e-4, else 1e-4.
constexpr double kZeroFractionThreshold = 1e-4;
constexpr double kZeroFractionDivisor = 1e6;

double zero_replacement(const std::vector<std::int64_t>& counts, double total) {
  std::int64_t smallest = 0;
  for (std::int64_t count : counts)
    if (count > 0 && (smallest == 0 || count < smallest)) smallest = count;
  const double smallest_fraction = static_cast<double>(smallest) / total;
  return smallest_fraction <= kZeroFractionThreshold ? smallest_fraction / kZeroFractionDivisor
                                                     : kZeroFractionThreshold;
}

// scipy.special.rel_entr(x, y) for x >= 0, y > 0.
double relative_entropy(double x, double y) { return x > 0.0 ? x * std::log(x / y) : 0.0; }

// The largest gap between integral |G| and |integral G| over one bin, given the integral I of G
// there and upper bounds on the integrals of G+ and G- (the header's derivation).
double sign_change_gap(double integral, double positive_bound, double negative_bound) {
  const double gap =
      std::min(positive_bound - std::max(integral, 0.0), negative_bound - std::max(-integral, 0.0));
  return 2.0 * std::max(gap, 0.0);
}

}  // namespace

NumericDriftStatistics::NumericDriftStatistics(const NumericHistogram& reference,
                                               const NumericHistogram& current) {
  SL_CHECK(reference.same_edges(current));
  psi_ = jensen_shannon_distance_ = ks_statistic_ = ks_statistic_error_bound_ = kNaN;
  wasserstein_ = wasserstein_error_bound_ = kNaN;
  normalizer_ = std::max(reference.reference_summary().standard_deviation, kMinNormalizer);
  if (reference.total() == 0 || current.total() == 0 || reference.edges().empty()) return;

  const std::vector<double>& edges = reference.edges();
  const std::vector<std::int64_t>& reference_counts = reference.counts();
  const std::vector<std::int64_t>& current_counts = current.counts();
  const std::vector<double>& reference_offsets = reference.offset_sums();
  const std::vector<double>& current_offsets = current.offset_sums();
  const double n = static_cast<double>(reference.total());
  const double m = static_cast<double>(current.total());
  const double reference_zero = zero_replacement(reference_counts, n);
  const double current_zero = zero_replacement(current_counts, m);
  const std::size_t last = reference_counts.size() - 1;

  double psi = 0.0;
  double jensen_shannon_sum = 0.0;
  double ks_statistic = 0.0;
  double ks_error_bound = 0.0;
  double wasserstein = 0.0;
  double wasserstein_error_bound = 0.0;
  // Running P_i and Q_i: the empirical CDFs just below the bin's upper edge.
  std::int64_t reference_below = 0;
  std::int64_t current_below = 0;
  for (std::size_t bin = 0; bin <= last; ++bin) {
    const double p = static_cast<double>(reference_counts[bin]) / n;
    const double q = static_cast<double>(current_counts[bin]) / m;

    const double p_psi = p > 0.0 ? p : reference_zero;
    const double q_psi = q > 0.0 ? q : current_zero;
    psi += (p_psi - q_psi) * std::log(p_psi / q_psi);
    const double mixture = (p + q) / 2.0;
    jensen_shannon_sum += relative_entropy(p, mixture) + relative_entropy(q, mixture);

    ks_error_bound = std::max(ks_error_bound, std::min(p, q));
    const double difference_below =
        static_cast<double>(reference_below) / n - static_cast<double>(current_below) / m;
    reference_below += reference_counts[bin];
    current_below += current_counts[bin];
    const double difference_above =
        static_cast<double>(reference_below) / n - static_cast<double>(current_below) / m;
    if (bin < last) ks_statistic = std::max(ks_statistic, std::abs(difference_above));

    // Integrals of F over the lowest bin and of 1 - F over the highest, from the offset sums.
    const double reference_mass_integral = std::abs(reference_offsets[bin]) / n;
    const double current_mass_integral = std::abs(current_offsets[bin]) / m;
    const double offsets_term = current_offsets[bin] / m - reference_offsets[bin] / n;
    double integral = offsets_term;
    double gap = 0.0;
    if (bin == 0) {
      gap = sign_change_gap(integral, reference_mass_integral, current_mass_integral);
    } else if (bin == last) {
      gap = sign_change_gap(integral, current_mass_integral, reference_mass_integral);
    } else {
      const double width = edges[bin] - edges[bin - 1];
      integral += difference_above * width;
      gap = sign_change_gap(integral, width * std::max(0.0, difference_below + p),
                            width * std::max(0.0, q - difference_below));
    }
    wasserstein += std::abs(integral);
    wasserstein_error_bound += gap;
  }

  psi_ = psi;
  // scipy's jensenshannon clamps nothing; rounding can make the sum a hair negative only when
  // p == q, where the distance is 0.
  jensen_shannon_distance_ = std::sqrt(std::max(jensen_shannon_sum, 0.0) / 2.0);
  ks_statistic_ = ks_statistic;
  ks_statistic_error_bound_ = ks_error_bound;
  reference_total_ = reference.total();
  current_total_ = current.total();
  wasserstein_ = wasserstein;
  wasserstein_error_bound_ = wasserstein_error_bound;
}

double NumericDriftStatistics::ks_p_value() const {
  if (std::isnan(ks_statistic_)) return kNaN;
  return KolmogorovSmirnov::asymptotic_p_value(reference_total_, current_total_, ks_statistic_);
}

double NumericDriftStatistics::ks_p_value_lower_bound() const {
  if (std::isnan(ks_statistic_)) return kNaN;
  return KolmogorovSmirnov::asymptotic_p_value(
      reference_total_, current_total_, std::min(ks_statistic_ + ks_statistic_error_bound_, 1.0));
}

}  // namespace streamlearn::monitors
