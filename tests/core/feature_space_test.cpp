#include "core/feature_space.h"

#include <gtest/gtest.h>

#include "core/feature_vector.h"
#include "tests/core/corrupted_states.h"

namespace streamlearn::core {
namespace {

TEST(FeatureSpaceTest, IndicatorsAreFeaturesNamedByPair) {
  FeatureSpace space;
  const FeatureId color = space.feature("color");
  const SymbolId red = space.value("red");
  const FeatureId indicator = space.indicator(color, red);
  EXPECT_EQ(space.feature_name(indicator), "color=red");
  EXPECT_EQ(space.indicator(color, red), indicator);
  EXPECT_EQ(space.find_feature("color=red"), indicator);
  EXPECT_NE(space.indicator(color, space.value("blue")), indicator);
}

TEST(FeatureSpaceTest, NumericViewListsNumbersThenIndicators) {
  FeatureSpace space;
  FeatureVector x;
  const FeatureId a = space.feature("a");
  const FeatureId color = space.feature("color");
  const SymbolId red = space.value("red");
  x.add_categorical(color, red, space.indicator(color, red));
  x.add_numeric(a, 2.5);
  std::vector<std::pair<FeatureId, double>> seen;
  for_each_numeric(x, [&](FeatureId id, double value) { seen.emplace_back(id, value); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(a, 2.5));
  EXPECT_EQ(seen[1], std::make_pair(space.indicator(color, red), 1.0));
}

std::string saved(const FeatureSpace& space) {
  StateWriter out;
  space.save(out);
  return out.bytes();
}

// What a pipeline interns as it runs: features, values and their indicators, interleaved.
void fill(FeatureSpace& space, int from, int to) {
  for (int i = from; i < to; ++i) {
    const FeatureId feature = space.feature("f" + std::to_string(i % 7));
    const SymbolId value = space.value("v" + std::to_string(i % 5));
    space.indicator(feature, value);
  }
}

TEST(FeatureSpaceTest, LoadIntoASpaceBuiltWithTheSameNamesGivesEveryIdBack) {
  FeatureSpace original;
  original.feature("amount");  // interned by the model expression when it is built
  fill(original, 0, 40);
  FeatureSpace restored;
  restored.feature("amount");
  const std::string in_bytes = saved(original);
  StateReader in(in_bytes);
  ASSERT_TRUE(restored.load(in).is_ok());
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(saved(restored), saved(original));
  ASSERT_EQ(restored.num_features(), original.num_features());
  for (FeatureId id = 0; id < original.num_features(); ++id)
    EXPECT_EQ(restored.feature_name(id), original.feature_name(id));
  // Indicators known before the checkpoint are found, not interned again; the ones after it get
  // the same ids in both.
  const std::size_t size = restored.num_features();
  EXPECT_EQ(restored.indicator(restored.feature("f3"), restored.value("v3")),
            original.indicator(original.feature("f3"), original.value("v3")));
  EXPECT_EQ(restored.num_features(), size);
  fill(original, 40, 80);
  fill(restored, 40, 80);
  EXPECT_EQ(restored.indicator(restored.feature("new"), restored.value("v9")),
            original.indicator(original.feature("new"), original.value("v9")));
  EXPECT_EQ(saved(restored), saved(original));
}

TEST(FeatureSpaceTest, LoadIntoASpaceWhoseNamesDifferIsAClearError) {
  FeatureSpace original;
  original.feature("amount");
  fill(original, 0, 10);
  FeatureSpace reordered;
  reordered.feature("f0");
  reordered.feature("amount");
  const std::string in_bytes = saved(original);
  StateReader in(in_bytes);
  const Status status = reordered.load(in);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("feature names: id 0 is 'f0' in this pipeline but 'amount' in "
                                  "the checkpoint: the configuration changed"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(reordered.num_features(), 2u) << "a failed load changes nothing";
  EXPECT_EQ(reordered.num_values(), 0u);

  FeatureSpace other_values;
  other_values.value("v4");
  const std::string again_bytes = saved(original);
  StateReader again(again_bytes);
  const Status values = other_values.load(again);
  ASSERT_FALSE(values.is_ok());
  EXPECT_NE(values.message().find("categorical values: id 0 is 'v4'"), std::string::npos)
      << values.message();
}

TEST(FeatureSpaceTest, CorruptStatesFailOrGiveAConsistentSpace) {
  FeatureSpace original;
  fill(original, 0, 30);
  testing::for_each_corrupted_state(saved(original), 2, 300, [](const std::string& bytes) {
    FeatureSpace space;
    StateReader in(bytes);
    if (!space.load(in).is_ok()) return;
    // Whatever loaded names every indicator "feature=value".
    for (FeatureId feature = 0; feature < space.num_features(); ++feature)
      for (SymbolId value = 0; value < space.num_values(); ++value) {
        const FeatureId indicator = space.indicator(feature, value);
        EXPECT_EQ(space.feature_name(indicator),
                  space.feature_name(feature) + "=" + space.value_text(value));
      }
  });
}

}  // namespace
}  // namespace streamlearn::core
