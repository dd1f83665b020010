#include "monitors/data_drift/categorical_drift_statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <set>
#include <vector>

#include "monitors/data_drift/chi_square_distribution.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

using Values = std::vector<core::SymbolId>;

// A histogram holding `counts[i]` copies of category i.
CategoricalHistogram histogram_with_counts(const std::vector<int>& counts,
                                           std::uint32_t max_categories = 100) {
  CategoricalHistogram histogram(CategoricalHistogram::Params{.max_categories = max_categories});
  for (std::size_t category = 0; category < counts.size(); ++category)
    for (int i = 0; i < counts[category]; ++i) histogram.add(static_cast<core::SymbolId>(category));
  return histogram;
}

CategoricalDriftStatistics compare(const CategoricalHistogram& reference,
                                   const CategoricalHistogram& current) {
  auto statistics = CategoricalDriftStatistics::compare(reference, current);
  EXPECT_TRUE(statistics.is_ok()) << statistics.status().message();
  return std::move(statistics).value();
}

void expect_relative(double actual, double expected, double relative = 1e-12) {
  EXPECT_NEAR(actual, expected, relative * std::abs(expected)) << "expected " << expected;
}

// x ln(x / y) with 0 ln 0 = 0, as scipy.special.rel_entr.
double relative_entropy(double x, double y) { return x == 0 ? 0.0 : x * std::log(x / y); }

// Values drawn from `probabilities` over categories 0, 1, ...
Values sample(SplitMix64& random, const std::vector<double>& probabilities, int size) {
  Values values;
  for (int i = 0; i < size; ++i) {
    double u = random.uniform();
    core::SymbolId category = 0;
    while (category + 1 < probabilities.size() && u >= probabilities[category])
      u -= probabilities[category++];
    values.push_back(category);
  }
  return values;
}

CategoricalHistogram histogram_of(const Values& values, std::uint32_t max_categories = 100) {
  CategoricalHistogram histogram(CategoricalHistogram::Params{.max_categories = max_categories});
  for (core::SymbolId value : values) histogram.add(value);
  return histogram;
}

TEST(CategoricalDriftStatisticsTest, UsageExampleMatchesHandComputedValues) {
  // Reference 50/30/20, current 30/30/40.
  const CategoricalHistogram reference = histogram_with_counts({50, 30, 20});
  CategoricalHistogram current = CategoricalHistogram::with_categories_of(reference);
  for (int i = 0; i < 30; ++i) current.add(0);
  for (int i = 0; i < 30; ++i) current.add(1);
  for (int i = 0; i < 40; ++i) current.add(2);
  auto statistics = CategoricalDriftStatistics::compare(reference, current);
  ASSERT_TRUE(statistics.is_ok());
  EXPECT_TRUE(statistics->has_data());
  EXPECT_EQ(statistics->num_categories(), 3u);
  EXPECT_EQ(statistics->degrees_of_freedom(), 2u);
  // f_exp = 50, 30, 20: 20^2 / 50 + 0 + 20^2 / 20 = 28; with 2 degrees of freedom sf = e^(-x/2).
  expect_relative(statistics->chi_square_statistic(), 28.0);
  expect_relative(statistics->chi_square_p_value(), std::exp(-14.0));
  // (0.5 - 0.3) ln(5/3) + 0 + (0.2 - 0.4) ln(1/2).
  expect_relative(statistics->psi(), 0.2 * std::log(5.0 / 3.0) + 0.2 * std::log(2.0));
  // m = (0.4, 0.3, 0.3).
  const double divergence = relative_entropy(0.5, 0.4) + relative_entropy(0.2, 0.3) +
                            relative_entropy(0.3, 0.4) + relative_entropy(0.4, 0.3);
  expect_relative(statistics->jensen_shannon_distance(), std::sqrt(divergence / 2));
  expect_relative(statistics->jensen_shannon_distance(2.0),
                  std::sqrt(divergence / std::log(2.0) / 2));
}

TEST(CategoricalDriftStatisticsTest, ChiSquareRescalesReferenceCountsToTheCurrentTotal) {
  // Evidently: f_exp = reference count * (n_cur / n_ref) = (10, 30) * 1.5 = (15, 45).
  const auto statistics = compare(histogram_with_counts({10, 30}), histogram_with_counts({30, 30}));
  // 15^2 / 15 + 15^2 / 45 = 20; 1 degree of freedom: sf = erfc(sqrt(x / 2)).
  expect_relative(statistics.chi_square_statistic(), 20.0);
  expect_relative(statistics.chi_square_p_value(), std::erfc(std::sqrt(10.0)));
}

TEST(CategoricalDriftStatisticsTest, ACategoryNewInTheCurrentWindow) {
  const CategoricalHistogram reference = histogram_with_counts({2, 2});
  const auto statistics = compare(reference, histogram_with_counts({1, 1, 2}));
  EXPECT_EQ(statistics.num_categories(), 3u);
  // f_exp = 0 for the new category: SciPy's (2 - 0)^2 / 0 = inf, p-value 0.
  EXPECT_EQ(statistics.chi_square_statistic(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(statistics.chi_square_p_value(), 0.0);
  // Reference percents (0.5, 0.5, 0): the smallest non-zero percent 0.5 > 1e-4, so 0 -> 1e-4.
  expect_relative(statistics.psi(),
                  2 * (0.25 * std::log(2.0)) + (1e-4 - 0.5) * std::log(1e-4 / 0.5));
  // Jensen-Shannon has no replacement: m = (0.375, 0.375, 0.25).
  const double divergence = 2 * relative_entropy(0.5, 0.375) + 2 * relative_entropy(0.25, 0.375) +
                            relative_entropy(0.5, 0.25);
  expect_relative(statistics.jensen_shannon_distance(), std::sqrt(divergence / 2));
}

TEST(CategoricalDriftStatisticsTest, PsiReplacesZerosPerSideByEvidentlysEpsilon) {
  // Reference: category 0 once in 10000 (1e-4 <= 1e-4, so its zeros become 1e-4 / 1e6),
  // category 1 the rest, category 2 never. Current: 1 and 2 half each (zeros become 1e-4).
  const auto statistics =
      compare(histogram_with_counts({1, 9999, 0}), histogram_with_counts({0, 5000, 5000}));
  const double expected = (1e-4 - 1e-4) * std::log(1e-4 / 1e-4) +
                          (0.9999 - 0.5) * std::log(0.9999 / 0.5) +
                          (1e-10 - 0.5) * std::log(1e-10 / 0.5);
  expect_relative(statistics.psi(), expected);
}

TEST(CategoricalDriftStatisticsTest, IdenticalWindowsShowNoDrift) {
  const auto statistics =
      compare(histogram_with_counts({5, 3, 2}), histogram_with_counts({10, 6, 4}));
  EXPECT_EQ(statistics.chi_square_statistic(), 0.0);
  EXPECT_EQ(statistics.chi_square_p_value(), 1.0);
  EXPECT_EQ(statistics.psi(), 0.0);
  EXPECT_EQ(statistics.jensen_shannon_distance(), 0.0);
}

TEST(CategoricalDriftStatisticsTest, DisjointWindowsHaveTheLargestJensenShannonDistance) {
  const auto statistics = compare(histogram_with_counts({4, 0}), histogram_with_counts({0, 7}));
  expect_relative(statistics.jensen_shannon_distance(), std::sqrt(std::log(2.0)));
  expect_relative(statistics.jensen_shannon_distance(2.0), 1.0);
}

TEST(CategoricalDriftStatisticsTest, OneCategoryHasZeroDegreesOfFreedomAndPValueOne) {
  const auto statistics = compare(histogram_with_counts({3}), histogram_with_counts({8}));
  EXPECT_EQ(statistics.degrees_of_freedom(), 0u);
  EXPECT_EQ(statistics.chi_square_statistic(), 0.0);
  EXPECT_EQ(statistics.chi_square_p_value(), 1.0);
  EXPECT_EQ(statistics.psi(), 0.0);
  EXPECT_EQ(statistics.jensen_shannon_distance(), 0.0);
}

TEST(CategoricalDriftStatisticsTest, AnEmptyWindowGivesNaN) {
  const CategoricalHistogram empty;
  for (const auto& statistics : {compare(empty, histogram_with_counts({1, 2})),
                                 compare(histogram_with_counts({1, 2}), empty)}) {
    EXPECT_FALSE(statistics.has_data());
    EXPECT_TRUE(std::isnan(statistics.chi_square_statistic()));
    EXPECT_TRUE(std::isnan(statistics.chi_square_p_value()));
    EXPECT_TRUE(std::isnan(statistics.psi()));
    EXPECT_TRUE(std::isnan(statistics.jensen_shannon_distance()));
    EXPECT_TRUE(std::isnan(statistics.jensen_shannon_distance(2.0)));
  }
}

TEST(CategoricalDriftStatisticsTest, TheOverflowBucketCountsAsOneCategory) {
  // Cap 2: reference tracks 0 and 1, categories 2 and 3 overflow (6, 2, 2); the current window
  // brings 4, which also overflows (5, 3, 2).
  const CategoricalHistogram reference = histogram_of({0, 0, 0, 0, 0, 0, 1, 1, 2, 3}, 2);
  CategoricalHistogram current = CategoricalHistogram::with_categories_of(reference);
  for (core::SymbolId value : Values{0, 0, 0, 0, 0, 1, 1, 1, 4, 4}) current.add(value);
  const auto statistics = compare(reference, current);
  EXPECT_EQ(statistics.num_categories(), 3u);
  // 1^2 / 6 + 1^2 / 2 + 0 = 2/3.
  expect_relative(statistics.chi_square_statistic(), 2.0 / 3.0);
  expect_relative(statistics.chi_square_p_value(), std::exp(-1.0 / 3.0));
}

TEST(CategoricalDriftStatisticsTest, RefusesHistogramsThatAreNotAligned) {
  const auto statistics =
      CategoricalDriftStatistics::compare(histogram_of({0, 1, 2}, 2), histogram_of({5, 6}, 2));
  ASSERT_FALSE(statistics.is_ok());
  EXPECT_NE(statistics.status().message().find("not aligned"), std::string::npos);
}

// Evidently's formulas on the raw values, as a batch oracle.
struct BatchStatistics {
  double chi_square;
  double psi;
  double jensen_shannon;
};

BatchStatistics evidently_batch(const Values& reference, const Values& current) {
  std::map<core::SymbolId, double> reference_counts;
  std::map<core::SymbolId, double> current_counts;
  std::set<core::SymbolId> keys;
  for (core::SymbolId v : reference) reference_counts[v] += 1, keys.insert(v);
  for (core::SymbolId v : current) current_counts[v] += 1, keys.insert(v);
  const double n_ref = static_cast<double>(reference.size());
  const double n_cur = static_cast<double>(current.size());
  BatchStatistics result{0, 0, 0};
  std::vector<double> ref_percents;
  std::vector<double> cur_percents;
  for (core::SymbolId key : keys) {
    const double expected = reference_counts[key] * (n_cur / n_ref);
    const double difference = current_counts[key] - expected;
    result.chi_square += difference * difference / expected;
    ref_percents.push_back(reference_counts[key] / n_ref);
    cur_percents.push_back(current_counts[key] / n_cur);
  }
  double js = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const double m = (ref_percents[i] + cur_percents[i]) / 2;
    js += relative_entropy(ref_percents[i], m) + relative_entropy(cur_percents[i], m);
  }
  result.jensen_shannon = std::sqrt(js / 2);
  for (std::vector<double>* percents : {&ref_percents, &cur_percents}) {
    double smallest = 1;
    for (double p : *percents)
      if (p > 0) smallest = std::min(smallest, p);
    std::replace(percents->begin(), percents->end(), 0.0, smallest <= 1e-4 ? smallest / 1e6 : 1e-4);
  }
  for (std::size_t i = 0; i < keys.size(); ++i)
    result.psi += (ref_percents[i] - cur_percents[i]) * std::log(ref_percents[i] / cur_percents[i]);
  return result;
}

TEST(CategoricalDriftStatisticsTest, MatchesTheBatchFormulasOnASlidingWindow) {
  SplitMix64 random(7);
  const Values reference = sample(random, {0.3, 0.25, 0.2, 0.1, 0.1, 0.05}, 400);
  const CategoricalHistogram reference_histogram = histogram_of(reference);
  CategoricalHistogram current = CategoricalHistogram::with_categories_of(reference_histogram);
  std::deque<core::SymbolId> window;
  // The current stream drifts slowly and, from step 1000, brings categories 6 and 7.
  for (int step = 0; step < 3000; ++step) {
    const double shift = std::min(1.0, step / 2000.0);
    const std::vector<double> probabilities = {0.3 - 0.2 * shift,
                                               0.25,
                                               0.2,
                                               0.1,
                                               0.1,
                                               0.05 + 0.1 * shift,
                                               step >= 1000 ? 0.05 : 0.0,
                                               step >= 1000 ? 0.05 : 0.0};
    const core::SymbolId value = sample(random, probabilities, 1)[0];
    current.add(value);
    window.push_back(value);
    if (window.size() > 300) {
      current.remove(window.front());
      window.pop_front();
    }
    if (step % 250 != 249) continue;
    SCOPED_TRACE(step);
    const auto statistics = compare(reference_histogram, current);
    const BatchStatistics expected =
        evidently_batch(reference, Values(window.begin(), window.end()));
    if (std::isinf(expected.chi_square))
      EXPECT_EQ(statistics.chi_square_statistic(), expected.chi_square);
    else
      expect_relative(statistics.chi_square_statistic(), expected.chi_square);
    expect_relative(statistics.psi(), expected.psi);
    expect_relative(statistics.jensen_shannon_distance(), expected.jensen_shannon);
  }
}

TEST(CategoricalDriftStatisticsTest, SameDistributionGivesAHighPValueAndAShiftALowOne) {
  SplitMix64 random(42);
  const std::vector<double> probabilities = {0.4, 0.3, 0.2, 0.1};
  const CategoricalHistogram reference = histogram_of(sample(random, probabilities, 5000));
  const auto same = compare(reference, histogram_of(sample(random, probabilities, 5000)));
  const auto shifted =
      compare(reference, histogram_of(sample(random, {0.25, 0.25, 0.25, 0.25}, 5000)));
  EXPECT_GT(same.chi_square_p_value(), 0.05);
  EXPECT_LT(same.psi(), 0.01);
  EXPECT_LT(same.jensen_shannon_distance(), 0.05);
  EXPECT_LT(shifted.chi_square_p_value(), 1e-12);
  // PSI of (0.4, 0.3, 0.2, 0.1) against uniform is about 0.23; Evidently's thresholds are 0.1.
  EXPECT_GT(shifted.psi(), 0.1);
  EXPECT_GT(shifted.jensen_shannon_distance(), 0.1);
}

TEST(CategoricalDriftStatisticsTest, PValuesAreCalibratedAgainstALargeReference) {
  // Evidently's test is goodness of fit to the reference proportions: with a reference far larger
  // than the current window the statistic is close to chi-square without drift, so about 5% of
  // p-values fall below 0.05.
  const std::vector<double> probabilities = {0.35, 0.25, 0.2, 0.12, 0.08};
  SplitMix64 reference_random(2024);
  const CategoricalHistogram reference =
      histogram_of(sample(reference_random, probabilities, 200000));
  int rejections = 0;
  constexpr int kRuns = 400;
  for (int seed = 1; seed <= kRuns; ++seed) {
    SplitMix64 random(static_cast<std::uint64_t>(seed));
    const CategoricalHistogram current = histogram_of(sample(random, probabilities, 1000));
    if (compare(reference, current).chi_square_p_value() < 0.05) ++rejections;
  }
  EXPECT_GE(rejections, 8);   // 2%
  EXPECT_LE(rejections, 36);  // 9%
}

TEST(CategoricalDriftStatisticsTest, PValuesAreTooSmallAgainstAReferenceOfTheSameSize) {
  // The reference's own sampling noise is not in the model: with n_ref = n_cur the statistic is
  // about twice a chi-square variable, so far more than 5% of p-values fall below 0.05 without
  // drift (about P(chi2_4 > 9.49 / 2) = 31%). Evidently behaves the same; this documents it.
  const std::vector<double> probabilities = {0.35, 0.25, 0.2, 0.12, 0.08};
  int rejections = 0;
  constexpr int kRuns = 400;
  for (int seed = 1; seed <= kRuns; ++seed) {
    SplitMix64 random(static_cast<std::uint64_t>(seed));
    const CategoricalHistogram reference = histogram_of(sample(random, probabilities, 1000));
    const CategoricalHistogram current = histogram_of(sample(random, probabilities, 1000));
    if (compare(reference, current).chi_square_p_value() < 0.05) ++rejections;
  }
  EXPECT_GE(rejections, 80);   // 20%
  EXPECT_LE(rejections, 180);  // 45%
}

}  // namespace
}  // namespace streamlearn::monitors
