#include "learners/linear/logistic_regression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/feature_space.h"
#include "learners/learner_registry.h"
#include "learners/pipeline.h"
#include "tests/learners/reference_stream.h"
#include "tests/test_support.h"

namespace streamlearn::learners {
namespace {

using core::FeatureId;

std::unique_ptr<Learner> build(std::string_view expression) {
  auto model = LearnerRegistry::builtin().build(expression);
  EXPECT_TRUE(model.is_ok()) << model.status().message();
  return std::move(model).value();
}

FeatureVector features(std::initializer_list<std::pair<FeatureId, double>> values) {
  FeatureVector x;
  for (const auto& [id, value] : values) x.add_numeric(id, value);
  return x;
}

TEST(LogisticRegressionTest, UsageExample) {
  auto model = build("standard_scaler | logistic_regression(lr=0.1)");
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int i = 0; i < 2000; ++i) {
    const FeatureVector x = features({{0, normal(rng)}, {1, normal(rng)}});
    model->learn_one(x, Target::of_class(x.numeric()[0].value > 0 ? 1 : 0));
  }
  ClassProbabilities proba;
  model->predict_proba_one(features({{0, 2.0}, {1, 0.0}}), proba);
  ASSERT_EQ(proba.size(), 2u);
  EXPECT_GT(proba[1], 0.9);
  EXPECT_DOUBLE_EQ(proba[0] + proba[1], 1.0);
  EXPECT_EQ(model->predict_one(features({{0, -2.0}, {1, 0.0}})), Target::of_class(0));
}

TEST(LogisticRegressionTest, PredictsOneHalfForBothClassesBeforeAnyLearning) {
  LogisticRegression model({});
  ClassProbabilities proba;
  model.predict_proba_one(features({{0, 3.0}}), proba);
  ASSERT_EQ(proba.size(), 2u);
  EXPECT_EQ(proba[0], 0.5);
  EXPECT_EQ(proba[1], 0.5);
  // A tie goes to the first class, as River's max over {False: 0.5, True: 0.5}.
  EXPECT_EQ(model.predict_one(features({{0, 3.0}})), Target::of_class(0));
}

TEST(LogisticRegressionTest, StepsMatchRiversSgdUpdateComputedByHand) {
  LogisticRegression model({});
  // Step 1 at w = 0, b = 0: raw 0, Log gradient for y = 1 is -1 / (e^0 + 1) = -0.5.
  model.learn_one(features({{0, 2.0}, {1, -1.0}}), Target::of_class(1));
  EXPECT_EQ(model.glm().intercept(), 0.0 - 0.01 * -0.5);
  EXPECT_EQ(model.glm().weight(0), 0.0 - 0.01 * (2.0 * -0.5));
  EXPECT_EQ(model.glm().weight(1), 0.0 - 0.01 * (-1.0 * -0.5));
  // Step 2, negative class: the gradient uses the raw output from before the update, computed
  // as River does (dot product from 0 in x's order, then the intercept).
  const double w0 = model.glm().weight(0), w1 = model.glm().weight(1);
  const double b = model.glm().intercept();
  const double raw = (0.0 + w0 * 0.5 + w1 * 3.0) + b;
  const double gradient = 1.0 / (std::exp(-raw) + 1.0);  // y = -1: z = -raw
  model.learn_one(features({{0, 0.5}, {1, 3.0}}), Target::of_class(0));
  EXPECT_EQ(model.glm().intercept(), b - 0.01 * gradient);
  EXPECT_EQ(model.glm().weight(0), w0 - 0.01 * (0.5 * gradient));
  EXPECT_EQ(model.glm().weight(1), w1 - 0.01 * (3.0 * gradient));
}

TEST(LogisticRegressionTest, LossGradientTakesRiversBranchesBeyondEighteen) {
  // With no features the raw output is the intercept, so the intercept step exposes the loss
  // gradient: z = raw * y above 18 uses exp(-z) * -y, below -18 the constant -y.
  LogisticRegression::Params params;
  params.intercept_init = 20.0;
  LogisticRegression confident(params);
  confident.learn_one(FeatureVector(), Target::of_class(1));
  EXPECT_EQ(confident.glm().intercept(), 20.0 - 0.01 * (std::exp(-20.0) * -1.0));
  LogisticRegression wrong(params);
  wrong.learn_one(FeatureVector(), Target::of_class(0));
  EXPECT_EQ(wrong.glm().intercept(), 20.0 - 0.01 * 1.0);
}

TEST(LogisticRegressionTest, SigmoidSaturatesBeyondThirtyAsRiversDoes) {
  LogisticRegression::Params params;
  params.intercept_init = 30.5;
  LogisticRegression model(params);
  ClassProbabilities proba;
  model.predict_proba_one(FeatureVector(), proba);
  EXPECT_EQ(proba[1], 1.0);
  EXPECT_EQ(proba[0], 0.0);
}

TEST(LogisticRegressionTest, GradientIsClippedAndL2UsesTheWeightBeforeTheStep) {
  LogisticRegression::Params params;
  params.l2 = 0.5;
  params.clip_gradient = 0.25;
  LogisticRegression model(params);
  model.learn_one(features({{0, 1.0}}), Target::of_class(1));  // gradient -0.5 clipped to -0.25
  const double w = 0.0 - 0.01 * (1.0 * -0.25 + 0.5 * 0.0);
  EXPECT_EQ(model.glm().weight(0), w);
  EXPECT_EQ(model.glm().intercept(), 0.0 - 0.01 * -0.25);
  model.learn_one(features({{0, 1.0}}), Target::of_class(1));
  EXPECT_EQ(model.glm().weight(0), w - 0.01 * (1.0 * -0.25 + 0.5 * w));
}

TEST(LogisticRegressionTest, CumulativeL1PenaltyClipsSmallWeightsToZero) {
  LogisticRegression::Params params;
  params.l1 = 1.0;  // each step may take up to lr * l1 = 0.01 off every weight
  LogisticRegression model(params);
  // One small step: the gradient moves w by 0.005 (< 0.01), so the penalty clips it to 0.
  model.learn_one(features({{0, 1.0}}), Target::of_class(1));
  EXPECT_EQ(model.glm().weight(0), 0.0);
  // A large feature value moves w by 0.01 * 0.5 * 10 = 0.05; the penalty takes max_cum_l1 (now
  // 0.02) minus what it already took (0.005).
  const double intercept = model.glm().intercept();
  const double gradient = -1.0 / (std::exp(intercept) + 1.0);
  model.learn_one(features({{0, 10.0}}), Target::of_class(1));
  const double stepped = 0.0 - 0.01 * (10.0 * gradient);
  EXPECT_EQ(model.glm().weight(0), std::max(0.0, stepped - (0.02 + -0.005)));
}

TEST(LogisticRegressionTest, CategoricalFeaturesLearnTheirIndicatorWithValueOne) {
  core::FeatureSpace space;
  const FeatureId color = space.feature("color");
  const core::SymbolId red = space.value("red");
  const FeatureId color_red = space.indicator(color, red);
  FeatureVector x;
  x.add_categorical(color, red, color_red);
  LogisticRegression model({});
  model.learn_one(x, Target::of_class(1));
  EXPECT_EQ(model.glm().weight(color_red), 0.0 - 0.01 * (1.0 * -0.5));
  EXPECT_EQ(model.glm().weight(color), 0.0);
}

TEST(LogisticRegressionTest, DescribeListsNonDefaultParamsAndRoundTripsThroughTheRegistry) {
  EXPECT_EQ(build("logistic_regression")->describe(), "logistic_regression");
  auto model = build("logistic_regression(l2=0.001, lr=0.1, clip_gradient=5)");
  EXPECT_EQ(model->describe(), "logistic_regression(lr=0.1, l2=0.001, clip_gradient=5)");
  EXPECT_EQ(build(model->describe())->describe(), model->describe());
  EXPECT_EQ(model->clone()->describe(), model->describe());
}

TEST(LogisticRegressionTest, RejectsL1TogetherWithL2AndNegativeRates) {
  auto both = LearnerRegistry::builtin().build("logistic_regression(l1=0.1, l2=0.1)");
  ASSERT_FALSE(both.is_ok());
  EXPECT_NE(both.status().message().find("l1 and l2 cannot both be non-zero"), std::string::npos);
  auto negative = LearnerRegistry::builtin().build("logistic_regression(lr=-1)");
  ASSERT_FALSE(negative.is_ok());
  EXPECT_NE(negative.status().message().find("lr: must be >= 0"), std::string::npos);
}

TEST(LogisticRegressionTest, SaveThenLoadGivesBitIdenticalPredictions) {
  LogisticRegression::Params params;
  params.l1 = 0.001;
  LogisticRegression model(params);
  std::mt19937_64 rng(23);
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto draw = [&] { return features({{0, normal(rng)}, {2, normal(rng)}}); };
  for (int i = 0; i < 500; ++i) {
    const FeatureVector x = draw();
    model.learn_one(x, Target::of_class(x.numeric()[0].value + normal(rng) > 0 ? 1 : 0));
  }
  core::StateWriter writer;
  model.save(writer);
  LogisticRegression restored(params);
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored.load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  ClassProbabilities expected, actual;
  for (int i = 0; i < 200; ++i) {
    const FeatureVector x = draw();
    model.predict_proba_one(x, expected);
    restored.predict_proba_one(x, actual);
    ASSERT_EQ(expected.values(), actual.values());
    const Target y = Target::of_class(i % 2);
    model.learn_one(x, y);
    restored.learn_one(x, y);
  }
  core::StateReader truncated(std::string_view(writer.bytes()).substr(0, 20));
  EXPECT_FALSE(LogisticRegression(params).load(truncated).is_ok());
}

// River 0.21.1, compose.Pipeline(preprocessing.StandardScaler(),
// linear_model.LogisticRegression()), from ../shared/reference/river_prequential.json. The port
// reproduces them to the last bit.
TEST(LogisticRegressionTest, ReproducesRiverPrequentialScoresOnSeaAndAgrawal) {
  SL_REQUIRE_SHARED_DIR(shared);
  struct Golden {
    const char* stream;
    double accuracy;
    double log_loss;
  };
  for (const Golden& golden : {Golden{"sea_drift_100k.csv", 0.99479, 0.07877565441376501},
                               Golden{"agrawal_drift_100k.csv", 0.61742, 0.6629035097492433}}) {
    SCOPED_TRACE(golden.stream);
    const testing::ReferenceStream stream =
        testing::read_reference_stream(shared / "reference" / "streams" / golden.stream);
    ASSERT_EQ(stream.events.size(), 100000u);
    auto model = build("standard_scaler | logistic_regression");
    const testing::PrequentialScore scores = testing::score_prequential(*model, stream);
    EXPECT_EQ(scores.scored, 100000u);
    EXPECT_NEAR(scores.accuracy, golden.accuracy, 1e-12);
    EXPECT_NEAR(scores.log_loss, golden.log_loss, 1e-12);
  }
}

}  // namespace
}  // namespace streamlearn::learners
