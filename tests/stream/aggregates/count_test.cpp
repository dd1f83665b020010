#include "stream/aggregates/count.h"

#include <gtest/gtest.h>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

::testing::AssertionResult matches_brute_force(const Count& count, const Held& held) {
  return streamlearn::testing::same_value(count.value(), static_cast<double>(held.values.size()));
}

TEST(CountTest, UsageExample) {
  static_assert(RevertibleAggregate<Count>);
  Count count;
  EXPECT_EQ(count.value(), 0.0);
  count.update(12.5);
  count.update(3.0);
  count.revert(12.5);
  EXPECT_EQ(count.value(), 1.0);
  EXPECT_EQ(count.count(), 1u);
}

TEST(CountTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 2000);
    ASSERT_TRUE(streamlearn::testing::check_updates(Count{}, values, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(CountTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 2000);
    ASSERT_TRUE(streamlearn::testing::check_merges(Count{}, values, seed, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(CountTest, SlidingWindowByRevertMatchesBruteForceAtEveryStep) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 2000);
    ASSERT_TRUE(streamlearn::testing::check_sliding_window(Count{}, values, 1 + seed * 17,
                                                           matches_brute_force))
        << "seed " << seed;
  }
}

TEST(CountTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(Count{}, values, seed)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
