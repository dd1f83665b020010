#include "learners/preprocessing/standard_scaler.h"

#include <gtest/gtest.h>

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

TEST(StandardScalerTest, UsageExample) {
  StandardScaler scaler({});
  FeatureVector scaled;
  for (double value : {10.0, 12.0, 14.0}) {
    const FeatureVector x = features({{0, value}});
    scaler.learn_one(x);
    scaler.transform_one(x, scaled);
  }
  // After 10, 12, 14: mean 12, population variance 8/3.
  ASSERT_EQ(scaled.numeric().size(), 1u);
  EXPECT_NEAR(scaled.numeric()[0].value, 2.0 / std::sqrt(8.0 / 3.0), 1e-15);
}

TEST(StandardScalerTest, FirstEventAndConstantFeaturesMapToZero) {
  StandardScaler scaler({});
  FeatureVector scaled;
  scaler.learn_one(features({{0, 5.0}, {1, -3.0}}));
  scaler.transform_one(features({{0, 5.0}, {1, -3.0}, {2, 8.0}}), scaled);
  ASSERT_EQ(scaled.numeric().size(), 3u);
  for (const core::NumericFeature& feature : scaled.numeric()) EXPECT_EQ(feature.value, 0.0);
  EXPECT_EQ(scaled.numeric()[2].id, 2u);  // a feature never learned keeps its place
}

// The running count, mean and population variance agree with the two-pass batch formulas after
// every event, on a seeded stream where features come and go.
TEST(StandardScalerTest, RunningMeanAndVarianceMatchTheBatchFormulas) {
  std::mt19937_64 rng(99);
  std::normal_distribution<double> normal(50.0, 10.0);
  StandardScaler scaler({});
  std::vector<std::vector<double>> seen(3);
  for (int i = 0; i < 3000; ++i) {
    FeatureVector x;
    for (FeatureId id = 0; id < 3; ++id) {
      if ((i + static_cast<int>(id)) % 4 == 0) continue;  // each feature misses every 4th event
      const double value = normal(rng) * (id + 1.0);
      x.add_numeric(id, value);
      seen[id].push_back(value);
    }
    scaler.learn_one(x);
    if (i % 250 != 0) continue;
    for (FeatureId id = 0; id < 3; ++id) {
      const std::vector<double>& v = seen[id];
      if (v.empty()) continue;
      double mean = 0, squares = 0;
      for (double value : v) mean += value;
      mean /= static_cast<double>(v.size());
      for (double value : v) squares += (value - mean) * (value - mean);
      const double variance = squares / static_cast<double>(v.size());
      EXPECT_EQ(scaler.count(id), static_cast<double>(v.size()));
      EXPECT_NEAR(scaler.mean(id), mean, 1e-12 * std::abs(mean));
      EXPECT_NEAR(scaler.variance(id), variance, 1e-9 * variance + 1e-12);
    }
  }
  FeatureVector scaled;
  scaler.transform_one(features({{1, 120.0}}), scaled);
  EXPECT_NEAR(scaled.numeric()[0].value, (120.0 - scaler.mean(1)) / std::sqrt(scaler.variance(1)),
              1e-12);
}

TEST(StandardScalerTest, PassesCategoricalFeaturesThroughUnchanged) {
  core::FeatureSpace space;
  const FeatureId amount = space.feature("amount"), color = space.feature("color");
  const core::SymbolId red = space.value("red");
  FeatureVector x;
  x.add_numeric(amount, 3.0);
  x.add_categorical(color, red, space.indicator(color, red));
  StandardScaler scaler({});
  scaler.learn_one(x);
  scaler.learn_one(x);
  FeatureVector scaled;
  scaler.transform_one(x, scaled);
  ASSERT_EQ(scaled.categorical().size(), 1u);
  EXPECT_EQ(scaled.categorical()[0].id, color);
  EXPECT_EQ(scaled.categorical()[0].value, red);
  EXPECT_EQ(scaled.categorical()[0].indicator, space.indicator(color, red));
  EXPECT_EQ(scaler.count(space.indicator(color, red)), 0.0);
}

TEST(StandardScalerTest, WithoutStdOnlyCenters) {
  auto built =
      LearnerRegistry::builtin().build("standard_scaler(with_std=false) | linear_regression");
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(), "standard_scaler(with_std=false) | linear_regression");
  StandardScaler scaler({.with_std = false});
  for (double value : {1.0, 2.0, 6.0}) scaler.learn_one(features({{0, value}}));
  FeatureVector scaled;
  scaler.transform_one(features({{0, 10.0}}), scaled);
  EXPECT_EQ(scaled.numeric()[0].value, 7.0);
}

TEST(StandardScalerTest, SaveThenLoadGivesBitIdenticalTransforms) {
  StandardScaler scaler({});
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> uniform(-5.0, 5.0);
  const auto draw = [&] { return features({{0, uniform(rng)}, {4, uniform(rng) * 100}}); };
  for (int i = 0; i < 100; ++i) scaler.learn_one(draw());
  core::StateWriter writer;
  scaler.save(writer);
  auto restored = scaler.clone();
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored->load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  FeatureVector expected, actual;
  for (int i = 0; i < 50; ++i) {
    const FeatureVector x = draw();
    scaler.transform_one(x, expected);
    restored->transform_one(x, actual);
    ASSERT_TRUE(expected == actual);
    scaler.learn_one(x);
    restored->learn_one(x);
  }
  core::StateReader truncated(std::string_view(writer.bytes()).substr(0, 10));
  EXPECT_FALSE(StandardScaler({}).load(truncated).is_ok());
}

}  // namespace
}  // namespace streamlearn::learners

namespace streamlearn::learners {
namespace {

TEST(StandardScalerTest, LearnTransformOneEqualsLearnThenTransformEvenWithRepeatedFeatures) {
  StandardScaler fused(StandardScaler::Params{});
  StandardScaler separate(StandardScaler::Params{});
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(3.0, 2.0);
  FeatureVector fused_out, separate_out;
  for (int i = 0; i < 500; ++i) {
    FeatureVector x;
    x.add_numeric(0, normal(rng));
    x.add_numeric(1, normal(rng));
    if (i % 7 == 0) x.add_numeric(0, normal(rng));  // the same feature twice
    fused.learn_transform_one(x, fused_out);
    separate.learn_one(x);
    separate.transform_one(x, separate_out);
    ASSERT_TRUE(fused_out == separate_out) << "event " << i;
  }
}

}  // namespace
}  // namespace streamlearn::learners
