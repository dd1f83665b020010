// Tests of the property checks themselves (aggregate_properties.h): the brute force they compare
// with is exact, and every aggregate meets the contract they assume. That broken aggregates fail
// them is tested next to each aggregate (SumTest.PropertiesRejectAPlainDoubleSum, ...).

#include "tests/stream/aggregates/aggregate_properties.h"

#include <gtest/gtest.h>

#include <vector>

#include "stream/aggregates/aggregate.h"
#include "stream/aggregates/count.h"
#include "stream/aggregates/distinct_count.h"
#include "stream/aggregates/mean.h"
#include "stream/aggregates/quantile.h"
#include "stream/aggregates/selected_value.h"
#include "stream/aggregates/standard_deviation.h"
#include "stream/aggregates/sum.h"
#include "stream/aggregates/variance.h"

namespace streamlearn::stream::aggregates {
namespace {

template <typename A>
constexpr bool kHasRevert = requires(A aggregate) {
  aggregate.revert(1.0);
};

TEST(AggregatePropertiesTest, EveryAggregateMeetsTheContract) {
  static_assert(RevertibleAggregate<Count> && RevertibleAggregate<Sum> &&
                RevertibleAggregate<Mean> && RevertibleAggregate<Variance> &&
                RevertibleAggregate<StandardDeviation> && RevertibleAggregate<Quantile>);
  static_assert(Aggregate<Min> && Aggregate<Max> && Aggregate<First> && Aggregate<Last> &&
                Aggregate<DistinctCount>);
  // kRevertible says the truth both ways.
  static_assert(!kHasRevert<Min> && !kHasRevert<Max> && !kHasRevert<First> && !kHasRevert<Last> &&
                !kHasRevert<DistinctCount>);
  static_assert(!Min::kRevertible && !Max::kRevertible && !First::kRevertible &&
                !Last::kRevertible && !DistinctCount::kRevertible);
  SUCCEED();
}

TEST(AggregatePropertiesTest, ExactSumIsCorrectlyRounded) {
  using streamlearn::testing::exact_sum;
  EXPECT_EQ(exact_sum(std::vector<double>{}), 0.0);
  EXPECT_EQ(exact_sum(std::vector<double>{1e16, 1.0, -1e16}), 1.0);
  EXPECT_EQ(exact_sum(std::vector<double>(10, 0.1)), 1.0);
  EXPECT_EQ(exact_sum(std::vector<double>{1e100, 1.0, -1e100, 1e-100}), 1.0);
  // 1 + 2^-53 + 2^-80: just above the halfway point, so it rounds up.
  EXPECT_EQ(exact_sum(std::vector<double>{1.0, 0x1p-53, 0x1p-80}), 1.0 + 0x1p-52);
  EXPECT_EQ(exact_sum(std::vector<double>{1.0, 0x1p-53}), 1.0);  // a tie, to even
}

TEST(AggregatePropertiesTest, ExactSquaredDeviationsAreExact) {
  using streamlearn::testing::exact_sum_of_squared_deviations;
  EXPECT_EQ(exact_sum_of_squared_deviations(std::vector<double>{1e9 + 1, 1e9 + 2, 1e9 + 3}), 2.0);
  EXPECT_EQ(exact_sum_of_squared_deviations(std::vector<double>{1.0, 2.0, 3.0, 4.0}), 5.0);
  EXPECT_EQ(exact_sum_of_squared_deviations(std::vector<double>(7, 0.1)), 0.0);
  // Deviations of 1 around 1e16 + 1, which is not a double: the rounded mean is corrected.
  EXPECT_EQ(exact_sum_of_squared_deviations(std::vector<double>{1e16, 1e16 + 2}), 2.0);
}

TEST(AggregatePropertiesTest, RandomStreamsAreSeededAndVaried) {
  const auto values = streamlearn::testing::random_stream(11, 3000);
  EXPECT_EQ(values, streamlearn::testing::random_stream(11, 3000));
  EXPECT_NE(values, streamlearn::testing::random_stream(12, 3000));
  std::size_t zeros = 0, negative = 0, repeated = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    zeros += values[i] == 0.0;
    negative += values[i] < 0.0;
    repeated += i > 0 && values[i] == values[i - 1];
  }
  EXPECT_GT(zeros, 50u);
  EXPECT_GT(negative, 300u);
  EXPECT_GT(repeated, 20u);
  std::size_t streams_with_spikes = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    for (const double x : streamlearn::testing::random_stream(seed, 3000)) {
      if (std::abs(x) >= 1e6) {
        ++streams_with_spikes;
        break;
      }
    }
  }
  EXPECT_GE(streams_with_spikes, 15u);
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
