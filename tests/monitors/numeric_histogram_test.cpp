#include "monitors/data_drift/numeric_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/state_io.h"
#include "monitors/data_drift/numeric_drift_statistics.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

std::vector<double> uniform_sample(std::uint64_t seed, std::size_t size, double low, double high) {
  SplitMix64 rng(seed);
  std::vector<double> values;
  for (std::size_t i = 0; i < size; ++i) values.push_back(low + (high - low) * rng.uniform());
  return values;
}

TEST(NumericHistogramTest, UsageExampleCountsACurrentWindowOnTheReferenceEdges) {
  const std::vector<double> reference_values = uniform_sample(11, 1000, 0.0, 1.0);
  NumericHistogram reference = NumericHistogram::from_reference(reference_values, 30);
  NumericHistogram current = reference.empty_copy();
  for (double x : uniform_sample(12, 500, 0.0, 1.0)) current.add(x);
  NumericDriftStatistics drift(reference, current);
  EXPECT_EQ(reference.num_bins(), 30u);
  EXPECT_EQ(reference.total(), 1000);
  EXPECT_EQ(current.total(), 500);
  EXPECT_EQ(current.edges(), reference.edges());
  EXPECT_LT(drift.psi(), 0.1);
  EXPECT_GT(drift.ks_p_value(), 0.05);
}

TEST(NumericHistogramTest, BinIndexIsTheNumberOfEdgesAtOrBelowTheValue) {
  SplitMix64 rng(31);
  for (std::size_t num_bins : {2u, 3u, 7u, 30u, 64u}) {
    std::vector<double> reference;
    for (int i = 0; i < 500; ++i) reference.push_back(std::floor(rng.uniform() * 40));  // ties
    const NumericHistogram histogram = NumericHistogram::from_reference(reference, num_bins);
    const auto& edges = histogram.edges();
    std::vector<double> probes = edges;
    for (int i = 0; i < 200; ++i) probes.push_back(rng.uniform() * 50 - 5);
    probes.push_back(-std::numeric_limits<double>::infinity());
    probes.push_back(std::numeric_limits<double>::infinity());
    for (double x : probes)
      EXPECT_EQ(histogram.bin_index(x),
                static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), x) -
                                         edges.begin()))
          << x << " with " << edges.size() << " edges";
  }
}

TEST(NumericHistogramTest, EdgesAreTheReferenceQuantilesWithNumpysLinearInterpolation) {
  // np.quantile([1, 2, 3, 4], 0.5) = 2.5; [1, 2, 3, 4, 5, 6] at 1/3 and 2/3: 8/3 and 13/3.
  const std::vector<double> four = {4, 1, 3, 2};
  EXPECT_EQ(NumericHistogram::from_reference(four, 2).edges(), std::vector<double>{2.5});
  const std::vector<double> six = {1, 2, 3, 4, 5, 6};
  const NumericHistogram histogram = NumericHistogram::from_reference(six, 3);
  ASSERT_EQ(histogram.edges().size(), 2u);
  EXPECT_DOUBLE_EQ(histogram.edges()[0], 8.0 / 3.0);
  EXPECT_DOUBLE_EQ(histogram.edges()[1], 13.0 / 3.0);
  EXPECT_EQ(histogram.counts(), (std::vector<std::int64_t>{2, 2, 2}));
}

TEST(NumericHistogramTest, TiedQuantilesAreMergedIntoOneEdge) {
  // Quantiles at 0.25, 0.5, 0.75 of these eight values: 0, 0, 0.25.
  const std::vector<double> reference = {0, 0, 0, 0, 0, 0, 1, 2};
  const NumericHistogram histogram = NumericHistogram::from_reference(reference, 4);
  EXPECT_EQ(histogram.edges(), (std::vector<double>{0.0, 0.25}));
  EXPECT_EQ(histogram.counts(), (std::vector<std::int64_t>{0, 6, 2}));
  // A constant reference still has one edge, hence two bins.
  const std::vector<double> constant(50, 3.0);
  EXPECT_EQ(NumericHistogram::from_reference(constant, 10).edges(), std::vector<double>{3.0});
}

TEST(NumericHistogramTest, OuterBinsAreOpenAndNonFiniteValuesAreRejected) {
  const std::vector<double> reference = {1, 2, 3, 4};
  NumericHistogram histogram = NumericHistogram::from_reference(reference, 2).empty_copy();
  EXPECT_TRUE(histogram.add(-1e300));
  EXPECT_TRUE(histogram.add(1e300));
  EXPECT_TRUE(histogram.add(2.5));  // An edge belongs to the bin above it.
  EXPECT_EQ(histogram.counts(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_FALSE(histogram.add(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(histogram.add(std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(histogram.remove(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(histogram.total(), 3);
  EXPECT_EQ(histogram.offset_sums(), (std::vector<double>{-1e300 - 2.5, 1e300}));
}

TEST(NumericHistogramTest, ReferenceSummaryIsTheFiniteSamplesMeanPopulationStdMinAndMax) {
  const std::vector<double> reference = {
      2.0, std::numeric_limits<double>::quiet_NaN(), 4.0, 4.0, 4.0, 5.0, 5.0, 7.0,
      9.0, std::numeric_limits<double>::infinity()};
  const NumericHistogram histogram = NumericHistogram::from_reference(reference, 4);
  const NumericHistogram::ReferenceSummary& summary = histogram.reference_summary();
  EXPECT_EQ(summary.count, 8);
  EXPECT_EQ(histogram.total(), 8);
  EXPECT_DOUBLE_EQ(summary.mean, 5.0);
  EXPECT_DOUBLE_EQ(summary.standard_deviation, 2.0);  // np.std, ddof = 0.
  EXPECT_EQ(summary.min, 2.0);
  EXPECT_EQ(summary.max, 9.0);

  const NumericHistogram copy = histogram.empty_copy();
  EXPECT_EQ(copy.edges(), histogram.edges());
  EXPECT_EQ(copy.total(), 0);
  EXPECT_EQ(copy.counts(), std::vector<std::int64_t>(histogram.num_bins(), 0));
  EXPECT_EQ(copy.reference_summary().standard_deviation, 2.0);
}

TEST(NumericHistogramTest, RemovingEveryAddedValueInAnotherOrderEmptiesItExactly) {
  const NumericHistogram reference =
      NumericHistogram::from_reference(uniform_sample(21, 400, -5.0, 5.0), 16);
  NumericHistogram window = reference.empty_copy();
  std::vector<double> values = uniform_sample(22, 3000, -8.0, 8.0);
  for (double x : values) ASSERT_TRUE(window.add(x));
  EXPECT_EQ(window.total(), 3000);
  for (std::size_t i = values.size(); i-- > 0;) ASSERT_TRUE(window.remove(values[i]));
  EXPECT_EQ(window.total(), 0);
  EXPECT_EQ(window.counts(), std::vector<std::int64_t>(window.num_bins(), 0));
  EXPECT_EQ(window.offset_sums(), std::vector<double>(window.num_bins(), 0.0));
}

TEST(NumericHistogramTest, SlidingWindowEqualsTheHistogramOfItsLastValues) {
  const NumericHistogram reference =
      NumericHistogram::from_reference(uniform_sample(31, 500, 0.0, 1.0), 10);
  const std::vector<double> stream = uniform_sample(32, 2000, -0.5, 1.5);
  const std::size_t window_size = 300;
  NumericHistogram window = reference.empty_copy();
  for (std::size_t i = 0; i < stream.size(); ++i) {
    window.add(stream[i]);
    if (i >= window_size) window.remove(stream[i - window_size]);
  }
  NumericHistogram fresh = reference.empty_copy();
  for (std::size_t i = stream.size() - window_size; i < stream.size(); ++i) fresh.add(stream[i]);
  EXPECT_EQ(window.counts(), fresh.counts());
  EXPECT_EQ(window.total(), fresh.total());
  for (std::size_t bin = 0; bin < window.num_bins(); ++bin)
    EXPECT_NEAR(window.offset_sums()[bin], fresh.offset_sums()[bin], 1e-10) << bin;
}

TEST(NumericHistogramTest, MergeEqualsTheHistogramOfBothSamples) {
  const NumericHistogram reference =
      NumericHistogram::from_reference(uniform_sample(41, 300, 0.0, 10.0), 8);
  NumericHistogram first = reference.empty_copy();
  NumericHistogram second = reference.empty_copy();
  NumericHistogram both = reference.empty_copy();
  for (double x : uniform_sample(42, 700, -2.0, 12.0)) {
    first.add(x);
    both.add(x);
  }
  for (double x : uniform_sample(43, 400, 3.0, 15.0)) {
    second.add(x);
    both.add(x);
  }
  first.merge(second);
  EXPECT_EQ(first.counts(), both.counts());
  EXPECT_EQ(first.total(), 1100);
  for (std::size_t bin = 0; bin < both.num_bins(); ++bin)
    EXPECT_NEAR(first.offset_sums()[bin], both.offset_sums()[bin], 1e-9) << bin;
  first.clear();
  EXPECT_EQ(first.total(), 0);
  EXPECT_EQ(first.edges(), reference.edges());
}

TEST(NumericHistogramTest, SaveThenLoadRestoresTheSameStateAndStatistics) {
  const NumericHistogram reference =
      NumericHistogram::from_reference(uniform_sample(51, 800, 0.0, 1.0), 12);
  NumericHistogram current = reference.empty_copy();
  for (double x : uniform_sample(52, 600, 0.2, 1.3)) current.add(x);

  core::StateWriter reference_out;
  core::StateWriter current_out;
  reference.save(reference_out);
  current.save(current_out);
  NumericHistogram loaded_reference;
  NumericHistogram loaded_current;
  core::StateReader reference_in(reference_out.bytes());
  core::StateReader current_in(current_out.bytes());
  ASSERT_TRUE(loaded_reference.load(reference_in).is_ok());
  ASSERT_TRUE(loaded_current.load(current_in).is_ok());
  EXPECT_TRUE(reference_in.at_end());

  core::StateWriter again;
  loaded_current.save(again);
  EXPECT_EQ(again.bytes(), current_out.bytes());
  EXPECT_EQ(loaded_reference.reference_summary().standard_deviation,
            reference.reference_summary().standard_deviation);
  const NumericDriftStatistics before(reference, current);
  const NumericDriftStatistics after(loaded_reference, loaded_current);
  EXPECT_EQ(after.psi(), before.psi());
  EXPECT_EQ(after.ks_p_value(), before.ks_p_value());
  EXPECT_EQ(after.wasserstein_normalized(), before.wasserstein_normalized());
  EXPECT_EQ(after.jensen_shannon_distance(), before.jensen_shannon_distance());

  // Continuing after the load gives the same counts as continuing the original.
  current.add(0.5);
  loaded_current.add(0.5);
  EXPECT_EQ(loaded_current.counts(), current.counts());
}

TEST(NumericHistogramTest, LoadRejectsTruncatedAndInconsistentState) {
  const std::vector<double> values = {1, 2, 3, 4, 5, 6};
  const NumericHistogram histogram = NumericHistogram::from_reference(values, 3);
  core::StateWriter out;
  histogram.save(out);
  const std::string& bytes = out.bytes();
  NumericHistogram target = NumericHistogram::from_reference(values, 2);
  core::StateReader truncated(std::string_view(bytes).substr(0, bytes.size() - 3));
  const core::Status status = target.load(truncated);
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("NumericHistogram"), std::string::npos);
  EXPECT_EQ(target.edges(), std::vector<double>{3.5});  // Unchanged by the failed load.

  // Edges out of order, and a total that is not the sum of the counts.
  const auto write_state = [](const std::vector<double>& edges, std::int64_t total) {
    core::StateWriter writer;
    writer.write(std::uint32_t{1});
    writer.write_vector(edges);
    writer.write_vector(std::vector<std::int64_t>{1, 1, 1});
    writer.write_vector(std::vector<double>{0.0, 0.0, 0.0});
    writer.write(total);
    writer.write(std::int64_t{3});
    for (int i = 0; i < 4; ++i) writer.write(0.0);
    return writer.bytes();
  };
  const std::string good = write_state({1.0, 2.0}, 3);
  const std::string unordered = write_state({2.0, 1.0}, 3);
  const std::string bad_total = write_state({1.0, 2.0}, 4);
  core::StateReader good_in(good);
  core::StateReader unordered_in(unordered);
  core::StateReader bad_total_in(bad_total);
  EXPECT_TRUE(target.load(good_in).is_ok());
  EXPECT_FALSE(target.load(unordered_in).is_ok());
  EXPECT_FALSE(target.load(bad_total_in).is_ok());
  EXPECT_EQ(target.edges(), (std::vector<double>{1.0, 2.0}));
}

}  // namespace
}  // namespace streamlearn::monitors
