#include "stream/aggregates/selected_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

::testing::AssertionResult matches_brute_force(const Min& aggregate, const Held& held) {
  double expected = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < held.values.size(); ++i)
    if (i == 0 || held.values[i] < expected) expected = held.values[i];
  return streamlearn::testing::same_value(aggregate.value(), expected);
}

TEST(MinTest, UsageExample) {
  static_assert(Aggregate<Min> && !Min::kRevertible);
  Min min;
  EXPECT_TRUE(std::isnan(min.value()));
  for (double x : {3.0, -1.0, 2.0}) min.update(x);
  EXPECT_EQ(min.value(), -1.0);
}

TEST(MinTest, KeepsTheEarliestOfEqualZeros) {
  Min min;
  min.update(0.0);
  min.update(-0.0);
  EXPECT_FALSE(std::signbit(min.value()));
  Min later;
  later.update(-0.0);
  min.merge(later);
  EXPECT_FALSE(std::signbit(min.value()));
}

TEST(MinTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_updates(Min{}, values, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(MinTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_merges(Min{}, values, seed, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(MinTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(Min{}, values, seed)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
