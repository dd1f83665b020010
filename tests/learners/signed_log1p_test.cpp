#include "learners/preprocessing/signed_log1p.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/feature_space.h"
#include "learners/learner_registry.h"

namespace streamlearn::learners {
namespace {

TEST(SignedLog1pTest, UsageExample) {
  SignedLog1p log1p({});
  FeatureVector x, out;
  x.add_numeric(0, 0.0);
  x.add_numeric(1, 9.0);
  x.add_numeric(2, -9.0);
  log1p.transform_one(x, out);
  EXPECT_EQ(out.numeric()[0].value, 0.0);
  EXPECT_EQ(out.numeric()[1].value, std::log1p(9.0));
  EXPECT_EQ(out.numeric()[2].value, -std::log1p(9.0));
}

// The definition on a seeded stream spanning many magnitudes: log1p(x) for x >= 0, and
// -log1p(-x) for x < 0.
TEST(SignedLog1pTest, IsLog1pForNonNegativeValuesAndOdd) {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> exponent(-300.0, 300.0);
  for (int i = 0; i < 5000; ++i) {
    const double magnitude = std::pow(10.0, exponent(rng));
    const double x = i % 2 == 0 ? magnitude : -magnitude;
    const double expected = x >= 0 ? std::log1p(x) : -std::log1p(-x);
    ASSERT_EQ(SignedLog1p::apply(x), expected) << x;
  }
}

TEST(SignedLog1pTest, IsFiniteAtTheExtremes) {
  const double huge = std::numeric_limits<double>::max();
  EXPECT_NEAR(SignedLog1p::apply(huge), 709.78, 0.01);
  EXPECT_NEAR(SignedLog1p::apply(-huge), -709.78, 0.01);
  EXPECT_EQ(SignedLog1p::apply(-1.0), -std::log(2.0));  // log1p(-1) would be -inf
  EXPECT_EQ(SignedLog1p::apply(std::numeric_limits<double>::denorm_min()),
            std::numeric_limits<double>::denorm_min());
  EXPECT_TRUE(std::signbit(SignedLog1p::apply(-0.0)));
}

TEST(SignedLog1pTest, TransformsOnlyListedNumericFeatures) {
  core::FeatureSpace space;
  const core::FeatureId amount = space.feature("amount"), age = space.feature("age");
  const core::FeatureId color = space.feature("color");
  const core::SymbolId red = space.value("red");
  auto built = LearnerRegistry::builtin().build("log1p(cols=amount) | linear_regression", &space);
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(), "log1p(cols=[amount]) | linear_regression");
  SignedLog1p log1p({.cols = {"amount"}}, &space);
  FeatureVector x, out;
  x.add_numeric(age, 30.0);
  x.add_numeric(amount, 99.0);
  x.add_categorical(color, red, space.indicator(color, red));
  log1p.learn_transform_one(x, out);
  EXPECT_EQ(out.numeric()[0].value, 30.0);
  EXPECT_EQ(out.numeric()[1].value, std::log1p(99.0));
  ASSERT_EQ(out.categorical().size(), 1u);
  EXPECT_EQ(out.categorical()[0].value, red);
  core::StateWriter writer;
  log1p.save(writer);
  core::StateReader reader(writer.bytes());
  EXPECT_TRUE(log1p.clone()->load(reader).is_ok());
}

}  // namespace
}  // namespace streamlearn::learners
