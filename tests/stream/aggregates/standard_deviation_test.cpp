#include "stream/aggregates/standard_deviation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

// Variance's tolerance (see variance_test.cpp) through the square root: |sqrt(a) - sqrt(b)| <=
// sqrt(|a - b|).
::testing::AssertionResult matches_brute_force(const StandardDeviation& deviation,
                                               const Held& held) {
  const std::size_t ddof = deviation.params().ddof;
  if (held.values.size() <= ddof) {
    return streamlearn::testing::same_value(deviation.value(),
                                            std::numeric_limits<double>::quiet_NaN());
  }
  const double divisor = static_cast<double>(held.values.size() - ddof);
  const double expected =
      std::sqrt(streamlearn::testing::exact_sum_of_squared_deviations(held.values) / divisor);
  const double tolerance =
      1e-12 * expected + std::sqrt(1e-30 * static_cast<double>(held.operations + 1) *
                                   held.largest_square_sum / divisor);
  return streamlearn::testing::within(deviation.value(), expected, tolerance);
}

TEST(StandardDeviationTest, UsageExample) {
  static_assert(RevertibleAggregate<StandardDeviation>);
  StandardDeviation deviation;
  EXPECT_TRUE(std::isnan(deviation.value()));
  for (double x : {1.0, 2.0, 3.0, 4.0}) deviation.update(x);
  EXPECT_DOUBLE_EQ(deviation.value(), std::sqrt(5.0 / 3.0));
  StandardDeviation population(StandardDeviation::Params{.ddof = 0});
  for (double x : {1.0, 3.0}) population.update(x);
  EXPECT_EQ(population.value(), 1.0);
}

TEST(StandardDeviationTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(
        streamlearn::testing::check_updates(StandardDeviation{}, values, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(StandardDeviationTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(
        streamlearn::testing::check_merges(StandardDeviation{}, values, seed, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(StandardDeviationTest, SlidingWindowByRevertMatchesBruteForceAtEveryStep) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    const std::size_t window = 1 + (seed * 53) % 300;
    ASSERT_TRUE(streamlearn::testing::check_sliding_window(StandardDeviation{}, values, window,
                                                           matches_brute_force))
        << "seed " << seed << ", window " << window;
  }
}

TEST(StandardDeviationTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(StandardDeviation{}, values, seed))
        << "seed " << seed;
  }
}

TEST(StandardDeviationTest, LoadRejectsStateSavedWithAnotherDdof) {
  StandardDeviation population(StandardDeviation::Params{.ddof = 0});
  population.update(1.0);
  core::StateWriter out;
  population.save(out);
  StandardDeviation sample;
  core::StateReader in(out.bytes());
  const core::Status status = sample.load(in);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("ddof=0"), std::string::npos) << status.message();
  EXPECT_EQ(sample.count(), 0u);
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
