#include "learners/preprocessing/min_max_scaler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
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

TEST(MinMaxScalerTest, UsageExample) {
  MinMaxScaler scaler({});
  for (double value : {10.0, 20.0, 12.0}) scaler.learn_one(features({{0, value}}));
  FeatureVector scaled;
  scaler.transform_one(features({{0, 15.0}}), scaled);
  ASSERT_EQ(scaled.numeric().size(), 1u);
  EXPECT_EQ(scaled.numeric()[0].value, 0.5);  // (15 - 10) / (20 - 10)
}

// After every event, the transform of a probe equals (x - min) / (max - min) with min and max of
// everything learned so far, on a seeded stream where features come and go.
TEST(MinMaxScalerTest, ScalesByTheMinAndMaxOfEverythingLearned) {
  std::mt19937_64 rng(17);
  std::normal_distribution<double> normal(0.0, 50.0);
  MinMaxScaler scaler({});
  std::vector<std::vector<double>> seen(3);
  FeatureVector scaled;
  for (int i = 0; i < 2000; ++i) {
    FeatureVector x;
    for (FeatureId id = 0; id < 3; ++id) {
      if ((i + static_cast<int>(id)) % 5 == 0) continue;
      const double value = normal(rng) + 100.0 * id;
      x.add_numeric(id, value);
      seen[id].push_back(value);
    }
    scaler.learn_one(x);
    const double probe = normal(rng);
    scaler.transform_one(features({{0, probe}, {1, probe}, {2, probe}}), scaled);
    for (FeatureId id = 0; id < 3; ++id) {
      const std::vector<double>& v = seen[id];
      double expected = 0.0;
      if (!v.empty()) {
        const auto [low, high] = std::minmax_element(v.begin(), v.end());
        if (*high != *low) expected = (probe - *low) / (*high - *low);
        EXPECT_EQ(scaler.min(id), *low);
        EXPECT_EQ(scaler.max(id), *high);
      }
      ASSERT_EQ(scaled.numeric()[id].value, expected) << "event " << i << " feature " << id;
    }
  }
}

TEST(MinMaxScalerTest, ConstantAndNeverLearnedFeaturesMapToZero) {
  MinMaxScaler scaler({});
  scaler.learn_one(features({{0, 4.0}}));
  scaler.learn_one(features({{0, 4.0}}));
  FeatureVector scaled;
  scaler.transform_one(features({{0, 9.0}, {7, 3.0}}), scaled);
  ASSERT_EQ(scaled.numeric().size(), 2u);
  EXPECT_EQ(scaled.numeric()[0].value, 0.0);  // max == min: River's safe_div
  EXPECT_EQ(scaled.numeric()[1].id, 7u);      // never learned: 0, where River would give NaN
  EXPECT_EQ(scaled.numeric()[1].value, 0.0);
  EXPECT_EQ(scaler.min(7), std::numeric_limits<double>::infinity());
}

TEST(MinMaxScalerTest, RangesBeyondTheDoubleRangeGiveFiniteValues) {
  MinMaxScaler scaler({});
  const double huge = std::numeric_limits<double>::max();
  scaler.learn_one(features({{0, -huge}, {1, 0.0}}));
  scaler.learn_one(features({{0, huge}, {1, 1e-300}}));
  FeatureVector scaled;
  scaler.transform_one(features({{0, 0.0}, {1, huge}, {1, -huge}}), scaled);
  EXPECT_EQ(scaled.numeric()[0].value, 0.5);   // max - min overflows; halved operands do not
  EXPECT_EQ(scaled.numeric()[1].value, huge);  // 1e308 / 1e-300: clamped
  EXPECT_EQ(scaled.numeric()[2].value, -huge);
}

TEST(MinMaxScalerTest, PassesCategoricalFeaturesThroughUnchanged) {
  core::FeatureSpace space;
  const FeatureId amount = space.feature("amount"), color = space.feature("color");
  const core::SymbolId red = space.value("red");
  FeatureVector x;
  x.add_numeric(amount, 3.0);
  x.add_categorical(color, red, space.indicator(color, red));
  MinMaxScaler scaler({});
  scaler.learn_one(x);
  FeatureVector scaled;
  scaler.transform_one(x, scaled);
  ASSERT_EQ(scaled.categorical().size(), 1u);
  EXPECT_EQ(scaled.categorical()[0].id, color);
  EXPECT_EQ(scaled.categorical()[0].value, red);
  EXPECT_EQ(scaled.categorical()[0].indicator, space.indicator(color, red));
}

TEST(MinMaxScalerTest, BuildsFromTheRegistryWithoutParameters) {
  auto built = LearnerRegistry::builtin().build("min_max_scaler | linear_regression");
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(), "min_max_scaler | linear_regression");
  auto wrong = LearnerRegistry::builtin().build("min_max_scaler(feature_range=1) | gaussian_nb");
  ASSERT_FALSE(wrong.is_ok());
  EXPECT_NE(wrong.status().message().find("unknown parameter 'feature_range' (allowed: none)"),
            std::string::npos);
}

TEST(MinMaxScalerTest, SaveThenLoadGivesBitIdenticalTransforms) {
  MinMaxScaler scaler({});
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
  EXPECT_FALSE(MinMaxScaler({}).load(truncated).is_ok());
}

}  // namespace
}  // namespace streamlearn::learners
