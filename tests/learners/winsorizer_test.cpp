#include "learners/preprocessing/winsorizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/feature_space.h"
#include "learners/learner_registry.h"

namespace streamlearn::learners {
namespace {

using core::FeatureId;

FeatureVector features(std::initializer_list<std::pair<FeatureId, double>> values) {
  FeatureVector x;
  for (const auto& [id, value] : values) x.add_numeric(id, value);
  return x;
}

TEST(WinsorizerTest, UsageExample) {
  Winsorizer winsorize({.lower = 0.05, .upper = 0.95, .cols = {}});
  FeatureVector clipped;
  for (int i = 0; i <= 1000; ++i) winsorize.learn_one(features({{0, i * 0.1}}));  // 0 to 100
  winsorize.transform_one(features({{0, 1e6}, {1, -7.0}}), clipped);
  EXPECT_NEAR(clipped.numeric()[0].value, 95.0, 0.5);  // the running 95th percentile
  EXPECT_EQ(clipped.numeric()[1].value, -7.0);         // never learned: unchanged
}

// Oracle: the transform is std::clamp(x, lower estimate, upper estimate) with two independent
// P2Quantile estimators fed the same values (tested against River in p2_quantile_test.cpp), and
// after 20000 events those bounds sit within 0.003 * n ranks of the batch quantiles of the sample.
TEST(WinsorizerTest, ClipsToTwoP2QuantilesPerFeatureNearTheBatchQuantiles) {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::lognormal_distribution<double> lognormal(0.0, 1.5);
  Winsorizer winsorize({});
  P2Quantile lower[2] = {P2Quantile(0.01), P2Quantile(0.01)};
  P2Quantile upper[2] = {P2Quantile(0.99), P2Quantile(0.99)};
  std::vector<double> seen[2];
  FeatureVector clipped;
  for (int i = 0; i < 20000; ++i) {
    FeatureVector x;
    const double values[2] = {normal(rng), lognormal(rng)};
    for (FeatureId id = 0; id < 2; ++id) {
      if (id == 1 && i % 4 == 0) continue;  // feature 1 misses every fourth event
      x.add_numeric(id, values[id]);
      lower[id].update(values[id]);
      upper[id].update(values[id]);
      seen[id].push_back(values[id]);
    }
    winsorize.learn_transform_one(x, clipped);
    for (std::size_t k = 0; k < x.numeric().size(); ++k) {
      const FeatureId id = x.numeric()[k].id;
      const double expected =
          std::clamp(x.numeric()[k].value, lower[id].value(), upper[id].value());
      ASSERT_EQ(clipped.numeric()[k].value, expected) << "event " << i;
    }
  }
  for (FeatureId id = 0; id < 2; ++id) {
    std::vector<double>& sample = seen[id];
    std::sort(sample.begin(), sample.end());
    const double n = static_cast<double>(sample.size());
    const auto rank = [&](double value) {
      return static_cast<double>(std::upper_bound(sample.begin(), sample.end(), value) -
                                 sample.begin());
    };
    EXPECT_NEAR(rank(winsorize.lower_quantile(id)->value()), 0.01 * n, 0.003 * n);
    EXPECT_NEAR(rank(winsorize.upper_quantile(id)->value()), 0.99 * n, 0.003 * n);
  }
}

// River's estimator returns, over its first observations, the sorted observation at index
// trunc(min(n - 1, n * q)): after one value both bounds are that value.
TEST(WinsorizerTest, EarlyBoundsAreRiversFirstObservationEstimates) {
  Winsorizer winsorize({});
  FeatureVector clipped;
  winsorize.learn_one(features({{0, 5.0}}));
  winsorize.transform_one(features({{0, -100.0}}), clipped);
  EXPECT_EQ(clipped.numeric()[0].value, 5.0);
  for (double value : {1.0, 9.0, 3.0}) winsorize.learn_one(features({{0, value}}));
  // Sorted [1 3 5 9]: lower index trunc(0.04) = 0, upper index trunc(min(3, 3.96)) = 3.
  winsorize.transform_one(features({{0, -100.0}, {0, 100.0}, {0, 4.0}}), clipped);
  EXPECT_EQ(clipped.numeric()[0].value, 1.0);
  EXPECT_EQ(clipped.numeric()[1].value, 9.0);
  EXPECT_EQ(clipped.numeric()[2].value, 4.0);
}

TEST(WinsorizerTest, OnlyListedFeaturesAreLearnedAndClipped) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), b = space.feature("b"), color = space.feature("color");
  const core::SymbolId red = space.value("red");
  Winsorizer winsorize({.lower = 0.1, .upper = 0.9, .cols = {"b"}}, &space);
  for (int i = 0; i < 100; ++i) winsorize.learn_one(features({{a, i * 1.0}, {b, i * 1.0}}));
  EXPECT_EQ(winsorize.lower_quantile(a), nullptr);
  ASSERT_NE(winsorize.lower_quantile(b), nullptr);
  FeatureVector x = features({{a, 1000.0}, {b, 1000.0}}), clipped;
  x.add_categorical(color, red, space.indicator(color, red));
  winsorize.transform_one(x, clipped);
  EXPECT_EQ(clipped.numeric()[0].value, 1000.0);
  EXPECT_EQ(clipped.numeric()[1].value, winsorize.upper_quantile(b)->value());
  EXPECT_LT(clipped.numeric()[1].value, 100.0);
  ASSERT_EQ(clipped.categorical().size(), 1u);
  EXPECT_EQ(clipped.categorical()[0].indicator, space.indicator(color, red));
}

TEST(WinsorizerTest, RejectsQuantilesOutsideZeroLowerUpperOne) {
  core::FeatureSpace space;
  for (const char* expression :
       {"winsorize(lower=0) | gaussian_nb", "winsorize(upper=1) | gaussian_nb",
        "winsorize(lower=0.6, upper=0.4) | gaussian_nb"}) {
    auto model = LearnerRegistry::builtin().build(expression, &space);
    ASSERT_FALSE(model.is_ok()) << expression;
    EXPECT_NE(model.status().message().find("the quantiles must satisfy 0 < lower < upper < 1"),
              std::string::npos)
        << model.status().message();
  }
  auto built = LearnerRegistry::builtin().build(
      "winsorize(lower=0.05, cols=[amount]) | linear_regression", &space);
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(), "winsorize(lower=0.05, cols=[amount]) | linear_regression");
}

TEST(WinsorizerTest, SaveThenLoadGivesBitIdenticalTransforms) {
  Winsorizer winsorize({});
  std::mt19937_64 rng(6);
  std::normal_distribution<double> normal(1.0, 4.0);
  const auto draw = [&] { return features({{3, normal(rng)}, {1, normal(rng) * 10}}); };
  for (int i = 0; i < 300; ++i) winsorize.learn_one(draw());
  core::StateWriter writer;
  winsorize.save(writer);
  auto restored = winsorize.clone();
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored->load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  FeatureVector expected, actual;
  for (int i = 0; i < 200; ++i) {
    const FeatureVector x = draw();
    winsorize.learn_transform_one(x, expected);
    restored->learn_transform_one(x, actual);
    ASSERT_TRUE(expected == actual) << "event " << i;
  }
  // State saved by a winsorizer of other quantiles, or cut short, is refused.
  core::StateReader other(writer.bytes());
  EXPECT_FALSE(Winsorizer({.lower = 0.2, .upper = 0.8, .cols = {}}).load(other).is_ok());
  core::StateReader truncated(std::string_view(writer.bytes()).substr(0, 30));
  EXPECT_FALSE(Winsorizer({}).load(truncated).is_ok());
}

}  // namespace
}  // namespace streamlearn::learners
