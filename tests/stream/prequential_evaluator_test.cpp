#include "stream/prequential_evaluator.h"

#include <gtest/gtest.h>

#include <random>

#include "learners/learner_registry.h"
#include "monitors/drift/drift_detector_registry.h"

namespace streamlearn::stream {
namespace {

std::vector<Event> seeded_events(std::uint64_t seed, std::size_t count, bool some_unlabelled) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<Event> events(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double a = normal(rng), b = normal(rng);
    events[i].features.add_numeric(0, a);
    events[i].features.add_numeric(1, b);
    const bool positive = i < count / 2 ? a + b > 0 : a - b > 0;
    if (!(some_unlabelled && i % 10 == 5)) events[i].label = core::Target::of_class(positive ? 1 : 0);
  }
  return events;
}

TEST(PrequentialEvaluatorTest, PredictsScoresThenLearnsLikeAHandWrittenLoop) {
  const auto events = seeded_events(1, 2000, true);
  auto model = learners::LearnerRegistry::builtin().build("gaussian_nb");
  auto reference = learners::LearnerRegistry::builtin().build("gaussian_nb");
  ASSERT_TRUE(model.is_ok() && reference.is_ok());
  PrequentialEvaluator evaluator(**model, {});
  std::uint64_t scored = 0, correct = 0, learned = 0;
  core::ClassProbabilities proba;
  for (const Event& event : events) {
    evaluator.process(event);
    (*reference)->predict_proba_one(event.features, proba);
    if (event.label.has_value() && !proba.empty()) {
      ++scored;
      correct += proba.argmax() == event.label.class_id;
    }
    if (event.label.has_value()) {
      (*reference)->learn_one(event.features, event.label);
      ++learned;
    }
  }
  EXPECT_EQ(evaluator.events(), 2000u);
  EXPECT_EQ(evaluator.scored(), scored);
  EXPECT_EQ(evaluator.learned(), learned);
  EXPECT_EQ(scored, 1799u);  // 200 unlabelled, and the first prediction is empty
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  ASSERT_FALSE(metrics.empty());
  EXPECT_EQ(metrics[0].first, "accuracy");
  EXPECT_DOUBLE_EQ(metrics[0].second, static_cast<double>(correct) / static_cast<double>(scored));
}

TEST(PrequentialEvaluatorTest, DetectorSeesExactlyTheErrorStreamOfScoredEvents) {
  const auto events = seeded_events(2, 4000, false);
  auto model = learners::LearnerRegistry::builtin().build("hoeffding_tree");
  auto reference = learners::LearnerRegistry::builtin().build("hoeffding_tree");
  auto reference_detector = monitors::DriftDetectorRegistry::builtin().build("adwin(clock=1)");
  auto detector = monitors::DriftDetectorRegistry::builtin().build("adwin(clock=1)");
  ASSERT_TRUE(model.is_ok() && reference.is_ok() && detector.is_ok() && reference_detector.is_ok());
  PrequentialEvaluator evaluator(**model, {.rolling_window = 100});
  evaluator.monitor_errors_with(std::move(*detector));
  std::vector<std::uint64_t> expected;
  core::ClassProbabilities proba;
  for (std::size_t i = 0; i < events.size(); ++i) {
    evaluator.process(events[i]);
    (*reference)->predict_proba_one(events[i].features, proba);
    if (!proba.empty()) {
      (*reference_detector)->update(proba.argmax() == events[i].label.class_id ? 0.0 : 1.0);
      if ((*reference_detector)->drift_detected()) expected.push_back(i);
    }
    (*reference)->learn_one(events[i].features, events[i].label);
  }
  EXPECT_EQ(evaluator.drift_positions(), expected);
  // ADWIN flags any change of the error rate, including the fall while the tree learns; the flip of
  // the concept at 2000 must be among them.
  bool after_flip = false;
  for (std::uint64_t position : expected) after_flip |= position >= 2000 && position < 2600;
  EXPECT_TRUE(after_flip) << "the concept flips at 2000; ADWIN should see it";
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  EXPECT_EQ(metrics.back().first, "rolling_recall");
}

}  // namespace
}  // namespace streamlearn::stream
