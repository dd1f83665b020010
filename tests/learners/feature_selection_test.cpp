#include "learners/preprocessing/feature_selection.h"

#include <gtest/gtest.h>

#include "core/feature_space.h"

namespace streamlearn::learners {
namespace {

TEST(FeatureSelectionTest, UsageExample) {
  core::FeatureSpace features;
  const core::FeatureId other = features.feature("other");
  FeatureSelection cols({"amount", "age"}, &features);
  EXPECT_FALSE(cols.all());
  EXPECT_TRUE(cols.contains(*features.find_feature("amount")));
  EXPECT_EQ(cols.position(*features.find_feature("age")), 1u);
  EXPECT_FALSE(cols.contains(other));
  EXPECT_EQ(cols.position(other), FeatureSelection::kNotSelected);
  EXPECT_FALSE(cols.contains(12345));
  EXPECT_TRUE(FeatureSelection().contains(12345));
}

// What expression() writes, ParamReader::names reads back to the same names.
TEST(FeatureSelectionTest, ExpressionReadsBackToTheSameNames) {
  const std::vector<std::string> names = {"plain",     "unit price", "it's",      "a,b",
                                          "zip=94110", "x*y",        "[bracket]", "say \"hi\""};
  const std::string text = FeatureSelection::expression(names);
  EXPECT_EQ(text,
            "[plain, 'unit price', \"it's\", 'a,b', zip=94110, x*y, '[bracket]', "
            "'say \"hi\"']");
  const core::ParamMap given = {{"cols", text}};
  core::ParamReader reader("t", given);
  EXPECT_EQ(FeatureSelection::read(reader, "cols", "t", nullptr), names);
  EXPECT_NE(reader.finish().message().find("'t' selects features by name (cols)"),
            std::string::npos);
}

}  // namespace
}  // namespace streamlearn::learners
