#include "stream/aggregates/selected_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

::testing::AssertionResult matches_brute_force(const Max& aggregate, const Held& held) {
  double expected = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < held.values.size(); ++i)
    if (i == 0 || held.values[i] > expected) expected = held.values[i];
  return streamlearn::testing::same_value(aggregate.value(), expected);
}

TEST(MaxTest, UsageExample) {
  static_assert(Aggregate<Max> && !Max::kRevertible);
  Max max;
  EXPECT_TRUE(std::isnan(max.value()));
  for (double x : {3.0, -1.0, 2.0}) max.update(x);
  EXPECT_EQ(max.value(), 3.0);
}

TEST(MaxTest, MergingAnEmptyAggregateChangesNothing) {
  Max max;
  max.update(-7.0);
  max.merge(Max{});
  EXPECT_EQ(max.value(), -7.0);
  Max empty;
  empty.merge(max);
  EXPECT_EQ(empty.value(), -7.0);
  EXPECT_EQ(empty.count(), 1u);
}

TEST(MaxTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_updates(Max{}, values, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(MaxTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_merges(Max{}, values, seed, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(MaxTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(Max{}, values, seed)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
