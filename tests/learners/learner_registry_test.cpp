#include "learners/learner_registry.h"

#include <gtest/gtest.h>

#include "learners/pipeline.h"

namespace streamlearn::learners {
namespace {

std::string build_error(std::string_view expression) {
  auto model = LearnerRegistry::builtin().build(expression);
  EXPECT_FALSE(model.is_ok()) << expression;
  return model.is_ok() ? "" : model.status().message();
}

TEST(LearnerRegistryTest, BuildsALearnerOrAPipelineThatDescribesItself) {
  auto single = LearnerRegistry::builtin().build("gaussian_nb");
  ASSERT_TRUE(single.is_ok()) << single.status().message();
  EXPECT_EQ((*single)->describe(), "gaussian_nb");
  auto pipeline = LearnerRegistry::builtin().build("standard_scaler|logistic_regression(l2=0.5)");
  ASSERT_TRUE(pipeline.is_ok()) << pipeline.status().message();
  EXPECT_NE(dynamic_cast<Pipeline*>(pipeline->get()), nullptr);
  EXPECT_EQ((*pipeline)->describe(), "standard_scaler | logistic_regression(l2=0.5)");
  EXPECT_EQ((*pipeline)->task(), Task::kClassification);
}

TEST(LearnerRegistryTest, UnknownNameListsTheKnownOnes) {
  const std::string message = build_error("logistic_regresion");
  EXPECT_NE(message.find("unknown model 'logistic_regresion'"), std::string::npos);
  EXPECT_NE(message.find("known: "), std::string::npos);
  for (const auto& entry : LearnerRegistry::builtin().entries())
    EXPECT_NE(message.find(entry.name), std::string::npos) << entry.name;
}

TEST(LearnerRegistryTest, UnknownParameterListsTheAllowedOnes) {
  const std::string message = build_error("logistic_regression(learning_rate=0.1)");
  EXPECT_NE(message.find("unknown parameter 'learning_rate' (allowed: lr, l2, l1, intercept_init, "
                         "intercept_lr, clip_gradient)"),
            std::string::npos)
      << message;
  EXPECT_NE(build_error("gaussian_nb(alpha=1)").find("unknown parameter 'alpha' (allowed: none)"),
            std::string::npos);
}

TEST(LearnerRegistryTest, MalformedValuesAreReportedTogetherWithOtherErrors) {
  const std::string message =
      build_error("standard_scaler(with_std=maybe) | logistic_regression(l2=abc)");
  EXPECT_NE(message.find("with_std='maybe' is not a boolean"), std::string::npos) << message;
  EXPECT_NE(message.find("l2='abc' is not a finite number"), std::string::npos) << message;
}

TEST(LearnerRegistryTest, TransformerLastIsAnError) {
  const std::string message = build_error("standard_scaler");
  EXPECT_NE(message.find("'standard_scaler' is a transformer: end the expression with a learner"),
            std::string::npos)
      << message;
  EXPECT_NE(build_error("gaussian_nb | logistic_regression")
                .find("'gaussian_nb' is a learner: only the last step may be a learner"),
            std::string::npos);
}

}  // namespace
}  // namespace streamlearn::learners

namespace streamlearn::learners {
namespace {

TEST(LearnerRegistryTest, TransformersThatCreateFeaturesNeedThePipelinesFeatureSpace) {
  for (const char* name : {"hash", "one_hot", "cross(cols=[a, b])", "bucketize(cols=[a], edges=[0])"}) {
    const std::string expression = std::string(name) + " | logistic_regression";
    const std::string message = build_error(expression);
    const std::string step(std::string_view(name).substr(0, std::string_view(name).find('(')));
    EXPECT_NE(message.find("'" + step + "' creates features: build the model with the pipeline's "
                           "FeatureSpace, LearnerRegistry::build(expression, &features)"),
              std::string::npos)
        << message;
    core::FeatureSpace features;
    auto built = LearnerRegistry::builtin().build(expression, &features);
    EXPECT_TRUE(built.is_ok()) << built.status().message();
  }
  // Selecting features by name needs it too; without cols these transformers do not.
  EXPECT_NE(build_error("log1p(cols=[amount]) | linear_regression")
                .find("'log1p' selects features by name (cols)"),
            std::string::npos);
  EXPECT_TRUE(LearnerRegistry::builtin().build("log1p | winsorize | clip | linear_regression").is_ok());
}

TEST(LearnerRegistryTest, ListsEveryTransformer) {
  std::vector<std::string> transformers;
  for (const auto& entry : LearnerRegistry::builtin().entries())
    if (entry.is_transformer) transformers.push_back(entry.name);
  EXPECT_EQ(transformers,
            (std::vector<std::string>{"bucketize", "clip", "cross", "hash", "log1p",
                                      "min_max_scaler", "one_hot", "standard_scaler",
                                      "winsorize"}));
}

}  // namespace
}  // namespace streamlearn::learners
