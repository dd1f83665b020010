#include "connectors/synthetic/hyperplane_generator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamlearn::connectors {
namespace {

bool positive(const SyntheticStream& stream, const stream::Event& event) {
  return stream.class_set().name(event.label.class_id) == "1";
}

// Which side of the hyperplane the event lies on, for the given weights.
bool above(const std::vector<double>& weights, const stream::Event& event) {
  double weighted = 0, total = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    weighted += weights[i] * event.features.numeric()[i].value;
    total += weights[i];
  }
  return weighted >= 0.5 * total;
}

TEST(HyperplaneGeneratorTest, HeaderExampleYieldsTenUniformFeatures) {
  core::FeatureSpace features;
  core::ClassSet classes;
  HyperplaneGenerator plane({.mag_change = 0.001}, /*seed=*/42, features, classes);
  stream::Event event;
  plane.next(event);
  ASSERT_EQ(plane.columns().size(), 10u);
  EXPECT_EQ(plane.columns()[0].name, "x0");
  EXPECT_EQ(plane.columns()[9].name, "x9");
  ASSERT_EQ(event.features.numeric().size(), 10u);
  for (const auto& feature : event.features.numeric()) {
    EXPECT_GE(feature.value, 0.0);
    EXPECT_LT(feature.value, 1.0);
  }
}

TEST(HyperplaneGeneratorTest, WithoutNoiseTheLabelIsTheSideOfTheWeightedHalfSum) {
  core::FeatureSpace features;
  core::ClassSet classes;
  HyperplaneGenerator plane({.n_features = 5, .noise_percentage = 0.0}, 1, features, classes);
  const std::vector<double> weights = plane.weights();
  stream::Event event;
  int positives = 0;
  for (int i = 0; i < 5000; ++i) {
    plane.next(event);
    ASSERT_EQ(positive(plane, event), above(weights, event)) << "event " << i;
    positives += positive(plane, event);
  }
  EXPECT_EQ(plane.weights(), weights);         // mag_change 0: no drift
  EXPECT_NEAR(positives / 5000.0, 0.5, 0.05);  // the threshold halves the cube symmetrically
}

TEST(HyperplaneGeneratorTest, NoisePercentageFlipsThatFractionOfLabels) {
  core::FeatureSpace features;
  core::ClassSet classes;
  HyperplaneGenerator plane({.noise_percentage = 0.1}, 2, features, classes);
  const std::vector<double> weights = plane.weights();
  stream::Event event;
  int flipped = 0;
  for (int i = 0; i < 20'000; ++i) {
    plane.next(event);
    flipped += positive(plane, event) != above(weights, event);
  }
  EXPECT_NEAR(flipped / 20'000.0, 0.1, 0.01);  // sd 0.002
}

TEST(HyperplaneGeneratorTest, MagChangeMovesOnlyTheDriftingWeights) {
  core::FeatureSpace features;
  core::ClassSet classes;
  HyperplaneGenerator plane(
      {.n_features = 6, .n_drift_features = 2, .mag_change = 0.01, .sigma = 0.0}, 3, features,
      classes);
  const std::vector<double> start = plane.weights();
  stream::Event event;
  for (int i = 0; i < 100; ++i) plane.next(event);
  // sigma 0: the directions never reverse, so each drifting weight moved +0.01 a hundred times.
  EXPECT_NEAR(plane.weights()[0], start[0] + 1.0, 1e-9);
  EXPECT_NEAR(plane.weights()[1], start[1] + 1.0, 1e-9);
  for (std::size_t i = 2; i < 6; ++i) EXPECT_EQ(plane.weights()[i], start[i]);
}

TEST(HyperplaneGeneratorTest, SigmaOneReversesTheDirectionAfterEveryEvent) {
  core::FeatureSpace features;
  core::ClassSet classes;
  HyperplaneGenerator plane({.n_drift_features = 3, .mag_change = 0.5, .sigma = 1.0}, 4, features,
                            classes);
  const std::vector<double> start = plane.weights();
  stream::Event event;
  plane.next(event);
  EXPECT_NEAR(plane.weights()[0], start[0] + 0.5, 1e-12);
  plane.next(event);
  EXPECT_NEAR(plane.weights()[0], start[0], 1e-12);
  EXPECT_NEAR(plane.weights()[2], start[2], 1e-12);
}

TEST(HyperplaneGeneratorTest, TheDriftRotatesTheConcept) {
  core::FeatureSpace features;
  core::ClassSet classes;
  HyperplaneGenerator plane({.mag_change = 0.01, .noise_percentage = 0.0, .sigma = 0.0}, 5,
                            features, classes);
  const std::vector<double> start = plane.weights();
  stream::Event event;
  for (int i = 0; i < 2000; ++i) plane.next(event);
  // Labelled by the current weights, the events disagree with the initial hyperplane.
  int disagree = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::vector<double> weights = plane.weights();
    plane.next(event);
    ASSERT_EQ(positive(plane, event), above(weights, event));
    disagree += positive(plane, event) != above(start, event);
  }
  EXPECT_GT(disagree, 100);
}

TEST(HyperplaneGeneratorTest, SameSeedGivesTheSameEvents) {
  core::FeatureSpace features;
  core::ClassSet classes;
  const HyperplaneGenerator::Params params{.mag_change = 0.001};
  HyperplaneGenerator a(params, 6, features, classes), b(params, 6, features, classes);
  HyperplaneGenerator other(params, 7, features, classes);
  EXPECT_EQ(a.weights(), b.weights());
  EXPECT_NE(a.weights(), other.weights());
  stream::Event event_a, event_b;
  for (int i = 0; i < 300; ++i) {
    a.next(event_a);
    b.next(event_b);
    ASSERT_EQ(event_a.features, event_b.features);
    ASSERT_EQ(event_a.label, event_b.label);
  }
  EXPECT_EQ(a.describe(), "hyperplane(mag_change=0.001)");
}

TEST(HyperplaneGeneratorTest, ReadParamsRejectsMoreDriftingFeaturesThanFeatures) {
  const core::ParamMap given = {
      {"n_features", "3"}, {"n_drift_features", "4"}, {"sigma", "2"}, {"noise_percentage", "-1"}};
  core::ParamReader reader("hyperplane", given);
  EXPECT_FALSE(HyperplaneGenerator::read_params(reader).has_value());
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("n_drift_features: must be 0..n_features (3), got 4"), std::string::npos)
      << message;
  EXPECT_NE(message.find("sigma: must be in [0, 1], got 2"), std::string::npos) << message;
  EXPECT_NE(message.find("noise_percentage: must be in [0, 1], got -1"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace streamlearn::connectors
