#include "connectors/synthetic/random_source.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace streamlearn::connectors {
namespace {

TEST(RandomSourceTest, HeaderExampleDrawsWithinTheRanges) {
  RandomSource random(42);
  const double x = random.uniform(0.0, 10.0);
  const std::int64_t age = random.between(20, 80);
  EXPECT_GE(x, 0.0);
  EXPECT_LT(x, 10.0);
  EXPECT_GE(age, 20);
  EXPECT_LE(age, 80);
}

TEST(RandomSourceTest, UsesTheStandardMersenneTwisterSoEveryPlatformDrawsTheSameNumbers) {
  // The C++ standard fixes the 10000th output of a default-seeded (5489) mt19937_64; uniform()
  // keeps its top 53 bits.
  RandomSource random(5489);
  for (int i = 0; i < 9999; ++i) random.uniform();
  EXPECT_EQ(random.uniform(), static_cast<double>(9981545732273789042ULL >> 11) * 0x1.0p-53);
}

TEST(RandomSourceTest, SameSeedGivesTheSameSequenceAndAnotherSeedAnother) {
  RandomSource a(7), b(7), c(8);
  int equal_to_other_seed = 0;
  for (int i = 0; i < 100; ++i) {
    const double x = a.uniform();
    EXPECT_EQ(x, b.uniform());
    equal_to_other_seed += x == c.uniform();
  }
  EXPECT_EQ(equal_to_other_seed, 0);
}

TEST(RandomSourceTest, UniformStaysInItsHalfOpenRangeWithMeanOneHalf) {
  RandomSource random(11);
  double sum = 0;
  const int n = 100'000;
  for (int i = 0; i < n; ++i) {
    const double u = random.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);  // sd of the mean: 0.0009
}

TEST(RandomSourceTest, BelowDrawsEveryValueEquallyOften) {
  RandomSource random(12);
  std::array<int, 6> counts{};
  const int n = 60'000;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t value = random.below(6);
    ASSERT_LT(value, 6u);
    ++counts[value];
  }
  for (int count : counts) EXPECT_NEAR(count, n / 6, 500);  // sd 91
}

TEST(RandomSourceTest, BetweenIncludesBothEnds) {
  RandomSource random(13);
  bool low_seen = false, high_seen = false;
  for (int i = 0; i < 10'000; ++i) {
    const std::int64_t value = random.between(-2, 3);
    ASSERT_GE(value, -2);
    ASSERT_LE(value, 3);
    low_seen |= value == -2;
    high_seen |= value == 3;
  }
  EXPECT_TRUE(low_seen);
  EXPECT_TRUE(high_seen);
}

TEST(RandomSourceTest, NormalHasMeanZeroAndVarianceOne) {
  RandomSource random(14);
  double sum = 0, sum_of_squares = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) {
    const double z = random.normal();
    sum += z;
    sum_of_squares += z * z;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.01);                               // sd 0.0022
  EXPECT_NEAR(sum_of_squares / n - mean * mean, 1.0, 0.015);  // sd 0.0032
}

TEST(RandomSourceTest, BernoulliHonoursItsProbabilityAndItsEdges) {
  RandomSource random(15);
  int successes = 0;
  for (int i = 0; i < 100'000; ++i) {
    successes += random.bernoulli(0.3);
    ASSERT_FALSE(random.bernoulli(0.0));
    ASSERT_TRUE(random.bernoulli(1.0));
  }
  EXPECT_NEAR(successes, 30'000, 700);  // sd 145
}

}  // namespace
}  // namespace streamlearn::connectors
