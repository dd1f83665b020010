#include "stream/aggregates/mean.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

// Sum's tolerance (see sum_test.cpp) divided by the count.
::testing::AssertionResult matches_brute_force(const Mean& mean, const Held& held) {
  if (held.values.empty())
    return streamlearn::testing::same_value(mean.value(), std::numeric_limits<double>::quiet_NaN());
  const double n = static_cast<double>(held.values.size());
  const double expected = streamlearn::testing::exact_sum(held.values) / n;
  const double tolerance = 1e-12 * std::abs(expected) +
                           1e-30 * static_cast<double>(held.operations) * held.largest_abs_sum / n;
  return streamlearn::testing::within(mean.value(), expected, tolerance);
}

TEST(MeanTest, UsageExample) {
  static_assert(RevertibleAggregate<Mean>);
  Mean mean;
  EXPECT_TRUE(std::isnan(mean.value()));
  mean.update(2.0);
  mean.update(4.0);
  EXPECT_EQ(mean.value(), 3.0);
  mean.revert(2.0);
  EXPECT_EQ(mean.value(), 4.0);
  mean.revert(4.0);
  EXPECT_TRUE(std::isnan(mean.value()));
}

TEST(MeanTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_updates(Mean{}, values, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(MeanTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_merges(Mean{}, values, seed, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(MeanTest, SlidingWindowByRevertMatchesBruteForceAtEveryStep) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    const std::size_t window = 1 + (seed * 37) % 300;
    ASSERT_TRUE(
        streamlearn::testing::check_sliding_window(Mean{}, values, window, matches_brute_force))
        << "seed " << seed << ", window " << window;
  }
}

TEST(MeanTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(Mean{}, values, seed)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
