#include "monitors/data_drift/numeric_drift_statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "monitors/data_drift/numeric_histogram.h"
#include "monitors/drift/kolmogorov_smirnov.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

// Normal(mean, scale) by Box-Muller, so that the samples are easy to rebuild anywhere.
std::vector<double> normal_sample(std::uint64_t seed, std::size_t size, double mean, double scale) {
  SplitMix64 rng(seed);
  std::vector<double> values;
  while (values.size() < size) {
    const double radius = std::sqrt(-2.0 * std::log(1.0 - rng.uniform()));
    const double angle = 2.0 * std::numbers::pi * rng.uniform();
    values.push_back(mean + scale * radius * std::cos(angle));
    if (values.size() < size) values.push_back(mean + scale * radius * std::sin(angle));
  }
  return values;
}

std::vector<double> sorted(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values;
}

// The exact two-sample statistic sup |F_r - F_c| over the pooled values (right-continuous CDFs).
double exact_ks_statistic(const std::vector<double>& reference,
                          const std::vector<double>& current) {
  const std::vector<double> a = sorted(reference);
  const std::vector<double> b = sorted(current);
  const double n = static_cast<double>(a.size());
  const double m = static_cast<double>(b.size());
  std::size_t i = 0;
  std::size_t j = 0;
  double statistic = 0.0;
  while (i < a.size() || j < b.size()) {
    const double v = j == b.size() || (i < a.size() && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.size() && a[i] == v) ++i;
    while (j < b.size() && b[j] == v) ++j;
    statistic =
        std::max(statistic, std::abs(static_cast<double>(i) / n - static_cast<double>(j) / m));
  }
  return statistic;
}

// scipy.stats.wasserstein_distance(reference, current): the integral of |F_r - F_c| between
// consecutive pooled values.
double exact_wasserstein(const std::vector<double>& reference, const std::vector<double>& current) {
  const std::vector<double> a = sorted(reference);
  const std::vector<double> b = sorted(current);
  const double n = static_cast<double>(a.size());
  const double m = static_cast<double>(b.size());
  std::size_t i = 0;
  std::size_t j = 0;
  double distance = 0.0;
  double previous = 0.0;
  double previous_gap = 0.0;
  while (i < a.size() || j < b.size()) {
    const double v = j == b.size() || (i < a.size() && a[i] <= b[j]) ? a[i] : b[j];
    distance += previous_gap * (v - previous);
    while (i < a.size() && a[i] == v) ++i;
    while (j < b.size() && b[j] == v) ++j;
    previous = v;
    previous_gap = std::abs(static_cast<double>(i) / n - static_cast<double>(j) / m);
  }
  return distance;
}

double population_std(const std::vector<double>& values) {
  double mean = 0.0;
  for (double x : values) mean += x;
  mean /= static_cast<double>(values.size());
  double sum_of_squares = 0.0;
  for (double x : values) sum_of_squares += (x - mean) * (x - mean);
  return std::sqrt(sum_of_squares / static_cast<double>(values.size()));
}

// The fractions of the raw sample in [e_{i-1}, e_i), counted by a linear scan of the edges.
std::vector<double> batch_fractions(const std::vector<double>& values,
                                    const std::vector<double>& edges) {
  std::vector<double> fractions(edges.size() + 1, 0.0);
  for (double x : values) {
    std::size_t bin = 0;
    while (bin < edges.size() && x >= edges[bin]) ++bin;
    fractions[bin] += 1.0;
  }
  for (double& fraction : fractions) fraction /= static_cast<double>(values.size());
  return fractions;
}

// Evidently's get_binned_data zero replacement followed by psi.py's sum.
double batch_psi(std::vector<double> p, std::vector<double> q) {
  for (std::vector<double>* fractions : {&p, &q}) {
    double smallest = 1.0;
    for (double f : *fractions)
      if (f > 0.0) smallest = std::min(smallest, f);
    const double replacement = smallest <= 1e-4 ? smallest / 1e6 : 1e-4;
    for (double& f : *fractions)
      if (f == 0.0) f = replacement;
  }
  double psi = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) psi += (p[i] - q[i]) * std::log(p[i] / q[i]);
  return psi;
}

// scipy.spatial.distance.jensenshannon(p, q) with the natural logarithm.
double batch_jensen_shannon(const std::vector<double>& p, const std::vector<double>& q) {
  double sum = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double mixture = (p[i] + q[i]) / 2.0;
    if (p[i] > 0.0) sum += p[i] * std::log(p[i] / mixture);
    if (q[i] > 0.0) sum += q[i] * std::log(q[i] / mixture);
  }
  return std::sqrt(sum / 2.0);
}

struct Windows {
  NumericHistogram reference;
  NumericHistogram current;
};

Windows histograms_of(const std::vector<double>& reference, const std::vector<double>& current,
                      std::size_t num_bins) {
  Windows windows{NumericHistogram::from_reference(reference, num_bins), NumericHistogram()};
  windows.current = windows.reference.empty_copy();
  for (double x : current) windows.current.add(x);
  return windows;
}

TEST(NumericDriftStatisticsTest, UsageExampleFlagsAMeanShift) {
  const Windows windows =
      histograms_of(normal_sample(1, 2000, 0.0, 1.0), normal_sample(2, 1000, 1.0, 1.0), 30);
  NumericDriftStatistics drift(windows.reference, windows.current);
  EXPECT_TRUE(drift.psi() >= 0.1 || drift.ks_p_value() <= 0.05);
  EXPECT_GE(drift.psi(), 0.1);
  EXPECT_LE(drift.ks_p_value(), 0.05);
}

TEST(NumericDriftStatisticsTest, HandComputedCaseMatchesEvidentlysFormulas) {
  // Edges {2.5}: reference fractions (0.5, 0.5), current (0.75, 0.25).
  const std::vector<double> reference = {1, 2, 3, 4};
  const std::vector<double> current = {1, 1, 1, 4};
  const Windows windows = histograms_of(reference, current, 2);
  const NumericDriftStatistics drift(windows.reference, windows.current);
  // (0.5 - 0.75) ln(0.5 / 0.75) + (0.5 - 0.25) ln(0.5 / 0.25) = ln(3) / 4.
  EXPECT_NEAR(drift.psi(), std::log(3.0) / 4.0, 1e-15);
  // M = (0.625, 0.375): sqrt((0.5 ln 0.8 + 0.5 ln(4 / 3) + 0.75 ln 1.2 + 0.25 ln(2 / 3)) / 2).
  const double js_sum = 0.5 * std::log(0.5 / 0.625) + 0.5 * std::log(0.5 / 0.375) +
                        0.75 * std::log(0.75 / 0.625) + 0.25 * std::log(0.25 / 0.375);
  EXPECT_NEAR(drift.jensen_shannon_distance(), std::sqrt(js_sum / 2.0), 1e-15);
  EXPECT_NEAR(drift.ks_statistic(), 0.25, 1e-15);
  EXPECT_EQ(drift.ks_p_value(), KolmogorovSmirnov::asymptotic_p_value(4, 4, 0.25));
}

TEST(NumericDriftStatisticsTest, JensenShannonOfDisjointSupportsIsSqrtLn2) {
  // Current (1, 0) against reference (0.5, 0.5): M = (0.75, 0.25); sqrt(0.75 ln(4 / 3)).
  const Windows half = histograms_of({1, 2, 3, 4}, {1, 1, 1, 1}, 2);
  EXPECT_NEAR(NumericDriftStatistics(half.reference, half.current).jensen_shannon_distance(),
              std::sqrt(0.75 * std::log(4.0 / 3.0)), 1e-15);
  // Current (1, 0, 0) against thirds: M = (2/3, 1/6, 1/6); ln(2) / 3 + ln(3 / 2) in the sum.
  const Windows apart = histograms_of({1, 2, 3, 4, 5, 6}, {-7}, 3);
  EXPECT_NEAR(NumericDriftStatistics(apart.reference, apart.current).jensen_shannon_distance(),
              std::sqrt((std::log(2.0) / 3.0 + std::log(1.5)) / 2.0), 1e-15);
  // Edge {1}: reference (0, 1), current (1, 0), the largest distance.
  const Windows disjoint = histograms_of({1, 1, 1, 5}, {0, 0}, 2);
  EXPECT_NEAR(
      NumericDriftStatistics(disjoint.reference, disjoint.current).jensen_shannon_distance(),
      std::sqrt(std::log(2.0)), 1e-15);
}

TEST(NumericDriftStatisticsTest, PsiReplacesZeroFractionsWithEvidentlysEpsilon) {
  // The smallest non-zero current fraction is 1 > 1e-4, so the empty bin counts as 1e-4.
  const Windows coarse = histograms_of({1, 2, 3, 4}, {1, 1, 1, 1}, 2);
  EXPECT_NEAR(NumericDriftStatistics(coarse.reference, coarse.current).psi(),
              (0.5 - 1.0) * std::log(0.5) + (0.5 - 1e-4) * std::log(0.5 / 1e-4), 1e-13);
  // 19999 values in the first bin and one in the last: 5e-5 <= 1e-4, so the middle bin counts
  // as 5e-5 / 1e6.
  std::vector<double> current(19999, 1.0);
  current.push_back(6.0);
  const Windows fine = histograms_of({1, 2, 3, 4, 5, 6}, current, 3);
  const double third = 1.0 / 3.0;
  const double expected = (third - 0.99995) * std::log(third / 0.99995) +
                          (third - 5e-11) * std::log(third / 5e-11) +
                          (third - 5e-5) * std::log(third / 5e-5);
  EXPECT_NEAR(NumericDriftStatistics(fine.reference, fine.current).psi(), expected, 1e-12);
}

TEST(NumericDriftStatisticsTest, WassersteinIsScipysDistanceOverTheReferenceStd) {
  // Reference {0, 1, 2, 3} (np.std = sqrt(1.25)), current {1, 2, 3, 4}: scipy gives 1. Edge 1.5;
  // G >= 0 everywhere, so each bin's |integral| is exact. The bound does not know that: lowest bin,
  // integrals of F_r and F_c 0.5 and 0.125, I = 0.375, 2 min(0.5 - 0.375, 0.125) = 0.25; highest
  // bin, integrals of 1 - F_c and 1 - F_r 1.125 and 0.5, I = 0.625, 2 min(1.125 - 0.625, 0.5) = 1.
  const Windows windows = histograms_of({0, 1, 2, 3}, {1, 2, 3, 4}, 2);
  const NumericDriftStatistics drift(windows.reference, windows.current);
  EXPECT_NEAR(drift.wasserstein(), 1.0, 1e-15);
  EXPECT_NEAR(drift.wasserstein_normalized(), 1.0 / std::sqrt(1.25), 1e-15);
  EXPECT_NEAR(drift.wasserstein_error_bound(), 1.25, 1e-15);
  // A constant reference has std 0: Evidently's floor 0.001 divides instead.
  const Windows constant = histograms_of({2, 2, 2, 2}, {2, 2, 3}, 2);
  const NumericDriftStatistics constant_drift(constant.reference, constant.current);
  EXPECT_NEAR(constant_drift.wasserstein(), 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(constant_drift.wasserstein_normalized(), 1.0 / 3.0 / 0.001, 1e-9);
  EXPECT_EQ(constant_drift.wasserstein_error_bound(), 0.0);
}

TEST(NumericDriftStatisticsTest, EmptyWindowGivesNaN) {
  const NumericHistogram reference =
      NumericHistogram::from_reference(std::vector<double>{1, 2, 3}, 2);
  const NumericDriftStatistics drift(reference, reference.empty_copy());
  EXPECT_TRUE(std::isnan(drift.psi()));
  EXPECT_TRUE(std::isnan(drift.ks_p_value()));
  EXPECT_TRUE(std::isnan(drift.wasserstein_normalized()));
  EXPECT_TRUE(std::isnan(drift.jensen_shannon_distance()));
  const NumericHistogram no_edges =
      NumericHistogram::from_reference(std::vector<double>{std::nan("")}, 2);
  EXPECT_TRUE(no_edges.edges().empty());
  EXPECT_TRUE(std::isnan(NumericDriftStatistics(no_edges, no_edges).ks_statistic()));
}

struct Scenario {
  std::string name;
  std::vector<double> reference;
  std::vector<double> current;
  std::size_t num_bins;
};

std::vector<double> rounded(std::vector<double> values, double step) {
  for (double& x : values) x = step * std::round(x / step);
  return values;
}

std::vector<Scenario> scenarios() {
  return {
      {"same", normal_sample(101, 5000, 0.0, 1.0), normal_sample(102, 3000, 0.0, 1.0), 30},
      {"mean_shift", normal_sample(103, 5000, 0.0, 1.0), normal_sample(104, 3000, 0.5, 1.0), 30},
      {"scale", normal_sample(105, 5000, 0.0, 1.0), normal_sample(106, 3000, 0.0, 2.0), 30},
      {"far_outside", normal_sample(107, 4000, 0.0, 1.0), normal_sample(108, 2500, 8.0, 3.0), 20},
      {"few_bins", normal_sample(109, 3000, 10.0, 2.0), normal_sample(110, 3000, 10.5, 1.5), 5},
      {"ties", rounded(normal_sample(111, 4000, 0.0, 1.0), 0.5),
       rounded(normal_sample(112, 2000, 0.2, 1.0), 0.5), 30},
  };
}

TEST(NumericDriftStatisticsTest, DocumentedBoundsHoldAgainstExactBatchStatistics) {
  for (const Scenario& scenario : scenarios()) {
    SCOPED_TRACE(scenario.name);
    const Windows windows = histograms_of(scenario.reference, scenario.current, scenario.num_bins);
    const NumericDriftStatistics drift(windows.reference, windows.current);
    const auto n = static_cast<std::int64_t>(scenario.reference.size());
    const auto m = static_cast<std::int64_t>(scenario.current.size());

    // KS: D_b <= D <= D_b + max_i min(p_i, q_i); the asymptotic p-value of D in between.
    const double exact_d = exact_ks_statistic(scenario.reference, scenario.current);
    EXPECT_LE(drift.ks_statistic(), exact_d + 1e-12);
    EXPECT_LE(exact_d, drift.ks_statistic() + drift.ks_statistic_error_bound() + 1e-12);
    const double exact_p = KolmogorovSmirnov::asymptotic_p_value(n, m, exact_d);
    EXPECT_LE(drift.ks_p_value_lower_bound(), exact_p + 1e-12);
    EXPECT_LE(exact_p, drift.ks_p_value() + 1e-12);

    // Wasserstein: W_b <= W <= W_b + bound, normalized by np.std of the reference.
    const double exact_w = exact_wasserstein(scenario.reference, scenario.current);
    const double tolerance = 1e-9 * (1.0 + exact_w);
    EXPECT_LE(drift.wasserstein(), exact_w + tolerance);
    EXPECT_LE(exact_w, drift.wasserstein() + drift.wasserstein_error_bound() + tolerance);
    const double normalizer = std::max(population_std(scenario.reference), 0.001);
    EXPECT_NEAR(drift.wasserstein_normalized(), drift.wasserstein() / normalizer, 1e-12);
    EXPECT_LE(drift.wasserstein_normalized(), exact_w / normalizer + tolerance);
    EXPECT_LE(exact_w / normalizer, drift.wasserstein_normalized() +
                                        drift.wasserstein_normalized_error_bound() + tolerance);

    // PSI and JS are exact on the same edges.
    const std::vector<double> p = batch_fractions(scenario.reference, windows.reference.edges());
    const std::vector<double> q = batch_fractions(scenario.current, windows.reference.edges());
    EXPECT_NEAR(drift.psi(), batch_psi(p, q), 1e-12);
    EXPECT_NEAR(drift.jensen_shannon_distance(), batch_jensen_shannon(p, q), 1e-12);
  }
}

TEST(NumericDriftStatisticsTest, KsErrorBoundIsAtMostTheLargestReferenceBinMass) {
  for (const Scenario& scenario : scenarios()) {
    SCOPED_TRACE(scenario.name);
    const Windows windows = histograms_of(scenario.reference, scenario.current, scenario.num_bins);
    const NumericDriftStatistics drift(windows.reference, windows.current);
    const std::vector<std::int64_t>& counts = windows.reference.counts();
    const double largest = static_cast<double>(*std::max_element(counts.begin(), counts.end())) /
                           static_cast<double>(windows.reference.total());
    EXPECT_LE(drift.ks_statistic_error_bound(), largest);
    // Without ties, quantile bins hold about 1 / num_bins of the reference each.
    if (scenario.name != "ties") {
      EXPECT_LE(largest, 1.0 / static_cast<double>(scenario.num_bins) + 2.0 / 1000.0);
    }
  }
}

TEST(NumericDriftStatisticsTest, SameDistributionGivesSmallValuesAndAHighPValue) {
  const Scenario scenario = scenarios()[0];
  const Windows windows = histograms_of(scenario.reference, scenario.current, scenario.num_bins);
  const NumericDriftStatistics drift(windows.reference, windows.current);
  EXPECT_LT(drift.psi(), 0.1);
  EXPECT_LT(drift.jensen_shannon_distance(), 0.1);
  EXPECT_LT(drift.wasserstein_normalized(), 0.1);
  EXPECT_LT(drift.ks_statistic(), 0.05);
  EXPECT_GT(drift.ks_p_value(), 0.05);
}

TEST(NumericDriftStatisticsTest, MeanShiftOfHalfAStdIsFlaggedByEveryStatistic) {
  const Scenario scenario = scenarios()[1];
  const Windows windows = histograms_of(scenario.reference, scenario.current, scenario.num_bins);
  const NumericDriftStatistics drift(windows.reference, windows.current);
  EXPECT_GT(drift.psi(), 0.1);
  EXPECT_GT(drift.jensen_shannon_distance(), 0.1);
  EXPECT_LT(drift.ks_p_value(), 1e-10);
  // The distance between N(0, 1) and N(0.5, 1) is 0.5 standard deviations.
  EXPECT_NEAR(drift.wasserstein_normalized(), 0.5, 0.1);
  EXPECT_LT(drift.wasserstein_normalized_error_bound(), 0.05);
}

TEST(NumericDriftStatisticsTest, ScaleChangeIsFlaggedEvenThoughTheMeanStays) {
  const Scenario scenario = scenarios()[2];
  const Windows windows = histograms_of(scenario.reference, scenario.current, scenario.num_bins);
  const NumericDriftStatistics drift(windows.reference, windows.current);
  EXPECT_GT(drift.psi(), 0.1);
  EXPECT_LT(drift.ks_p_value(), 1e-10);
  // W1(N(0, 1), N(0, 2)) = E|Z| = sqrt(2 / pi).
  EXPECT_NEAR(drift.wasserstein_normalized(), std::sqrt(2.0 / std::numbers::pi), 0.1);
}

TEST(NumericDriftStatisticsTest, SlidingWindowStatisticsMatchAFreshWindow) {
  const std::vector<double> reference_values = normal_sample(201, 2000, 0.0, 1.0);
  const std::vector<double> stream = normal_sample(202, 5000, 0.3, 1.2);
  const NumericHistogram reference = NumericHistogram::from_reference(reference_values, 20);
  NumericHistogram window = reference.empty_copy();
  const std::size_t window_size = 1000;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    window.add(stream[i]);
    if (i >= window_size) window.remove(stream[i - window_size]);
  }
  const std::vector<double> last(stream.end() - window_size, stream.end());
  const Windows fresh = histograms_of(reference_values, last, 20);
  const NumericDriftStatistics sliding(reference, window);
  const NumericDriftStatistics batch(fresh.reference, fresh.current);
  EXPECT_EQ(sliding.psi(), batch.psi());
  EXPECT_EQ(sliding.ks_statistic(), batch.ks_statistic());
  EXPECT_EQ(sliding.jensen_shannon_distance(), batch.jensen_shannon_distance());
  EXPECT_NEAR(sliding.wasserstein_normalized(), batch.wasserstein_normalized(), 1e-12);
  const double exact_w = exact_wasserstein(reference_values, last);
  EXPECT_LE(sliding.wasserstein(), exact_w + 1e-9);
  EXPECT_LE(exact_w, sliding.wasserstein() + sliding.wasserstein_error_bound() + 1e-9);
}

}  // namespace
}  // namespace streamlearn::monitors
