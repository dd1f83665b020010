#include "core/feature_space.h"

#include <gtest/gtest.h>

#include "core/feature_vector.h"

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

}  // namespace
}  // namespace streamlearn::core
