#include "connectors/synthetic/random_rbf_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace streamlearn::connectors {
namespace {

TEST(RandomRbfGeneratorTest, HeaderExampleYieldsFourFeaturesAndThreeClasses) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfGenerator rbf({.n_classes = 3, .n_features = 4}, /*seed=*/42, features, classes);
  stream::Event event;
  rbf.next(event);
  ASSERT_EQ(rbf.columns().size(), 4u);
  EXPECT_EQ(rbf.columns()[3].name, "x3");
  EXPECT_EQ(event.features.numeric().size(), 4u);
  EXPECT_EQ(classes.size(), 3u);
  EXPECT_EQ(classes.name(2), "2");
  EXPECT_EQ(rbf.centroids().size(), 50u);
}

TEST(RandomRbfGeneratorTest, CentroidsAreDrawnInTheUnitCube) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfGenerator rbf({.n_classes = 4, .n_centroids = 200}, 1, features, classes);
  std::vector<int> per_class(4);
  for (const auto& centroid : rbf.centroids()) {
    ASSERT_EQ(centroid.centre.size(), 10u);
    for (double value : centroid.centre) ASSERT_TRUE(value >= 0 && value < 1);
    ASSERT_TRUE(centroid.std_dev >= 0 && centroid.std_dev < 1);
    ASSERT_TRUE(centroid.weight >= 0 && centroid.weight < 1);
    ASSERT_TRUE(centroid.class_index >= 0 && centroid.class_index < 4);
    ++per_class[static_cast<std::size_t>(centroid.class_index)];
  }
  for (int count : per_class) EXPECT_GT(count, 25);  // 50 expected
}

TEST(RandomRbfGeneratorTest, EventsLieAtAGaussianDistanceFromTheirCentroid) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfGenerator rbf({.n_features = 3, .n_centroids = 1}, 2, features, classes);
  const auto& centroid = rbf.centroids()[0];
  const std::string label = std::to_string(centroid.class_index);
  stream::Event event;
  double sum_of_squared_distances = 0;
  double mean[3] = {};
  const int n = 20'000;
  for (int i = 0; i < n; ++i) {
    rbf.next(event);
    ASSERT_EQ(classes.name(event.label.class_id), label);
    double squared = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      const double offset = event.features.numeric()[j].value - centroid.centre[j];
      squared += offset * offset;
      mean[j] += event.features.numeric()[j].value / n;
    }
    sum_of_squared_distances += squared;
  }
  // The distance is |N(0, 1)| * std_dev in a uniform direction: E[d^2] = std_dev^2, mean = centre.
  EXPECT_NEAR(sum_of_squared_distances / n, centroid.std_dev * centroid.std_dev,
              0.05 * centroid.std_dev * centroid.std_dev);
  for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(mean[j], centroid.centre[j], 0.02);
}

TEST(RandomRbfGeneratorTest, ClassesAppearInProportionToTheirCentroidsWeights) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfGenerator rbf({.n_classes = 3, .n_centroids = 20}, 3, features, classes);
  std::vector<double> expected(3);
  double total = 0;
  for (const auto& centroid : rbf.centroids()) {
    expected[static_cast<std::size_t>(centroid.class_index)] += centroid.weight;
    total += centroid.weight;
  }
  std::vector<int> counts(3);
  stream::Event event;
  const int n = 30'000;
  for (int i = 0; i < n; ++i) {
    rbf.next(event);
    ++counts[std::stoul(classes.name(event.label.class_id))];
  }
  for (std::size_t c = 0; c < 3; ++c)
    EXPECT_NEAR(static_cast<double>(counts[c]) / n, expected[c] / total, 0.015) << "class " << c;
}

TEST(RandomRbfGeneratorTest, SameSeedGivesTheSameCentroidsAndEvents) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfGenerator a({}, 4, features, classes), other({}, 5, features, classes);
  auto b = a.clone();
  stream::Event event_a, event_b, event_other;
  int equal_to_other_seed = 0;
  for (int i = 0; i < 300; ++i) {
    a.next(event_a);
    b->next(event_b);
    other.next(event_other);
    ASSERT_EQ(event_a.features, event_b.features);
    ASSERT_EQ(event_a.label, event_b.label);
    equal_to_other_seed += event_a.features == event_other.features;
  }
  EXPECT_EQ(equal_to_other_seed, 0);
  EXPECT_EQ(a.describe(), "random_rbf");
  EXPECT_EQ(b->describe(), "random_rbf");
}

TEST(RandomRbfGeneratorTest, ReadParamsRejectsSizesOutOfRange) {
  const core::ParamMap given = {
      {"n_classes", "0"}, {"n_features", "1000"}, {"n_centroids", "50000"}};
  core::ParamReader reader("random_rbf", given);
  EXPECT_FALSE(RandomRbfGenerator::read_params(reader).has_value());
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("n_classes: must be 1..10000, got 0"), std::string::npos) << message;
  EXPECT_NE(message.find("n_centroids * n_features must be at most 10000000"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace streamlearn::connectors
