#include "connectors/synthetic/sine_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

namespace streamlearn::connectors {
namespace {

int label_of(const SineGenerator& sine, const stream::Event& event) {
  return sine.class_set().name(event.label.class_id) == "1" ? 1 : 0;
}

TEST(SineGeneratorTest, HeaderExampleYieldsTwoFeaturesInTheUnitSquare) {
  core::FeatureSpace features;
  core::ClassSet classes;
  SineGenerator sine({.classification_function = 2}, /*seed=*/42, features, classes);
  stream::Event event;
  sine.next(event);
  ASSERT_EQ(sine.columns().size(), 2u);
  EXPECT_EQ(sine.columns()[0].name, "x0");
  EXPECT_EQ(sine.columns()[1].name, "x1");
  ASSERT_EQ(event.features.numeric().size(), 2u);
  for (const auto& feature : event.features.numeric()) {
    EXPECT_GE(feature.value, 0.0);
    EXPECT_LT(feature.value, 1.0);
  }
}

TEST(SineGeneratorTest, ClassifyIsSineOneSineTwoAndTheirReverses) {
  // SINE1: 1 below x0 = sin(x1); sin(0.5) = 0.479.
  EXPECT_EQ(SineGenerator::classify(0, 0.1, 0.5), 1);
  EXPECT_EQ(SineGenerator::classify(0, 0.9, 0.5), 0);
  // SINE2: 1 below x0 = 0.5 + 0.3 sin(3 pi x1); at x1 = 1/6 the curve is at 0.8, at 1/2 at 0.2.
  EXPECT_EQ(SineGenerator::classify(2, 0.7, 1.0 / 6), 1);
  EXPECT_EQ(SineGenerator::classify(2, 0.9, 1.0 / 6), 0);
  EXPECT_EQ(SineGenerator::classify(2, 0.3, 0.5), 0);
  // The reversed functions are the complements.
  for (double x0 = 0.05; x0 < 1; x0 += 0.1) {
    for (double x1 = 0.05; x1 < 1; x1 += 0.1) {
      EXPECT_EQ(SineGenerator::classify(1, x0, x1), 1 - SineGenerator::classify(0, x0, x1));
      EXPECT_EQ(SineGenerator::classify(3, x0, x1), 1 - SineGenerator::classify(2, x0, x1));
    }
  }
}

TEST(SineGeneratorTest, LabelsFollowTheFunctionWithTheExpectedClassShares) {
  // Area under x0 = sin(x1) on the unit square: 1 - cos(1); under SINE2: 0.5 + 0.1 (1 - cos 3pi)
  // / pi = 0.5 + 0.2 / pi.
  const double share_of_ones[4] = {1 - std::cos(1.0), std::cos(1.0), 0.5 + 0.2 / std::numbers::pi,
                                   0.5 - 0.2 / std::numbers::pi};
  for (std::int64_t function = 0; function < 4; ++function) {
    core::FeatureSpace features;
    core::ClassSet classes;
    SineGenerator sine({.classification_function = function}, 20 + function, features, classes);
    stream::Event event;
    int ones = 0;
    const int n = 20'000;
    for (int i = 0; i < n; ++i) {
      sine.next(event);
      const auto& x = event.features.numeric();
      ASSERT_EQ(label_of(sine, event), SineGenerator::classify(function, x[0].value, x[1].value));
      ones += label_of(sine, event);
    }
    EXPECT_NEAR(static_cast<double>(ones) / n, share_of_ones[function], 0.015)
        << "function " << function;  // sd 0.0035
  }
}

TEST(SineGeneratorTest, HasNoiseAddsTwoIrrelevantFeatures) {
  core::FeatureSpace features;
  core::ClassSet classes;
  SineGenerator sine({.has_noise = true}, 5, features, classes);
  ASSERT_EQ(sine.columns().size(), 4u);
  EXPECT_EQ(sine.columns()[3].name, "x3");
  stream::Event event;
  for (int i = 0; i < 1000; ++i) {
    sine.next(event);
    const auto& x = event.features.numeric();
    ASSERT_EQ(x.size(), 4u);
    ASSERT_EQ(label_of(sine, event), SineGenerator::classify(0, x[0].value, x[1].value));
    ASSERT_TRUE(x[3].value >= 0 && x[3].value < 1);
  }
  EXPECT_EQ(sine.describe(), "sine(has_noise=true)");
}

TEST(SineGeneratorTest, BalanceClassesAlternatesTheLabelsStartingWithOne) {
  core::FeatureSpace features;
  core::ClassSet classes;
  SineGenerator sine({.classification_function = 0, .balance_classes = true}, 6, features, classes);
  stream::Event event;
  for (int i = 0; i < 500; ++i) {
    sine.next(event);
    ASSERT_EQ(label_of(sine, event), i % 2 == 0 ? 1 : 0) << "event " << i;
  }
}

TEST(SineGeneratorTest, SameSeedGivesTheSameEvents) {
  core::FeatureSpace features;
  core::ClassSet classes;
  SineGenerator a({.has_noise = true}, 7, features, classes),
      b({.has_noise = true}, 7, features, classes);
  SineGenerator other({.has_noise = true}, 8, features, classes);
  stream::Event event_a, event_b, event_other;
  int equal_to_other_seed = 0;
  for (int i = 0; i < 300; ++i) {
    a.next(event_a);
    b.next(event_b);
    other.next(event_other);
    ASSERT_EQ(event_a.features, event_b.features);
    ASSERT_EQ(event_a.label, event_b.label);
    equal_to_other_seed += event_a.features == event_other.features;
  }
  EXPECT_EQ(equal_to_other_seed, 0);
}

TEST(SineGeneratorTest, ReadParamsRejectsAFunctionOutsideZeroToThree) {
  const core::ParamMap given = {{"classification_function", "-1"}, {"has_noise", "maybe"}};
  core::ParamReader reader("sine", given);
  EXPECT_FALSE(SineGenerator::read_params(reader).has_value());
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("classification_function: must be 0 (SINE1)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("has_noise='maybe' is not a boolean"), std::string::npos) << message;
}

}  // namespace
}  // namespace streamlearn::connectors
