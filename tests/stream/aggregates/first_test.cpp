#include "stream/aggregates/selected_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

::testing::AssertionResult matches_brute_force(const First& aggregate, const Held& held) {
  const double expected =
      held.values.empty() ? std::numeric_limits<double>::quiet_NaN() : held.values.front();
  return streamlearn::testing::same_value(aggregate.value(), expected);
}

TEST(FirstTest, UsageExample) {
  static_assert(Aggregate<First> && !First::kRevertible);
  First first;
  EXPECT_TRUE(std::isnan(first.value()));
  for (double x : {3.0, -1.0, 2.0}) first.update(x);
  EXPECT_EQ(first.value(), 3.0);
}

TEST(FirstTest, MergeKeepsTheFirstOfTheEarlierUnlessItIsEmpty) {
  First earlier, later;
  earlier.update(1.0);
  later.update(2.0);
  First merged = earlier;
  merged.merge(later);
  EXPECT_EQ(merged.value(), 1.0);
  First empty;
  empty.merge(later);
  EXPECT_EQ(empty.value(), 2.0);
}

TEST(FirstTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_updates(First{}, values, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(FirstTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_merges(First{}, values, seed, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(FirstTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(First{}, values, seed)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
