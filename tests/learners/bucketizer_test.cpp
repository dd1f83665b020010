#include "learners/preprocessing/bucketizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

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

TEST(BucketizerTest, UsageExample) {
  core::FeatureSpace features;
  const FeatureId amount = features.feature("amount");
  Bucketizer bucketize({.cols = {"amount"}, .edges = {0, 10, 100}}, &features);
  FeatureVector x, out;
  x.add_numeric(amount, 42.0);
  bucketize.transform_one(x, out);
  EXPECT_TRUE(out.numeric().empty());
  ASSERT_EQ(out.categorical().size(), 1u);
  EXPECT_EQ(out.categorical()[0].id, amount);
  EXPECT_EQ(features.value_text(out.categorical()[0].value), "[10,100)");
  EXPECT_EQ(features.feature_name(out.categorical()[0].indicator), "amount=[10,100)");
}

// Brute force: the bucket is the number of edges <= x, found by a linear scan, and its name
// follows the documented pattern; values on the edges themselves are included.
TEST(BucketizerTest, PutsEachValueInTheBucketALinearScanFinds) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), b = space.feature("b");
  const std::vector<double> edges = {-2.5, 0, 0.1, 7, 1e6};
  Bucketizer bucketize({.cols = {"a", "b"}, .edges = edges}, &space);
  const std::vector<std::string> names = {"(-inf,-2.5)", "[-2.5,0)",  "[0,0.1)",
                                          "[0.1,7)",     "[7,1e+06)", "[1e+06,inf)"};
  std::mt19937_64 rng(31);
  std::normal_distribution<double> normal(0.0, 5.0);
  FeatureVector out;
  for (int i = 0; i < 3000; ++i) {
    double value = i % 10 == 0 ? edges[rng() % edges.size()] : normal(rng);
    if (i % 97 == 0) value = 5e6;
    FeatureVector x;
    x.add_numeric(i % 2 == 0 ? a : b, value);
    bucketize.learn_transform_one(x, out);
    std::size_t bucket = 0;
    while (bucket < edges.size() && edges[bucket] <= value) ++bucket;
    ASSERT_EQ(out.categorical().size(), 1u);
    ASSERT_EQ(space.value_text(out.categorical()[0].value), names[bucket]) << value;
    ASSERT_EQ(space.feature_name(out.categorical()[0].indicator),
              space.feature_name(x.numeric()[0].id) + "=" + names[bucket]);
  }
}

TEST(BucketizerTest, OneEdgeMakesTwoBucketsAndEverythingIsInternedAtConstruction) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), other = space.feature("other");
  const FeatureId color = space.feature("color");
  const core::SymbolId red = space.value("red");
  const FeatureId color_red = space.indicator(color, red);
  Bucketizer bucketize({.cols = {"a", "missing"}, .edges = {0}}, &space);
  EXPECT_EQ(bucketize.bucket_name(0), "(-inf,0)");
  EXPECT_EQ(bucketize.bucket_name(1), "[0,inf)");
  const std::size_t interned = space.num_features();
  FeatureVector x, out;
  x.add_numeric(other, -3.0);
  x.add_numeric(a, -0.0);
  x.add_categorical(color, red, color_red);
  bucketize.transform_one(x, out);
  EXPECT_EQ(space.num_features(), interned);  // nothing new: no allocation per event
  ASSERT_EQ(out.numeric().size(), 1u);        // unlisted: unchanged
  EXPECT_EQ(out.numeric()[0].value, -3.0);
  ASSERT_EQ(out.categorical().size(), 2u);  // the passed-through color, then a's bucket
  EXPECT_EQ(out.categorical()[0].indicator, color_red);
  EXPECT_EQ(space.feature_name(out.categorical()[1].indicator), "a=[0,inf)");  // -0 == 0
}

TEST(BucketizerTest, RequiresColsAndStrictlyIncreasingEdgesAndAFeatureSpace) {
  core::FeatureSpace space;
  const std::string missing = build_error("bucketize | gaussian_nb", &space);
  EXPECT_NE(missing.find("cols: required"), std::string::npos) << missing;
  EXPECT_NE(missing.find("edges: required"), std::string::npos) << missing;
  EXPECT_NE(build_error("bucketize(cols=[a], edges=[0, 10, 10]) | gaussian_nb", &space)
                .find("edges: must be strictly increasing, but 10 is followed by 10"),
            std::string::npos);
  EXPECT_NE(build_error("bucketize(cols=[a], edges=[]) | gaussian_nb", &space)
                .find("edges='[]' is not a list of numbers: the list is empty"),
            std::string::npos);
  EXPECT_NE(build_error("bucketize(cols=[a], edges=[1]) | gaussian_nb", nullptr)
                .find("'bucketize' creates features: build the model with the pipeline's "
                      "FeatureSpace"),
            std::string::npos);
  auto built = LearnerRegistry::builtin().build(
      "bucketize(cols=[amount, 'unit price'], edges=[0, 0.5, 1e+21]) | gaussian_nb", &space);
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(),
            "bucketize(cols=[amount, 'unit price'], edges=[0, 0.5, 1e+21]) | gaussian_nb");
}

TEST(BucketizerTest, CloneAndLoadGiveIdenticalOutputs) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a");
  Bucketizer bucketize({.cols = {"a"}, .edges = {1, 2}}, &space);
  core::StateWriter writer;
  bucketize.save(writer);
  auto restored = bucketize.clone();
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored->load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  FeatureVector expected, actual;
  for (double value : {0.0, 1.0, 1.5, 2.0, 9.0}) {
    FeatureVector x;
    x.add_numeric(a, value);
    bucketize.transform_one(x, expected);
    restored->transform_one(x, actual);
    ASSERT_TRUE(expected == actual);
  }
}

}  // namespace
}  // namespace streamlearn::learners
