#include "monitors/metrics/running_variance.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace streamlearn::monitors {
namespace {

double batch_sample_variance(const std::vector<double>& xs) {
  double mean = 0.0;
  for (double x : xs) mean += x;
  mean /= static_cast<double>(xs.size());
  double sum = 0.0;
  for (double x : xs) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(xs.size() - 1);
}

TEST(RunningVarianceTest, MatchesRiverExample) {
  // River's stats.Var docstring: 3, 5, 4, 7, 10, 12 gives 0, 2, 1, 2.916666, 7.7, 12.56666.
  RunningVariance variance;
  const std::vector<double> xs = {3, 5, 4, 7, 10, 12};
  const std::vector<double> expected = {0.0, 2.0, 1.0, 2.9166666666666665, 7.7, 12.566666666666666};
  for (std::size_t i = 0; i < xs.size(); ++i) {
    variance.update(xs[i]);
    EXPECT_NEAR(variance.get(), expected[i], 1e-12);
  }
}

TEST(RunningVarianceTest, EqualsBatchVarianceOnSeededData) {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> normal(100.0, 3.0);
  RunningVariance variance;
  std::vector<double> xs;
  for (int i = 0; i < 5000; ++i) {
    xs.push_back(normal(rng));
    variance.update(xs.back());
  }
  EXPECT_NEAR(variance.get(), batch_sample_variance(xs), 1e-9);
  EXPECT_NEAR(variance.sum_of_squares(), batch_sample_variance(xs) * 4999, 1e-6);
}

TEST(RunningVarianceTest, FewerThanTwoObservationsGiveZero) {
  RunningVariance variance;
  EXPECT_EQ(variance.get(), 0.0);
  variance.update(42.0);
  EXPECT_EQ(variance.get(), 0.0);
}

TEST(RunningVarianceTest, RevertUndoesUpdate) {
  std::mt19937_64 rng(22);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  RunningVariance variance;
  for (int i = 0; i < 50; ++i) variance.update(uniform(rng));
  const double before = variance.get();
  const double x = uniform(rng);
  variance.update(x);
  variance.revert(x);
  EXPECT_NEAR(variance.get(), before, 1e-14);
  EXPECT_EQ(variance.count(), 50u);
}

TEST(RunningVarianceTest, MergeEqualsOneVarianceOverBothStreams) {
  std::mt19937_64 rng(23);
  std::normal_distribution<double> normal(0.0, 1.0);
  RunningVariance left, right, both;
  for (int i = 0; i < 400; ++i) {
    const double x = normal(rng) + (i % 2 == 0 ? 5.0 : 0.0);
    (i % 2 == 0 ? left : right).update(x);
    both.update(x);
  }
  left.merge(right);
  EXPECT_EQ(left.count(), both.count());
  EXPECT_NEAR(left.mean(), both.mean(), 1e-12);
  EXPECT_NEAR(left.get(), both.get(), 1e-10);
}

TEST(RunningVarianceTest, SaveLoadRoundTrips) {
  RunningVariance variance;
  for (double x : {1.0, 2.5, -3.0}) variance.update(x);
  core::StateWriter out;
  variance.save(out);
  RunningVariance loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(loaded.get(), variance.get());
  EXPECT_EQ(loaded.mean(), variance.mean());
}

}  // namespace
}  // namespace streamlearn::monitors
