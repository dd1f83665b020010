#include "stream/aggregates/variance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

// The tolerance: 1e-12 relative (a wide margin over the few u of the final roundings) plus the
// double-double's drift, 1e-30 (about 80 u^2) per operation times the largest sum of squares held
// since the aggregate was last empty, divided by n - ddof. Welford's revert misses this by far
// once a spike has left the window (see AggregatePropertiesTest).
template <typename VarianceLike>
::testing::AssertionResult matches_brute_force(const VarianceLike& variance, const Held& held) {
  const std::size_t ddof = variance.params().ddof;
  if (held.values.size() <= ddof) {
    return streamlearn::testing::same_value(variance.value(),
                                            std::numeric_limits<double>::quiet_NaN());
  }
  const double divisor = static_cast<double>(held.values.size() - ddof);
  const double expected =
      streamlearn::testing::exact_sum_of_squared_deviations(held.values) / divisor;
  const double tolerance = 1e-12 * expected + 1e-30 * static_cast<double>(held.operations + 1) *
                                                  held.largest_square_sum / divisor;
  if (auto result = streamlearn::testing::within(variance.value(), expected, tolerance); !result)
    return result;
  if (variance.std() != std::sqrt(variance.value()))
    return ::testing::AssertionFailure() << "std() is not the square root of value()";
  return ::testing::AssertionSuccess();
}

// What the properties must catch: Welford's update, Chan et al.'s merge and Welford in reverse,
// whose revert rounds m2 by u * (x - mean)^2, an error that stays once a spike has left.
class WelfordVariance {
 public:
  static constexpr bool kRevertible = true;
  void update(double x) {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (x - mean_);
  }
  void revert(double x) {
    if (--count_ == 0) {
      mean_ = m2_ = 0.0;
      return;
    }
    const double mean_before = mean_;
    mean_ -= (x - mean_) / static_cast<double>(count_);
    m2_ -= (x - mean_) * (x - mean_before);
  }
  void merge(const WelfordVariance& later) {
    if (later.count_ == 0) return;
    const double n = static_cast<double>(count_), m = static_cast<double>(later.count_);
    const double delta = later.mean_ - mean_;
    m2_ += later.m2_ + delta * delta * n * m / (n + m);
    mean_ += delta * m / (n + m);
    count_ += later.count_;
  }
  double value() const {
    return count_ <= 1 ? std::numeric_limits<double>::quiet_NaN()
                       : std::max(0.0, m2_) / static_cast<double>(count_ - 1);
  }
  double std() const { return std::sqrt(value()); }
  std::uint64_t count() const { return count_; }
  Variance::Params params() const { return {}; }
  void save(core::StateWriter& out) const { out.write(m2_); }
  core::Status load(core::StateReader& in) {
    return in.read(m2_) ? core::Status::ok() : in.status("WelfordVariance");
  }

 private:
  std::uint64_t count_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

const Variance sample_variance;
const Variance population_variance(Variance::Params{.ddof = 0});

TEST(VarianceTest, UsageExample) {
  static_assert(RevertibleAggregate<Variance>);
  Variance variance;
  for (double x : {1.0, 2.0, 3.0, 4.0}) variance.update(x);
  EXPECT_DOUBLE_EQ(variance.value(), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(variance.std(), std::sqrt(5.0 / 3.0));
  EXPECT_EQ(variance.mean(), 2.5);
}

TEST(VarianceTest, IsUndefinedUpToDdofValues) {
  Variance sample;
  EXPECT_TRUE(std::isnan(sample.value()));
  EXPECT_TRUE(std::isnan(sample.mean()));
  sample.update(3.0);
  EXPECT_TRUE(std::isnan(sample.value()));  // River says 0; one value has no sample variance
  Variance population(Variance::Params{.ddof = 0});
  EXPECT_TRUE(std::isnan(population.value()));
  population.update(3.0);
  EXPECT_EQ(population.value(), 0.0);
  population.update(5.0);
  EXPECT_EQ(population.value(), 1.0);
}

TEST(VarianceTest, ConstantValuesHaveNoVariance) {
  Variance variance;
  for (int i = 0; i < 1000; ++i) variance.update(0.1);
  EXPECT_LE(variance.value(), 1e-30);
  EXPECT_GE(variance.value(), 0.0);
}

TEST(VarianceTest, LargeMeanWithSmallSpreadKeepsItsDigits) {
  // The textbook formula in doubles returns noise (or a negative number) here.
  std::vector<double> values(1000);
  for (int i = 0; i < 1000; ++i) values[i] = 1e9 + 1e-3 * (i % 7);
  Variance variance;
  for (const double x : values) variance.update(x);
  const double expected = streamlearn::testing::exact_sum_of_squared_deviations(values) / 999.0;
  EXPECT_NEAR(variance.value(), expected, 1e-12 * expected);
}

TEST(VarianceTest, AnOutlierLeavingASlidingWindowLeavesNoTrace) {
  std::mt19937_64 rng(7);
  std::vector<double> values(300);
  for (double& x : values) x = streamlearn::testing::gaussian(rng);
  values[100] = 1e10;
  Variance variance;
  const std::size_t window = 50;
  for (std::size_t i = 0; i < values.size(); ++i) {
    variance.update(values[i]);
    if (i >= window) variance.revert(values[i - window]);
  }
  const std::span<const double> last(values.data() + values.size() - window, window);
  const double expected = streamlearn::testing::exact_sum_of_squared_deviations(last) / 49.0;
  EXPECT_NEAR(variance.value(), expected, 1e-12 * expected);
}

TEST(VarianceTest, AWindowThatMovedToAnotherLevelStopsDrifting) {
  // The shift (the first value, near 0) ends up 1e9 away from a window whose spread is 1e-3. The
  // sums held 1e20 during the move, which costs about u^2 * 1e20 = 1e-12 in m2 (1e-8 relative
  // here, Welford would be off by 1e4); then the shift moves to the new level and the error stays
  // what it was. Left at 0, every later step would add about 1e-12 more.
  std::mt19937_64 rng(5);
  std::vector<double> values(200);
  for (double& x : values) x = streamlearn::testing::gaussian(rng);
  for (int i = 0; i < 5000; ++i) values.push_back(1e9 + 1e-3 * streamlearn::testing::gaussian(rng));
  Variance variance;
  const std::size_t window = 100;
  double error_after_move = -1.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    variance.update(values[i]);
    if (i >= window) variance.revert(values[i - window]);
    if (i < 200 + window) continue;
    const std::span<const double> held(values.data() + i + 1 - window, window);
    const double expected =
        streamlearn::testing::exact_sum_of_squared_deviations(held) / (window - 1.0);
    const double error = std::abs(variance.value() - expected);
    if (error_after_move < 0.0) {
      error_after_move = error;
      ASSERT_LE(error, 1e-30 * 600 * 1e20 / (window - 1.0));  // u^2 * 1e20 per step, 600 steps
    }
    ASSERT_LE(error, 1e-12 * expected + 1.1 * error_after_move) << "step " << i;
    ASSERT_NEAR(variance.mean(), 1e9, 1e-3);
  }
}

TEST(VarianceTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(
        streamlearn::testing::check_updates(sample_variance, values, matches_brute_force<Variance>))
        << "seed " << seed;
    ASSERT_TRUE(streamlearn::testing::check_updates(population_variance, values,
                                                    matches_brute_force<Variance>))
        << "seed " << seed;
  }
}

TEST(VarianceTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_merges(sample_variance, values, seed,
                                                   matches_brute_force<Variance>))
        << "seed " << seed;
    ASSERT_TRUE(streamlearn::testing::check_merges(population_variance, values, seed,
                                                   matches_brute_force<Variance>))
        << "seed " << seed;
  }
}

TEST(VarianceTest, SlidingWindowByRevertMatchesBruteForceAtEveryStep) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    const std::size_t window = 1 + (seed * 37) % 300;
    ASSERT_TRUE(streamlearn::testing::check_sliding_window(sample_variance, values, window,
                                                           matches_brute_force<Variance>))
        << "seed " << seed << ", window " << window;
    ASSERT_TRUE(streamlearn::testing::check_sliding_window(population_variance, values, window,
                                                           matches_brute_force<Variance>))
        << "seed " << seed << ", window " << window;
  }
}

TEST(VarianceTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(sample_variance, values, seed))
        << "seed " << seed;
    ASSERT_TRUE(streamlearn::testing::check_save_load(population_variance, values, seed))
        << "seed " << seed;
  }
}

TEST(VarianceTest, LoadRejectsStateSavedWithAnotherDdof) {
  Variance population(Variance::Params{.ddof = 0});
  population.update(1.0);
  population.update(2.0);
  core::StateWriter out;
  population.save(out);
  Variance sample;
  sample.update(5.0);
  core::StateReader in(out.bytes());
  const core::Status status = sample.load(in);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.message(),
            "Variance: the saved state has ddof=0 but this aggregate is configured with ddof=1");
  EXPECT_EQ(sample.count(), 1u);
}

TEST(VarianceTest, MergingDifferentParamsIsAProgrammerError) {
  Variance sample;
  const Variance population(Variance::Params{.ddof = 0});
  EXPECT_DEATH(sample.merge(population), "check failed: params_ == later.params_");
}

TEST(VarianceTest, PropertiesRejectWelfordInReverse) {
  static_assert(RevertibleAggregate<WelfordVariance>);
  const auto values = streamlearn::testing::random_stream(3, 3000);
  const ::testing::AssertionResult result = streamlearn::testing::check_sliding_window(
      WelfordVariance{}, values, 100, matches_brute_force<WelfordVariance>);
  ASSERT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("above the tolerance"), std::string::npos)
      << result.message();
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
