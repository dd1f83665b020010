#include "connectors/synthetic/stagger_generator.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>

namespace streamlearn::connectors {
namespace {

// The value indices (0..2) of size, color and shape, from the text of the categorical values.
std::array<int, 3> object_of(const StaggerGenerator& stagger, const stream::Event& event) {
  const std::string_view* names[3] = {StaggerGenerator::kSizes, StaggerGenerator::kColors,
                                      StaggerGenerator::kShapes};
  std::array<int, 3> object{-1, -1, -1};
  const auto& categorical = event.features.categorical();
  EXPECT_EQ(categorical.size(), 3u);
  for (std::size_t f = 0; f < 3 && f < categorical.size(); ++f) {
    EXPECT_EQ(categorical[f].id, stagger.columns()[f].id);
    const std::string& text = stagger.feature_space().value_text(categorical[f].value);
    for (int v = 0; v < 3; ++v)
      if (names[f][v] == text) object[f] = v;
    EXPECT_GE(object[f], 0) << "unexpected value " << text;
  }
  return object;
}

int label_of(const StaggerGenerator& stagger, const stream::Event& event) {
  return stagger.class_set().name(event.label.class_id) == "1" ? 1 : 0;
}

TEST(StaggerGeneratorTest, HeaderExampleYieldsThreeCategoricalFeatures) {
  core::FeatureSpace features;
  core::ClassSet classes;
  StaggerGenerator stagger({.classification_function = 1}, /*seed=*/42, features, classes);
  stream::Event event;
  stagger.next(event);
  ASSERT_EQ(stagger.columns().size(), 3u);
  EXPECT_EQ(stagger.columns()[0].name, "size");
  EXPECT_EQ(stagger.columns()[1].name, "color");
  EXPECT_EQ(stagger.columns()[2].name, "shape");
  for (const auto& column : stagger.columns()) EXPECT_TRUE(column.categorical) << column.name;
  EXPECT_TRUE(event.features.numeric().empty());
  ASSERT_EQ(event.features.categorical().size(), 3u);
  // Numeric models see the one-hot indicator "feature=value".
  const auto& size = event.features.categorical()[0];
  EXPECT_EQ(features.feature_name(size.indicator), "size=" + features.value_text(size.value));
}

TEST(StaggerGeneratorTest, ClassifyIsTheThreeStaggerConcepts) {
  // 0: small and red.
  EXPECT_EQ(StaggerGenerator::classify(0, 0, 0, 2), 1);
  EXPECT_EQ(StaggerGenerator::classify(0, 0, 1, 0), 0);
  EXPECT_EQ(StaggerGenerator::classify(0, 1, 0, 0), 0);
  // 1: green or circle.
  EXPECT_EQ(StaggerGenerator::classify(1, 2, 2, 1), 1);
  EXPECT_EQ(StaggerGenerator::classify(1, 2, 1, 0), 1);
  EXPECT_EQ(StaggerGenerator::classify(1, 0, 0, 2), 0);
  // 2: medium or large.
  EXPECT_EQ(StaggerGenerator::classify(2, 1, 0, 0), 1);
  EXPECT_EQ(StaggerGenerator::classify(2, 2, 2, 2), 1);
  EXPECT_EQ(StaggerGenerator::classify(2, 0, 2, 0), 0);
}

TEST(StaggerGeneratorTest, LabelsFollowTheConceptAndEveryObjectIsDrawnUniformly) {
  for (std::int64_t function = 0; function < 3; ++function) {
    core::FeatureSpace features;
    core::ClassSet classes;
    StaggerGenerator stagger({.classification_function = function}, 10 + function, features,
                             classes);
    stream::Event event;
    std::map<std::array<int, 3>, int> counts;
    const int n = 27'000;
    for (int i = 0; i < n; ++i) {
      stagger.next(event);
      const auto object = object_of(stagger, event);
      ASSERT_EQ(label_of(stagger, event),
                StaggerGenerator::classify(function, object[0], object[1], object[2]));
      ++counts[object];
    }
    ASSERT_EQ(counts.size(), 27u);
    for (const auto& [object, count] : counts) EXPECT_NEAR(count, n / 27, 150);  // sd 31
  }
}

TEST(StaggerGeneratorTest, BalanceClassesAlternatesTheLabelsStartingWithOne) {
  core::FeatureSpace features;
  core::ClassSet classes;
  // Concept 0 holds for one object in nine.
  StaggerGenerator stagger({.classification_function = 0, .balance_classes = true}, 3, features,
                           classes);
  stream::Event event;
  for (int i = 0; i < 500; ++i) {
    stagger.next(event);
    ASSERT_EQ(label_of(stagger, event), i % 2 == 0 ? 1 : 0) << "event " << i;
    const auto object = object_of(stagger, event);
    ASSERT_EQ(label_of(stagger, event), StaggerGenerator::classify(0, object[0], object[1], 0));
  }
}

TEST(StaggerGeneratorTest, SameSeedGivesTheSameEvents) {
  core::FeatureSpace features;
  core::ClassSet classes;
  StaggerGenerator a({.classification_function = 2}, 4, features, classes);
  auto b = a.clone();
  StaggerGenerator other({.classification_function = 2}, 5, features, classes);
  stream::Event event_a, event_b, event_other;
  int same_as_other_seed = 0;
  for (int i = 0; i < 300; ++i) {
    a.next(event_a);
    b->next(event_b);
    other.next(event_other);
    ASSERT_EQ(event_a.features, event_b.features);
    ASSERT_EQ(event_a.label, event_b.label);
    same_as_other_seed += event_a.features == event_other.features;
  }
  EXPECT_LT(same_as_other_seed, 50);  // 1 in 27 by chance
  EXPECT_EQ(a.describe(), "stagger(classification_function=2)");
}

TEST(StaggerGeneratorTest, ReadParamsRejectsAFunctionOutsideZeroToTwo) {
  const core::ParamMap given = {{"classification_function", "3"}};
  core::ParamReader reader("stagger", given);
  EXPECT_FALSE(StaggerGenerator::read_params(reader).has_value());
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("must be 0 (small and red), 1 (green or circle) or 2"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace streamlearn::connectors
