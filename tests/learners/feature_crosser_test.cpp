#include "learners/preprocessing/feature_crosser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>

#include "core/feature_space.h"
#include "learners/learner_registry.h"

namespace streamlearn::learners {
namespace {

using core::FeatureId;

std::string build_error(std::string_view expression, core::FeatureSpace* space) {
  auto model = LearnerRegistry::builtin().build(expression, space);
  EXPECT_FALSE(model.is_ok()) << expression;
  return model.is_ok() ? "" : model.status().message();
}

TEST(FeatureCrosserTest, UsageExample) {
  core::FeatureSpace features;
  const FeatureId country = features.feature("country"), amount = features.feature("amount");
  const core::SymbolId fr = features.value("FR");
  FeatureCrosser cross({.cols = {"country", "amount"}}, &features);
  FeatureVector x, out;
  x.add_categorical(country, fr, features.indicator(country, fr));
  x.add_numeric(amount, 3.5);
  cross.transform_one(x, out);
  ASSERT_EQ(out.numeric().size(), 2u);  // amount, kept, and the cross
  EXPECT_EQ(out.numeric()[0].id, amount);
  EXPECT_EQ(features.feature_name(out.numeric()[1].id), "country=FR*amount");
  EXPECT_EQ(out.numeric()[1].value, 3.5);
  EXPECT_EQ(out.categorical().size(), 1u);
}

// Brute force: the cross's name is the factors' names joined with '*' in the order of cols, its
// value the product in that order, whatever order the event lists its features in; an event
// missing any listed feature gets no cross.
TEST(FeatureCrosserTest, NamesAndValuesFollowColsOrderAsABruteForceProductSays) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), b = space.feature("b"), other = space.feature("other");
  const FeatureId device = space.feature("device");
  const core::SymbolId devices[2] = {space.value("ios"), space.value("web")};
  FeatureCrosser cross({.cols = {"b", "device", "a"}}, &space);
  std::mt19937_64 rng(61);
  std::normal_distribution<double> normal(0.0, 3.0);
  FeatureVector out;
  for (int i = 0; i < 1000; ++i) {
    const double va = normal(rng), vb = normal(rng);
    const core::SymbolId d = devices[rng() % 2];
    const bool complete = i % 5 != 0;
    FeatureVector x;
    x.add_numeric(other, 1.0);
    if (complete || i % 2 == 0) x.add_numeric(a, va);
    x.add_numeric(b, vb);
    if (complete || i % 2 == 1) x.add_categorical(device, d, space.indicator(device, d));
    if (i % 3 == 0) std::reverse(x.mutable_numeric().begin(), x.mutable_numeric().end());
    cross.learn_transform_one(x, out);
    ASSERT_EQ(out.categorical().size(), x.categorical().size());
    if (!complete) {
      ASSERT_TRUE(out == x) << "event " << i;
      continue;
    }
    ASSERT_EQ(out.numeric().size(), x.numeric().size() + 1);
    const core::NumericFeature& crossed = out.numeric().back();
    ASSERT_EQ(space.feature_name(crossed.id), "b*device=" + space.value_text(d) + "*a");
    ASSERT_EQ(crossed.value, vb * 1.0 * va);
  }
}

TEST(FeatureCrosserTest, TwoCategoricalsCrossToAnIndicatorAndOverflowIsClamped) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), b = space.feature("b"), c = space.feature("c");
  const core::SymbolId x_value = space.value("x"), y_value = space.value("y");
  FeatureCrosser categorical({.cols = {"a", "b"}}, &space);
  FeatureVector x, out;
  x.add_categorical(a, x_value, space.indicator(a, x_value));
  x.add_categorical(b, y_value, space.indicator(b, y_value));
  categorical.transform_one(x, out);
  ASSERT_EQ(out.numeric().size(), 1u);
  EXPECT_EQ(space.feature_name(out.numeric()[0].id), "a=x*b=y");
  EXPECT_EQ(out.numeric()[0].value, 1.0);
  // 1e200 * 1e200 overflows; with a zero factor the exact product is 0, not Inf * 0 = NaN.
  FeatureCrosser numeric({.cols = {"a", "b", "c"}}, &space);
  const auto product = [&](double va, double vb, double vc) {
    FeatureVector numbers;
    numbers.add_numeric(a, va);
    numbers.add_numeric(b, vb);
    numbers.add_numeric(c, vc);
    numeric.transform_one(numbers, out);
    return out.numeric().back().value;
  };
  EXPECT_EQ(product(1e200, -1e200, 2.0), std::numeric_limits<double>::lowest());
  EXPECT_EQ(product(1e200, 1e200, 0.0), 0.0);
  EXPECT_EQ(product(2.0, 3.0, 4.0), 24.0);
}

TEST(FeatureCrosserTest, SteadyStateInternsNothingAndALoadedCrosserAgrees) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), color = space.feature("color");
  const core::SymbolId colors[2] = {space.value("red"), space.value("blue")};
  FeatureCrosser cross({.cols = {"color", "a"}}, &space);
  const auto event = [&](int i) {
    FeatureVector x;
    x.add_numeric(a, i * 0.25);
    x.add_categorical(color, colors[i % 2], space.indicator(color, colors[i % 2]));
    return x;
  };
  FeatureVector out, other;
  for (int i = 0; i < 4; ++i) cross.transform_one(event(i), out);
  const std::size_t interned = space.num_features();
  core::StateWriter writer;
  cross.save(writer);
  auto loaded = cross.clone();
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(loaded->load(reader).is_ok());
  for (int i = 0; i < 10; ++i) {
    cross.transform_one(event(i), out);
    loaded->transform_one(event(i), other);
    ASSERT_TRUE(out == other);
  }
  EXPECT_EQ(space.num_features(), interned);
}

TEST(FeatureCrosserTest, NeedsTwoOrMoreColsAndTheFeatureSpace) {
  core::FeatureSpace space;
  EXPECT_NE(build_error("cross | gaussian_nb", &space).find("cols: required: two or more"),
            std::string::npos);
  EXPECT_NE(
      build_error("cross(cols=[a]) | gaussian_nb", &space).find("cols: required: two or more"),
      std::string::npos);
  EXPECT_NE(build_error("cross(cols=[a, b]) | gaussian_nb", nullptr)
                .find("'cross' creates features: build the model with the pipeline's FeatureSpace"),
            std::string::npos);
  auto built =
      LearnerRegistry::builtin().build("cross(cols=[country, 'unit price']) | gaussian_nb", &space);
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(), "cross(cols=[country, 'unit price']) | gaussian_nb");
}

}  // namespace
}  // namespace streamlearn::learners
