#include "learners/preprocessing/one_hot_encoder.h"

#include <gtest/gtest.h>

#include <charconv>
#include <random>
#include <string>

#include "core/feature_space.h"
#include "learners/learner_registry.h"

namespace streamlearn::learners {
namespace {

using core::FeatureId;

TEST(OneHotEncoderTest, UsageExample) {
  core::FeatureSpace features;
  const FeatureId zip = features.feature("zip"), amount = features.feature("amount");
  OneHotEncoder one_hot({.cols = {"zip"}}, &features);
  FeatureVector x, out;
  x.add_numeric(zip, 94110.0);
  x.add_numeric(amount, 12.5);
  one_hot.transform_one(x, out);
  ASSERT_EQ(out.numeric().size(), 1u);  // amount is not listed
  EXPECT_EQ(out.numeric()[0].id, amount);
  ASSERT_EQ(out.categorical().size(), 1u);
  EXPECT_EQ(out.categorical()[0].id, zip);
  EXPECT_EQ(features.value_text(out.categorical()[0].value), "94110");
  EXPECT_EQ(features.feature_name(out.categorical()[0].indicator), "zip=94110");
}

// Oracle: the category text parses back to the very number (shortest round trip), the indicator
// is the FeatureSpace's own "name=text" indicator, and equal numbers give equal ids.
TEST(OneHotEncoderTest, CategoriesAreTheShortestRoundTripTextOfTheNumber) {
  core::FeatureSpace space;
  const FeatureId code = space.feature("code"), color = space.feature("color");
  const core::SymbolId red = space.value("red");
  OneHotEncoder one_hot({}, &space);  // every numeric feature
  std::mt19937_64 rng(41);
  std::uniform_int_distribution<int> small(-50, 50);
  std::normal_distribution<double> normal(0.0, 1e3);
  FeatureVector out;
  for (int i = 0; i < 2000; ++i) {
    const double value = i % 3 == 0 ? normal(rng) : small(rng) / (i % 2 == 0 ? 1.0 : 4.0);
    FeatureVector x;
    x.add_numeric(code, value);
    x.add_categorical(color, red, space.indicator(color, red));
    one_hot.learn_transform_one(x, out);
    ASSERT_TRUE(out.numeric().empty());
    ASSERT_EQ(out.categorical().size(), 2u);
    EXPECT_EQ(out.categorical()[0].indicator, space.indicator(color, red));  // passed through
    const core::CategoricalFeature& category = out.categorical()[1];
    const std::string& text = space.value_text(category.value);
    double parsed = 0;
    ASSERT_EQ(std::from_chars(text.data(), text.data() + text.size(), parsed).ec, std::errc());
    ASSERT_EQ(parsed, value) << text;
    ASSERT_EQ(category.indicator, space.indicator(code, category.value));
  }
  FeatureVector x, negative_zero;
  x.add_numeric(code, -0.0);
  one_hot.transform_one(x, negative_zero);
  EXPECT_EQ(space.feature_name(negative_zero.categorical()[0].indicator), "code=0");
  x.clear();
  x.add_numeric(code, 3.0);
  one_hot.transform_one(x, out);
  EXPECT_EQ(space.feature_name(out.categorical()[0].indicator), "code=3");
}

TEST(OneHotEncoderTest, SteadyStateInternsNothingAndALoadedEncoderAgrees) {
  core::FeatureSpace space;
  const FeatureId zip = space.feature("zip");
  OneHotEncoder one_hot({.cols = {"zip"}}, &space);
  FeatureVector out;
  const auto event = [&](double value) {
    FeatureVector x;
    x.add_numeric(zip, value);
    return x;
  };
  for (double value : {94110.0, 10001.0, 94110.0, 75001.0})
    one_hot.transform_one(event(value), out);
  const std::size_t interned = space.num_features();
  core::StateWriter writer;
  one_hot.save(writer);
  auto restored = one_hot.clone();
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored->load(reader).is_ok());
  FeatureVector restored_out;
  for (double value : {75001.0, 94110.0, 10001.0}) {
    one_hot.transform_one(event(value), out);
    restored->transform_one(event(value), restored_out);
    ASSERT_TRUE(out == restored_out);
    ASSERT_EQ(out.categorical()[0].indicator, restored_out.categorical()[0].indicator);
  }
  EXPECT_EQ(space.num_features(), interned);
}

TEST(OneHotEncoderTest, NeedsTheFeatureSpaceAndDescribesItself) {
  auto without = LearnerRegistry::builtin().build("one_hot | logistic_regression");
  ASSERT_FALSE(without.is_ok());
  EXPECT_NE(without.status().message().find(
                "'one_hot' creates features: build the model with the pipeline's FeatureSpace"),
            std::string::npos)
      << without.status().message();
  core::FeatureSpace space;
  auto built = LearnerRegistry::builtin().build("one_hot(cols=[zip, store]) | gaussian_nb", &space);
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(), "one_hot(cols=[zip, store]) | gaussian_nb");
}

}  // namespace
}  // namespace streamlearn::learners
