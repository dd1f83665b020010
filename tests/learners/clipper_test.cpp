#include "learners/preprocessing/clipper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

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

TEST(ClipperTest, UsageExample) {
  Clipper clip({.min = 0, .max = 100, .cols = {}});
  FeatureVector x, clipped;
  x.add_numeric(0, -5.0);
  x.add_numeric(1, 250.0);
  x.add_numeric(2, 42.0);
  clip.transform_one(x, clipped);
  ASSERT_EQ(clipped.numeric().size(), 3u);
  EXPECT_EQ(clipped.numeric()[0].value, 0.0);
  EXPECT_EQ(clipped.numeric()[1].value, 100.0);
  EXPECT_EQ(clipped.numeric()[2].value, 42.0);
}

// Against the definition on a seeded stream: listed features become min(max(x, lo), hi),
// everything else is unchanged, and learning changes nothing.
TEST(ClipperTest, ClipsListedFeaturesAndLeavesTheRestUnchanged) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), b = space.feature("b"), c = space.feature("c");
  const FeatureId color = space.feature("color");
  const core::SymbolId red = space.value("red");
  Clipper clip({.min = -1.5, .max = 2.0, .cols = {"a", "c"}}, &space);
  std::mt19937_64 rng(8);
  std::normal_distribution<double> normal(0.0, 3.0);
  FeatureVector clipped;
  for (int i = 0; i < 500; ++i) {
    FeatureVector x;
    x.add_numeric(a, normal(rng));
    x.add_numeric(b, normal(rng));
    if (i % 3 != 0) x.add_numeric(c, normal(rng));  // c is missing from every third event
    x.add_categorical(color, red, space.indicator(color, red));
    clip.learn_transform_one(x, clipped);
    ASSERT_EQ(clipped.numeric().size(), x.numeric().size());
    for (std::size_t k = 0; k < x.numeric().size(); ++k) {
      const core::NumericFeature& in = x.numeric()[k];
      const double expected = in.id == b ? in.value : std::min(std::max(in.value, -1.5), 2.0);
      ASSERT_EQ(clipped.numeric()[k].id, in.id);
      ASSERT_EQ(clipped.numeric()[k].value, expected);
    }
    ASSERT_EQ(clipped.categorical().size(), 1u);
  }
}

TEST(ClipperTest, DefaultsClipNothingAndTheExpressionDescribesItself) {
  core::FeatureSpace space;
  auto built = LearnerRegistry::builtin().build(
      "clip(max=2.5, cols=[a, 'unit price']) | gaussian_nb", &space);
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(), "clip(max=2.5, cols=[a, 'unit price']) | gaussian_nb");
  EXPECT_TRUE(space.find_feature("unit price").has_value());
  auto plain = LearnerRegistry::builtin().build("clip | gaussian_nb");
  ASSERT_TRUE(plain.is_ok()) << plain.status().message();
  EXPECT_EQ((*plain)->describe(), "clip | gaussian_nb");
  Clipper clip({});
  FeatureVector x, clipped;
  x.add_numeric(0, -1e308);
  clip.transform_one(x, clipped);
  EXPECT_EQ(clipped.numeric()[0].value, -1e308);
}

TEST(ClipperTest, RejectsMinAboveMaxAndColsWithoutAFeatureSpace) {
  core::FeatureSpace space;
  EXPECT_NE(build_error("clip(min=3, max=1) | gaussian_nb", &space)
                .find("min: must be at most max, got min=3 > max=1"),
            std::string::npos);
  EXPECT_NE(build_error("clip(cols=[a]) | gaussian_nb", nullptr)
                .find("'clip' selects features by name (cols): build the model with the "
                      "pipeline's FeatureSpace"),
            std::string::npos);
}

TEST(ClipperTest, SaveThenLoadRoundTripsItsEmptyState) {
  Clipper clip({.min = 0, .max = 1, .cols = {}});
  core::StateWriter writer;
  clip.save(writer);
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(clip.clone()->load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  core::StateReader empty("");
  EXPECT_FALSE(clip.load(empty).is_ok());
}

}  // namespace
}  // namespace streamlearn::learners
