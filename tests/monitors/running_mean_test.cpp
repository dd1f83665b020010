#include "monitors/metrics/running_mean.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace streamlearn::monitors {
namespace {

TEST(RunningMeanTest, MatchesRiverExample) {
  // River's stats.Mean docstring: -5, -3, -1, 1, 3, 5 gives -5, -4, -3, -2, -1, 0.
  RunningMean mean;
  const std::vector<double> xs = {-5, -3, -1, 1, 3, 5};
  const std::vector<double> expected = {-5, -4, -3, -2, -1, 0};
  for (std::size_t i = 0; i < xs.size(); ++i) {
    mean.update(xs[i]);
    EXPECT_DOUBLE_EQ(mean.get(), expected[i]);
  }
}

TEST(RunningMeanTest, EqualsBatchMeanOnSeededData) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(3.0, 10.0);
  RunningMean mean;
  double sum = 0.0;
  for (int i = 1; i <= 10000; ++i) {
    const double x = normal(rng);
    mean.update(x);
    sum += x;
  }
  EXPECT_NEAR(mean.get(), sum / 10000, 1e-12);
  EXPECT_EQ(mean.count(), 10000u);
}

TEST(RunningMeanTest, EmptyIsZeroAndRevertingEverythingResetsToZero) {
  RunningMean mean;
  EXPECT_EQ(mean.get(), 0.0);
  mean.update(0.1);
  mean.update(0.7);
  mean.revert(0.1);
  mean.revert(0.7);
  EXPECT_EQ(mean.count(), 0u);
  EXPECT_EQ(mean.get(), 0.0);
}

TEST(RunningMeanTest, RevertUndoesUpdate) {
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> uniform(-5.0, 5.0);
  RunningMean mean;
  for (int i = 0; i < 100; ++i) mean.update(uniform(rng));
  const double before = mean.get();
  const double x = uniform(rng);
  mean.update(x);
  mean.revert(x);
  EXPECT_NEAR(mean.get(), before, 1e-14);
  EXPECT_EQ(mean.count(), 100u);
}

TEST(RunningMeanTest, MergeEqualsOneMeanOverBothStreams) {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  RunningMean left, right, both;
  for (int i = 0; i < 300; ++i) {
    const double x = uniform(rng);
    (i % 3 == 0 ? left : right).update(x);
    both.update(x);
  }
  left.merge(right);
  EXPECT_EQ(left.count(), both.count());
  EXPECT_NEAR(left.get(), both.get(), 1e-14);
  RunningMean empty;
  empty.merge(RunningMean());
  EXPECT_EQ(empty.get(), 0.0);
}

TEST(RunningMeanTest, SaveLoadRoundTripsAndRejectsTruncatedState) {
  RunningMean mean;
  mean.update(1.5);
  mean.update(-0.25);
  core::StateWriter out;
  mean.save(out);
  RunningMean loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_EQ(loaded.get(), mean.get());
  EXPECT_EQ(loaded.count(), mean.count());

  const std::string truncated = out.bytes().substr(0, out.bytes().size() - 1);
  core::StateReader short_in(truncated);
  RunningMean untouched;
  EXPECT_FALSE(untouched.load(short_in).is_ok());
  EXPECT_EQ(untouched.count(), 0u);
}

}  // namespace
}  // namespace streamlearn::monitors
