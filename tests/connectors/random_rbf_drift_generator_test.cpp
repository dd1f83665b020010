#include "connectors/synthetic/random_rbf_drift_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "connectors/synthetic/random_rbf_generator.h"

namespace streamlearn::connectors {
namespace {

std::vector<std::vector<double>> centres(const RandomRbfGenerator& rbf) {
  std::vector<std::vector<double>> out;
  for (const auto& centroid : rbf.centroids()) out.push_back(centroid.centre);
  return out;
}

TEST(RandomRbfDriftGeneratorTest, HeaderExampleMovesTenCentroids) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfDriftGenerator rbf({.change_speed = 0.001, .n_drift_centroids = 10}, /*seed=*/42,
                              features, classes);
  const auto before = centres(rbf);
  stream::Event event;
  rbf.next(event);
  EXPECT_EQ(event.features.numeric().size(), 10u);
  const auto after = centres(rbf);
  for (std::size_t c = 0; c < before.size(); ++c)
    EXPECT_EQ(before[c] != after[c], c < 10) << "centroid " << c;
}

TEST(RandomRbfDriftGeneratorTest, WithoutSpeedItIsTheRandomRbfStreamOfTheSameSeed) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfDriftGenerator drifting({.n_classes = 3, .n_features = 5}, 9, features, classes);
  RandomRbfGenerator still({.n_classes = 3, .n_features = 5}, 9, features, classes);
  stream::Event a, b;
  for (int i = 0; i < 500; ++i) {
    drifting.next(a);
    still.next(b);
    ASSERT_EQ(a.features, b.features);
    ASSERT_EQ(a.label, b.label);
  }
}

TEST(RandomRbfDriftGeneratorTest, EachEventMovesADriftingCentroidByTheChangeSpeed) {
  core::FeatureSpace features;
  core::ClassSet classes;
  const double speed = 1e-4;
  RandomRbfDriftGenerator rbf(
      {.n_features = 4, .n_centroids = 8, .change_speed = speed, .n_drift_centroids = 8}, 1,
      features, classes);
  const auto before = centres(rbf);
  stream::Event event;
  rbf.next(event);
  const auto after = centres(rbf);
  int checked = 0;
  for (std::size_t c = 0; c < before.size(); ++c) {
    bool near_an_edge = false;
    double squared = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      near_an_edge |= before[c][j] < speed || before[c][j] > 1 - speed;
      squared += (after[c][j] - before[c][j]) * (after[c][j] - before[c][j]);
    }
    if (near_an_edge) continue;  // a bounce shortens the step
    EXPECT_NEAR(std::sqrt(squared), speed, 1e-12) << "centroid " << c;
    ++checked;
  }
  EXPECT_GT(checked, 4);
}

TEST(RandomRbfDriftGeneratorTest, MovingCentroidsBounceInsideTheUnitCube) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfDriftGenerator rbf(
      {.n_features = 3, .n_centroids = 10, .change_speed = 0.05, .n_drift_centroids = 4}, 2,
      features, classes);
  const auto before = centres(rbf);
  stream::Event event;
  bool touched_an_edge = false;
  for (int i = 0; i < 2000; ++i) {
    rbf.next(event);
    for (const auto& centroid : rbf.centroids()) {
      for (double value : centroid.centre) {
        ASSERT_GE(value, 0.0);
        ASSERT_LE(value, 1.0);
        touched_an_edge |= value == 0.0 || value == 1.0;
      }
    }
  }
  EXPECT_TRUE(touched_an_edge);
  const auto after = centres(rbf);
  for (std::size_t c = 4; c < 10; ++c) EXPECT_EQ(after[c], before[c]) << "centroid " << c;
}

TEST(RandomRbfDriftGeneratorTest, DescribeAndCloneKeepTheDriftParameters) {
  core::FeatureSpace features;
  core::ClassSet classes;
  RandomRbfDriftGenerator rbf({.change_speed = 0.01, .n_drift_centroids = 5}, 3, features, classes);
  EXPECT_EQ(rbf.describe(), "random_rbf_drift(change_speed=0.01, n_drift_centroids=5)");
  auto clone = rbf.clone();
  EXPECT_EQ(clone->describe(), rbf.describe());
  stream::Event a, b;
  for (int i = 0; i < 300; ++i) {
    rbf.next(a);
    clone->next(b);
    ASSERT_EQ(a.features, b.features);
    ASSERT_EQ(a.label, b.label);
  }
}

TEST(RandomRbfDriftGeneratorTest, ReadParamsRejectsMoreDriftingCentroidsThanCentroids) {
  const core::ParamMap given = {
      {"n_centroids", "10"}, {"n_drift_centroids", "11"}, {"change_speed", "-1"}};
  core::ParamReader reader("random_rbf_drift", given);
  EXPECT_FALSE(RandomRbfDriftGenerator::read_params(reader).has_value());
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("n_drift_centroids: must be 0..n_centroids (10), got 11"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("change_speed: must be >= 0, got -1"), std::string::npos) << message;
}

}  // namespace
}  // namespace streamlearn::connectors
