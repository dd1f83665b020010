#include "core/model_expression.h"

#include <gtest/gtest.h>

namespace streamlearn::core {
namespace {

TEST(ModelExpressionTest, ParsesStepsWithParameters) {
  auto steps = parse_model_expression("standard_scaler | logistic_regression(l2=0.001, lr = 0.1)");
  ASSERT_TRUE(steps.is_ok()) << steps.status().message();
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0].name, "standard_scaler");
  EXPECT_TRUE((*steps)[0].params.empty());
  EXPECT_EQ((*steps)[1].name, "logistic_regression");
  EXPECT_EQ((*steps)[1].params.at("l2"), "0.001");
  EXPECT_EQ((*steps)[1].params.at("lr"), "0.1");
}

TEST(ModelExpressionTest, KeepsNestedListsCallsAndQuotedCommasInOneValue) {
  auto steps = parse_model_expression(
      "aggregate(by=[user, 'a,b'], agg=[mean(amount), count()], name=\"x, y\") | gaussian_nb()");
  ASSERT_TRUE(steps.is_ok()) << steps.status().message();
  ASSERT_EQ(steps->size(), 2u);
  const ParamMap& params = (*steps)[0].params;
  EXPECT_EQ(params.at("by"), "[user, 'a,b']");
  EXPECT_EQ(params.at("agg"), "[mean(amount), count()]");
  EXPECT_EQ(params.at("name"), "x, y");  // surrounding quotes are removed
  EXPECT_EQ((*steps)[1].name, "gaussian_nb");
}

TEST(ModelExpressionTest, ErrorsGiveTheColumnAndWhatWasExpected) {
  const auto message = [](std::string_view expression) {
    auto steps = parse_model_expression(expression);
    EXPECT_FALSE(steps.is_ok()) << expression;
    return steps.status().message();
  };
  EXPECT_EQ(message("logistic_regression(l2 0.1)"),
            "model expression 'logistic_regression(l2 0.1)': at column 24: expected '=' after "
            "parameter 'l2'");
  EXPECT_NE(message("standard_scaler |").find("at column 18: expected a model or transformer name"),
            std::string::npos);
  EXPECT_NE(message("gaussian_nb(x=[1, 2").find("unbalanced brackets or quotes"),
            std::string::npos);
  EXPECT_NE(message("gaussian_nb(x=1, x=2)").find("parameter 'x' is given twice"),
            std::string::npos);
  EXPECT_NE(message("gaussian_nb(x=1").find("expected ',' or ')'"), std::string::npos);
  EXPECT_NE(message("gaussian_nb(x=)").find("parameter 'x' has no value"), std::string::npos);
  EXPECT_NE(message("gaussian_nb standard_scaler").find("at column 13: expected '|'"),
            std::string::npos);
}

}  // namespace
}  // namespace streamlearn::core
