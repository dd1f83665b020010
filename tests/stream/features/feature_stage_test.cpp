#include "stream/features/feature_stage.h"

#include <gtest/gtest.h>

namespace streamlearn::stream::features {
namespace {

TEST(FeatureStageTest, SplitsTheWindowStepsFromTheLearnerPipeline) {
  auto split = FeatureStage::split(
      "window(by=user, size=1h, agg=[mean(amount), count()]) | target_agg(by=user) | "
      "standard_scaler | logistic_regression(l2=0.001)");
  ASSERT_TRUE(split.is_ok()) << split.status().message();
  ASSERT_EQ(split->windows.size(), 2u);
  EXPECT_EQ(split->learner_expression, "standard_scaler | logistic_regression(l2=0.001)");
  auto plain = FeatureStage::split("logistic_regression");
  ASSERT_TRUE(plain.is_ok());
  EXPECT_TRUE(plain->windows.empty());
  EXPECT_EQ(plain->learner_expression, "logistic_regression");
}

TEST(FeatureStageTest, WindowStepsComeFirstAndAreFollowedByALearner) {
  auto after = FeatureStage::split("standard_scaler | window(size=1h, agg=[count()]) | "
                                   "logistic_regression");
  ASSERT_FALSE(after.is_ok());
  EXPECT_NE(after.status().message().find("put it before 'standard_scaler'"), std::string::npos)
      << after.status().message();
  auto alone = FeatureStage::split("window(size=1h, agg=[count()])");
  ASSERT_FALSE(alone.is_ok());
  EXPECT_NE(alone.status().message().find("end it with a learner"), std::string::npos);
  auto twice = FeatureStage::split(
      "window(size=1h, agg=[count()]) | window(size=1h, agg=[count()]) | logistic_regression");
  ASSERT_FALSE(twice.is_ok());
  EXPECT_NE(twice.status().message().find("another name="), std::string::npos);
}

TEST(FeatureStageTest, RejectsALateEventBeforeAnyWindowChangesUnderDeadLetter) {
  auto split = FeatureStage::split(
      "window(events=10, agg=[count()]) | window(size=1m, late=dead_letter, agg=[count()]) | "
      "logistic_regression");
  ASSERT_TRUE(split.is_ok()) << split.status().message();
  core::FeatureSpace space;
  FeatureStage stage(split->windows, space);
  Event event;
  event.key = "k";
  event.event_time_ms = 120'000;
  EXPECT_FALSE(stage.apply(event).has_value());
  event.features.clear();
  event.event_time_ms = 1'000;
  const std::optional<Rejection> rejection = stage.apply(event);
  ASSERT_TRUE(rejection.has_value());
  EXPECT_EQ(rejection->reason, RejectReason::kLateEvent);
  EXPECT_NE(rejection->message.find("is late for window(size=1m"), std::string::npos)
      << rejection->message;
  EXPECT_EQ(stage.windows()[0].counters().events, 1u);  // the count window never saw it
  EXPECT_EQ(stage.windows()[1].counters().late, 1u);
  EXPECT_EQ(stage.describe(),
            "window(events=10, agg=[count()]) | window(size=1m, agg=[count()], late=dead_letter)");
}

}  // namespace
}  // namespace streamlearn::stream::features
