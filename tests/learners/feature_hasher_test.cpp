#include "learners/preprocessing/feature_hasher.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>

#include "core/feature_space.h"
#include "core/xxhash64.h"
#include "learners/learner_registry.h"

namespace streamlearn::learners {
namespace {

using core::FeatureId;

std::string build_error(std::string_view expression, core::FeatureSpace* space) {
  auto model = LearnerRegistry::builtin().build(expression, space);
  EXPECT_FALSE(model.is_ok()) << expression;
  return model.is_ok() ? "" : model.status().message();
}

TEST(FeatureHasherTest, UsageExample) {
  core::FeatureSpace features;
  const FeatureId country = features.feature("country"), amount = features.feature("amount");
  const core::SymbolId fr = features.value("FR");
  FeatureHasher hasher({.cols = {"country", "device"}, .buckets = 1 << 10, .seed = 0}, &features);
  FeatureVector x, out;
  x.add_categorical(country, fr, features.indicator(country, fr));
  x.add_numeric(amount, 12.5);
  hasher.transform_one(x, out);
  EXPECT_TRUE(out.categorical().empty());
  ASSERT_EQ(out.numeric().size(), 2u);
  // xxh64("country=FR", seed 0) = 0x5a0011f60132f31e, whose low 10 bits are 798.
  EXPECT_EQ(features.feature_name(out.numeric()[0].id), "hash_798");
  EXPECT_EQ(out.numeric()[0].value, 1.0);
  EXPECT_EQ(out.numeric()[1].id, amount);  // not listed: unchanged
}

// Brute force: for each event, a map from bucket (hashing each listed name directly) to the sum of
// the values; the transform must have exactly those hash_<bucket> features (8 buckets, so inputs
// collide) plus the unlisted features.
TEST(FeatureHasherTest, CollidingInputsAddUpAsABruteForceSumSays) {
  core::FeatureSpace space;
  const FeatureId numeric[4] = {space.feature("n0"), space.feature("n1"), space.feature("n2"),
                                space.feature("kept")};
  const FeatureId color = space.feature("color");
  const core::SymbolId colors[3] = {space.value("red"), space.value("green"), space.value("blue")};
  FeatureHasher hasher({.cols = {"n0", "n1", "n2", "color"}, .buckets = 8, .seed = 7}, &space);
  std::mt19937_64 rng(51);
  std::normal_distribution<double> normal(0.0, 2.0);
  FeatureVector out;
  for (int i = 0; i < 1000; ++i) {
    FeatureVector x;
    std::map<std::string, double> expected;
    for (int k = 0; k < 4; ++k) {
      if ((i + k) % 4 == 0) continue;
      const double value = normal(rng);
      x.add_numeric(numeric[k], value);
      if (k == 3) continue;
      const std::string& name = space.feature_name(numeric[k]);
      expected["hash_" + std::to_string(core::xxhash64(name, 7) % 8)] += value;
    }
    const core::SymbolId value = colors[rng() % 3];
    x.add_categorical(color, value, space.indicator(color, value));
    expected["hash_" +
             std::to_string(core::xxhash64("color=" + space.value_text(value), 7) % 8)] +=
        1.0;
    hasher.learn_transform_one(x, out);
    ASSERT_TRUE(out.categorical().empty());
    std::map<std::string, double> actual;
    for (const core::NumericFeature& feature : out.numeric()) {
      if (feature.id == numeric[3]) continue;
      ASSERT_TRUE(actual.emplace(space.feature_name(feature.id), feature.value).second)
          << "a bucket appears twice";
    }
    ASSERT_EQ(actual.size(), expected.size()) << "event " << i;
    for (const auto& [name, sum] : expected) ASSERT_NEAR(actual[name], sum, 1e-12) << name;
  }
}

TEST(FeatureHasherTest, AnyBucketCountAndSumsBeyondTheDoubleRangeAreClamped) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), b = space.feature("b");
  FeatureHasher one({.cols = {}, .buckets = 1, .seed = 0}, &space);
  FeatureVector x, out;
  const double huge = std::numeric_limits<double>::max();
  x.add_numeric(a, huge);
  x.add_numeric(b, huge);
  one.transform_one(x, out);
  ASSERT_EQ(out.numeric().size(), 1u);
  EXPECT_EQ(space.feature_name(out.numeric()[0].id), "hash_0");
  EXPECT_EQ(out.numeric()[0].value, huge);
  FeatureHasher thousand({.cols = {}, .buckets = 1000, .seed = 0}, &space);
  EXPECT_EQ(thousand.bucket("country=FR"), 0x5a0011f60132f31eULL % 1000);
  FeatureHasher river_size({}, &space);
  EXPECT_EQ(river_size.bucket("country=FR"), 193310u);  // the low 18 bits
}

TEST(FeatureHasherTest, SteadyStateInternsNothingAndACloneOrALoadedHasherAgrees) {
  core::FeatureSpace space;
  const FeatureId a = space.feature("a"), color = space.feature("color");
  const core::SymbolId red = space.value("red"), blue = space.value("blue");
  FeatureHasher hasher({.cols = {}, .buckets = 64, .seed = 3}, &space);
  const auto event = [&](double value, core::SymbolId c) {
    FeatureVector x;
    x.add_numeric(a, value);
    x.add_categorical(color, c, space.indicator(color, c));
    return x;
  };
  FeatureVector out, other;
  hasher.transform_one(event(1.0, red), out);
  hasher.transform_one(event(2.0, blue), out);
  const std::size_t interned = space.num_features();
  core::StateWriter writer;
  hasher.save(writer);
  auto loaded = hasher.clone();
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(loaded->load(reader).is_ok());
  for (int i = 0; i < 10; ++i) {
    const FeatureVector x = event(i * 0.5, i % 2 == 0 ? red : blue);
    hasher.transform_one(x, out);
    loaded->transform_one(x, other);
    ASSERT_TRUE(out == other);
  }
  EXPECT_EQ(space.num_features(), interned);
}

TEST(FeatureHasherTest, ParametersAreCheckedAndDescribedWithPowersOfTwo) {
  core::FeatureSpace space;
  auto built = LearnerRegistry::builtin().build(
      "hash(cols=[country, device], buckets=2^20, seed=5) | logistic_regression", &space);
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(),
            "hash(cols=[country, device], buckets=2^20, seed=5) | logistic_regression");
  auto plain = LearnerRegistry::builtin().build("hash(buckets=2^18) | logistic_regression", &space);
  ASSERT_TRUE(plain.is_ok());
  EXPECT_EQ((*plain)->describe(), "hash | logistic_regression");
  EXPECT_NE(build_error("hash(buckets=0) | gaussian_nb", &space)
                .find("buckets: must be an integer from 1 to 2^32, got 0"),
            std::string::npos);
  EXPECT_NE(build_error("hash(buckets=2^33) | gaussian_nb", &space).find("got 8589934592"),
            std::string::npos);
  EXPECT_NE(build_error("hash(buckets=2^64) | gaussian_nb", &space)
                .find("buckets='2^64' overflows a 64-bit integer"),
            std::string::npos);
  EXPECT_NE(
      build_error("hash(seed=-1) | gaussian_nb", &space).find("seed: must be an integer >= 0"),
      std::string::npos);
  EXPECT_NE(build_error("hash | gaussian_nb", nullptr)
                .find("'hash' creates features: build the model with the pipeline's FeatureSpace"),
            std::string::npos);
}

}  // namespace
}  // namespace streamlearn::learners
