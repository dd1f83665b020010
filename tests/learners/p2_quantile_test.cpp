#include "learners/preprocessing/p2_quantile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace streamlearn::learners {
namespace {

TEST(P2QuantileTest, UsageExample) {
  P2Quantile median(0.5);
  EXPECT_FALSE(median.has_value());
  for (double x : {9.0, 7.0, 3.0, 2.0, 6.0, 1.0, 8.0, 5.0, 4.0}) median.update(x);
  EXPECT_TRUE(median.has_value());
  // watermill's own example (the crate behind River's stats.Quantile).
  EXPECT_EQ(median.value(), 5.0);
}

// The values River's stats.Quantile returns after each update of [5, 0, 0, 0, 0, 0, 0, 0], the
// reference test of watermill 0.1.1 (River 0.21's implementation): the sorted observation at
// index trunc(min(n - 1, n * q)) for the first five, then P² markers.
TEST(P2QuantileTest, MatchesRiverValueForValueIncludingTheFirstFiveObservations) {
  const std::vector<double> data = {5, 0, 0, 0, 0, 0, 0, 0};
  const std::vector<double> expected_low = {5, 0, 0, 0, 0, 0, 0, 0};
  const std::vector<double> expected_high = {
      5, 5, 5, 5, 5, 0, 0.27777777777777773, 0.8275462962962963};
  P2Quantile low(0.01), high(0.99);
  for (std::size_t i = 0; i < data.size(); ++i) {
    low.update(data[i]);
    high.update(data[i]);
    EXPECT_EQ(low.value(), expected_low[i]) << "after " << i + 1;
    EXPECT_EQ(high.value(), expected_high[i]) << "after " << i + 1;
  }
}

TEST(P2QuantileTest, EarlyEstimatesAreSortedObservationsAtRiversIndex) {
  // Index trunc(min(n - 1, n * q)) into the sorted observations, n = 1..5.
  const std::vector<double> data = {40, 10, 30, 50, 20};
  const struct {
    double q;
    std::vector<double> expected;
  } cases[] = {
      // Sorted: [40], [10 40], [10 30 40], [10 30 40 50], [10 20 30 40 50].
      {0.5, {40, 40, 30, 40, 30}},   // indexes 0, 1, 1, 2, 2
      {0.25, {40, 10, 10, 30, 20}},  // indexes 0, 0, 0, 1, 1
      {0.9, {40, 40, 40, 50, 50}},   // indexes 0, 1, 2, 3, 4
  };
  for (const auto& c : cases) {
    P2Quantile quantile(c.q);
    for (std::size_t i = 0; i < data.size(); ++i) {
      quantile.update(data[i]);
      EXPECT_EQ(quantile.value(), c.expected[i]) << "q=" << c.q << " after " << i + 1;
    }
  }
  EXPECT_EQ(P2Quantile(0.5).value(), 0.0);  // no estimate yet; has_value() says so
}

// The P² estimate against the exact quantile of everything seen so far (the sorted sample at
// rank ceil(q * n)), on seeded normal and exponential streams. Tolerance: the estimate's rank
// in the sample is within 0.01 * n of q * n (and within 0.003 * n for the 1% tails), checked
// every 1000 updates from 2000 on.
TEST(P2QuantileTest, TracksTheSortedSampleQuantileOnSeededStreams) {
  for (const std::uint64_t seed : {11u, 12u}) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(10.0, 3.0);
    std::exponential_distribution<double> exponential(0.5);
    for (const double q : {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
      P2Quantile quantile(q);
      std::vector<double> seen;
      for (int i = 1; i <= 20000; ++i) {
        const double x = seed == 11 ? normal(rng) : exponential(rng);
        quantile.update(x);
        seen.push_back(x);
        if (i < 2000 || i % 1000 != 0) continue;
        std::vector<double> sorted = seen;
        std::sort(sorted.begin(), sorted.end());
        const double n = static_cast<double>(sorted.size());
        const double rank = static_cast<double>(
            std::upper_bound(sorted.begin(), sorted.end(), quantile.value()) - sorted.begin());
        const double tolerance = (q < 0.05 || q > 0.95 ? 0.003 : 0.01) * n;
        ASSERT_NEAR(rank, q * n, tolerance) << "seed " << seed << " q=" << q << " n=" << i;
      }
    }
  }
}

TEST(P2QuantileTest, ConstantAndMonotoneStreamsGiveValuesInsideTheirRange) {
  P2Quantile constant(0.3);
  for (int i = 0; i < 100; ++i) constant.update(7.0);
  EXPECT_EQ(constant.value(), 7.0);
  P2Quantile rising(0.5);
  for (int i = 0; i < 1001; ++i) rising.update(i);
  EXPECT_NEAR(rising.value(), 500.0, 1.0);
  // Markers 2e308 apart: River's arithmetic overflows; the estimate stays finite and in range.
  for (const double q : {0.01, 0.5, 0.99}) {
    P2Quantile huge(q);
    std::mt19937_64 rng(3);
    for (int i = 0; i < 1000; ++i) {
      huge.update(rng() % 2 == 0 ? 1e308 : -1e308);
      ASSERT_TRUE(std::isfinite(huge.value())) << "q=" << q << " after " << i + 1;
      ASSERT_LE(std::abs(huge.value()), 1e308);
    }
  }
}

}  // namespace
}  // namespace streamlearn::learners
