#include "stream/aggregates/quantile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

constexpr double kQuantiles[] = {0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0};

// The value at rank ceil(q * (n - 1)) of the sorted values: the header's convention, written out.
double exact_quantile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size() - 1)));
  return sorted[rank];
}

// The stated bound, |got - v| <= alpha * |v|, for every q, with no slack; and, since bucket counts
// are exact, the very same answers as a sketch built from scratch on the values held.
::testing::AssertionResult matches_brute_force(const Quantile& sketch, const Held& held) {
  if (held.values.empty())
    return streamlearn::testing::same_value(sketch.value(),
                                            std::numeric_limits<double>::quiet_NaN());
  if (sketch.collapsed())
    return ::testing::AssertionFailure() << "collapsed buckets on a stream within the budget";
  const std::vector<double> values(held.values.begin(), held.values.end());
  Quantile fresh(sketch.params());
  for (const double x : values) fresh.update(x);
  for (const double q : kQuantiles) {
    const double expected = exact_quantile(values, q);
    const double got = sketch.quantile(q);
    if (!(std::abs(got - expected) <= sketch.params().alpha * std::abs(expected))) {
      return ::testing::AssertionFailure()
             << "q=" << q << ": "
             << streamlearn::testing::within(got, expected,
                                             sketch.params().alpha * std::abs(expected))
                    .message();
    }
    if (auto same = streamlearn::testing::same_value(got, fresh.quantile(q)); !same)
      return ::testing::AssertionFailure()
             << "q=" << q << ", against a fresh sketch: " << same.message();
  }
  return streamlearn::testing::same_value(sketch.value(), sketch.quantile(sketch.params().q));
}

const Quantile default_sketch;
const Quantile coarse_sketch(Quantile::Params{.q = 0.9, .alpha = 0.05});

TEST(QuantileTest, UsageExample) {
  static_assert(RevertibleAggregate<Quantile>);
  Quantile latency_p99(Quantile::Params{.q = 0.99});
  EXPECT_TRUE(std::isnan(latency_p99.value()));
  std::vector<double> latencies;
  for (int i = 1; i <= 1000; ++i) latencies.push_back(0.5 * i);
  for (const double ms : latencies) latency_p99.update(ms);
  // Rank ceil(0.99 * 999) = 990 of 0.5, 1.0, ... is 495.5.
  EXPECT_NEAR(latency_p99.value(), 495.5, 0.01 * 495.5);
}

TEST(QuantileTest, RankIsCeilingOfQTimesNMinusOne) {
  Quantile sketch;
  for (const double x : {300.0, 100.0, 500.0, 200.0, 400.0}) sketch.update(x);
  // n = 5: q * 4 rounded up. The values are 25% or more apart, so within 1% picks one each.
  EXPECT_NEAR(sketch.quantile(0.0), 100.0, 1.0);
  EXPECT_NEAR(sketch.quantile(0.25), 200.0, 2.0);  // rank 1
  EXPECT_NEAR(sketch.quantile(0.26), 300.0, 3.0);  // rank ceil(1.04) = 2
  EXPECT_NEAR(sketch.quantile(0.5), 300.0, 3.0);   // rank 2
  EXPECT_NEAR(sketch.quantile(0.6), 400.0, 4.0);   // rank ceil(2.4) = 3
  EXPECT_NEAR(sketch.quantile(1.0), 500.0, 5.0);
  sketch.revert(500.0);
  // n = 4: the median is the upper one, rank ceil(1.5) = 2.
  EXPECT_NEAR(sketch.quantile(0.5), 300.0, 3.0);
  EXPECT_NEAR(sketch.quantile(0.34), 300.0, 3.0);  // rank ceil(1.02) = 2
  EXPECT_NEAR(sketch.quantile(0.33), 200.0, 2.0);  // rank ceil(0.99) = 1
}

TEST(QuantileTest, KeepsSignsAndExactZeros) {
  Quantile sketch;
  for (const double x : {-5.0, 10.0, -1.0, 0.0, -0.0, 2.0}) sketch.update(x);
  EXPECT_NEAR(sketch.quantile(0.0), -5.0, 0.05);
  EXPECT_NEAR(sketch.quantile(0.2), -1.0, 0.01);  // rank 1
  EXPECT_EQ(sketch.quantile(0.4), 0.0);           // rank 2
  EXPECT_EQ(sketch.quantile(0.6), 0.0);           // rank 3
  EXPECT_NEAR(sketch.quantile(0.8), 2.0, 0.02);   // rank 4
  EXPECT_NEAR(sketch.quantile(1.0), 10.0, 0.1);
}

TEST(QuantileTest, MagnitudesBelowTheMinimumCountAsZero) {
  Quantile sketch;
  sketch.update(1e-310);
  sketch.update(-1e-301);
  EXPECT_EQ(sketch.quantile(0.0), 0.0);
  EXPECT_EQ(sketch.quantile(1.0), 0.0);
  sketch.revert(1e-310);
  sketch.revert(-1e-301);
  EXPECT_EQ(sketch.count(), 0u);
}

TEST(QuantileTest, CollapsingKeepsTheLargeMagnitudesWithinAlpha) {
  // 64 buckets at alpha = 0.01 span a factor 1.0202^64 = 3.6: 1 .. 1000 needs 350.
  Quantile sketch(Quantile::Params{.max_num_buckets = 64});
  std::vector<double> values;
  for (int i = 1; i <= 1000; ++i) values.push_back(i);
  for (const double x : values) sketch.update(x);
  EXPECT_TRUE(sketch.collapsed());
  for (const double q : {0.5, 0.9, 0.99, 1.0}) {
    const double expected = exact_quantile(values, q);
    EXPECT_LE(std::abs(sketch.quantile(q) - expected), 0.01 * expected) << "q=" << q;
  }
  // Below the floor the answer is the floor bucket's value: too large.
  EXPECT_GT(sketch.quantile(0.01), 1.01 * exact_quantile(values, 0.01));
  EXPECT_EQ(sketch.quantile(0.01), sketch.quantile(0.0));
  // The negative side collapses its smallest magnitudes too: the largest quantiles.
  Quantile negative(Quantile::Params{.max_num_buckets = 64});
  for (const double x : values) negative.update(-x);
  EXPECT_NEAR(negative.quantile(0.0), -1000.0, 10.0);
  EXPECT_NEAR(negative.quantile(0.01), -990.0, 9.9);
  EXPECT_LT(negative.quantile(1.0), -1.01);
}

TEST(QuantileTest, RevertingCollapsedAndMergedValuesEmptiesTheSketch) {
  const Quantile::Params params{.max_num_buckets = 16};
  Quantile large(params), small(params);
  std::vector<double> large_values, small_values;
  for (int i = 1; i <= 500; ++i) {
    large_values.push_back(i);
    small_values.push_back(-1e-3 * i);
    small_values.push_back(1e-3 * i);
  }
  for (const double x : large_values) large.update(x);
  for (const double x : small_values) small.update(x);
  ASSERT_TRUE(large.collapsed());
  ASSERT_TRUE(small.collapsed());
  Quantile merged = small;
  merged.merge(large);
  EXPECT_EQ(merged.count(), 1500u);
  EXPECT_NEAR(merged.quantile(1.0), 500.0, 5.0);
  EXPECT_NEAR(merged.quantile(0.0), -0.5, 0.005);
  // Every value reverts into the bucket that holds it (revert checks that it is non-empty).
  for (const double x : large_values) merged.revert(x);
  for (const double x : small_values) merged.revert(x);
  EXPECT_EQ(merged.count(), 0u);
  EXPECT_FALSE(merged.collapsed());
  merged.update(3.0);
  EXPECT_NEAR(merged.value(), 3.0, 0.03);
}

TEST(QuantileTest, SlidingWindowWithCollapsesKeepsTheDocumentedBound) {
  // Every answer has the right sign, and is within alpha or, once collapsed, too large in
  // magnitude (a value below the floor reported as the floor bucket's).
  const Quantile narrow(Quantile::Params{.max_num_buckets = 32});
  std::size_t outside_alpha = 0;
  auto check = [&outside_alpha](const Quantile& sketch,
                                const Held& held) -> ::testing::AssertionResult {
    if (held.values.empty()) return ::testing::AssertionSuccess();
    const std::vector<double> values(held.values.begin(), held.values.end());
    for (const double q : kQuantiles) {
      const double expected = exact_quantile(values, q);
      const double got = sketch.quantile(q);
      const bool same_sign = (got > 0.0 && expected > 0.0) || (got < 0.0 && expected < 0.0) ||
                             (got == 0.0 && expected == 0.0);
      if (std::abs(got - expected) <= 0.01 * std::abs(expected) && same_sign) continue;
      if (!sketch.collapsed() || !same_sign || std::abs(got) <= std::abs(expected))
        return ::testing::AssertionFailure()
               << "q=" << q << ": got " << got << ", expected " << expected
               << (sketch.collapsed() ? "" : " (not collapsed)");
      ++outside_alpha;
    }
    return ::testing::AssertionSuccess();
  };
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 2000);
    ASSERT_TRUE(streamlearn::testing::check_sliding_window(narrow, values, 200, check))
        << "seed " << seed;
  }
  EXPECT_GT(outside_alpha, 0u);  // the streams do exercise collapsing
}

TEST(QuantileTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_updates(default_sketch, values, matches_brute_force))
        << "seed " << seed;
    ASSERT_TRUE(streamlearn::testing::check_updates(coarse_sketch, values, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(QuantileTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(
        streamlearn::testing::check_merges(default_sketch, values, seed, matches_brute_force))
        << "seed " << seed;
    ASSERT_TRUE(
        streamlearn::testing::check_merges(coarse_sketch, values, seed, matches_brute_force))
        << "seed " << seed;
  }
}

TEST(QuantileTest, SlidingWindowByRevertMatchesBruteForceAtEveryStep) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 2000);
    const std::size_t window = 1 + (seed * 37) % 200;
    ASSERT_TRUE(streamlearn::testing::check_sliding_window(default_sketch, values, window,
                                                           matches_brute_force))
        << "seed " << seed << ", window " << window;
    ASSERT_TRUE(streamlearn::testing::check_sliding_window(coarse_sketch, values, window,
                                                           matches_brute_force))
        << "seed " << seed << ", window " << window;
  }
}

TEST(QuantileTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(default_sketch, values, seed))
        << "seed " << seed;
    const Quantile collapsing(Quantile::Params{.max_num_buckets = 16});
    ASSERT_TRUE(streamlearn::testing::check_save_load(collapsing, values, seed)) << "seed " << seed;
  }
}

TEST(QuantileTest, LoadRejectsStateSavedWithAnotherAlpha) {
  Quantile coarse(Quantile::Params{.alpha = 0.05});
  coarse.update(1.0);
  core::StateWriter out;
  coarse.save(out);
  Quantile fine;
  core::StateReader in(out.bytes());
  const core::Status status = fine.load(in);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.message(),
            "Quantile: the saved state has alpha=0.05, max_num_buckets=2048 but this aggregate is "
            "configured with alpha=0.01, max_num_buckets=2048");
  EXPECT_EQ(fine.count(), 0u);
  // q is not part of the state.
  Quantile median(Quantile::Params{.q = 0.5, .alpha = 0.05});
  core::StateReader again(out.bytes());
  EXPECT_TRUE(median.load(again).is_ok());
  EXPECT_EQ(median.count(), 1u);
}

TEST(QuantileTest, RevertingAValueNeverAddedIsAProgrammerError) {
  Quantile sketch;
  sketch.update(1.0);
  EXPECT_DEATH(sketch.revert(1000.0), "check failed");
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
