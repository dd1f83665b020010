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
  ASSERT_TRUE(model.is_ok() && reference.is_ok() && reference_detector.is_ok());
  PrequentialEvaluator evaluator(**model, {.rolling_window = 100});
  core::FeatureSpace features;
  evaluator.monitor_with(std::move(
      ModelMonitor::create({.drift_detector = "adwin(clock=1)"}, true, "label", features).value()));
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
  EXPECT_EQ(evaluator.monitor()->drift_positions(), expected);
  EXPECT_EQ(evaluator.model_version(), 1u);  // on_drift none: the alerts only
  // ADWIN flags any change of the error rate, including the fall while the tree learns; the flip of
  // the concept at 2000 must be among them.
  bool after_flip = false;
  for (std::uint64_t position : expected) after_flip |= position >= 2000 && position < 2600;
  EXPECT_TRUE(after_flip) << "the concept flips at 2000; ADWIN should see it";
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  EXPECT_EQ(metrics.back().first, "rolling_recall");
}

class CollectingSink final : public monitors::AlertSink {
 public:
  void publish(const monitors::Alert& alert) override { alerts.push_back(alert); }
  core::Status flush() override { return core::Status::ok(); }
  std::vector<monitors::Alert> alerts;
};

TEST(PrequentialEvaluatorTest, ResetOnDriftReplacesTheModelAndSaysSoInTheAlert) {
  const auto events = seeded_events(3, 6000, false);
  auto model = learners::LearnerRegistry::builtin().build("logistic_regression");
  ASSERT_TRUE(model.is_ok());
  PrequentialEvaluator evaluator(**model, {.on_drift = OnDrift::kReset});
  core::FeatureSpace features;
  auto monitor =
      ModelMonitor::create({.pipeline = "p", .drift_detector = "ddm"}, true, "label", features);
  CollectingSink sink;
  (*monitor)->add_sink(&sink);
  evaluator.monitor_with(std::move(*monitor));
  for (const Event& event : events) evaluator.process(event);
  ASSERT_FALSE(sink.alerts.empty());
  const monitors::Alert& first = sink.alerts[0];
  EXPECT_GE(first.current.last_event, 3000u);  // the concept changes half-way
  EXPECT_EQ(first.kind, monitors::AlertKind::kConcept);
  EXPECT_EQ(first.model_action, "reset");
  EXPECT_EQ(first.model_version, 1u);
  EXPECT_EQ(first.new_model_version, 2u);
  EXPECT_EQ(first.id, "p/concept_drift/1");
  EXPECT_EQ(evaluator.model_version(), 1u + sink.alerts.size());
  EXPECT_NE(&evaluator.model(), &**model);
}

TEST(PrequentialEvaluatorTest, BackgroundModelTrainedFromTheWarningIsSwappedInAtTheDrift) {
  const auto events = seeded_events(4, 6000, false);
  auto model = learners::LearnerRegistry::builtin().build("logistic_regression");
  ASSERT_TRUE(model.is_ok());
  PrequentialEvaluator evaluator(**model, {.on_drift = OnDrift::kBackground});
  core::FeatureSpace features;
  auto monitor = ModelMonitor::create({.drift_detector = "ddm"}, true, "label", features);
  CollectingSink sink;
  (*monitor)->add_sink(&sink);
  evaluator.monitor_with(std::move(*monitor));
  std::uint64_t warning_start = 0;
  std::size_t i = 0;
  for (; i < events.size() && sink.alerts.empty(); ++i) {
    evaluator.process(events[i]);
    if (evaluator.training_background_model()) warning_start = evaluator.background_started_at();
  }
  ASSERT_EQ(sink.alerts.size(), 1u);
  ASSERT_EQ(sink.alerts[0].model_action, "swap") << "DDM warns before it drifts";
  EXPECT_EQ(evaluator.model_version(), 2u);
  EXPECT_FALSE(evaluator.training_background_model());
  // The model now serving learned exactly the events from the warning's start to the drift.
  auto expected = learners::LearnerRegistry::builtin().build("logistic_regression");
  for (std::size_t j = warning_start; j < i; ++j)
    (*expected)->learn_one(events[j].features, events[j].label);
  core::ClassProbabilities served, wanted;
  for (std::size_t j = i; j < i + 200; ++j) {
    evaluator.model().predict_proba_one(events[j].features, served);
    (*expected)->predict_proba_one(events[j].features, wanted);
    ASSERT_EQ(served.size(), wanted.size());
    for (core::ClassId c = 0; c < served.size(); ++c) EXPECT_EQ(served[c], wanted[c]);
  }
}

TEST(PrequentialEvaluatorTest, BackgroundWithoutAWarningZoneResets) {
  const auto events = seeded_events(5, 6000, false);
  auto model = learners::LearnerRegistry::builtin().build("logistic_regression");
  PrequentialEvaluator evaluator(**model, {.on_drift = OnDrift::kBackground});
  core::FeatureSpace features;
  evaluator.monitor_with(std::move(
      ModelMonitor::create({.drift_detector = "adwin"}, true, "label", features).value()));
  for (const Event& event : events) evaluator.process(event);
  ASSERT_FALSE(evaluator.monitor()->kept_alerts().empty());
  for (const monitors::Alert& alert : evaluator.monitor()->kept_alerts())
    EXPECT_EQ(alert.model_action, "reset");
}

TEST(PrequentialEvaluatorTest, PerformanceMonitorsSeeEachScoredEventsLogLoss) {
  const auto events = seeded_events(6, 4000, false);
  auto model = learners::LearnerRegistry::builtin().build("gaussian_nb");
  PrequentialEvaluator evaluator(**model, {});
  core::FeatureSpace features;
  ModelMonitor::Params params;
  monitors::PerformanceMonitor::Params loss{.metric = "log_loss",
                                             .reference = monitors::WindowLength::events(500),
                                             .window = monitors::WindowLength::events(500)};
  params.performance.push_back({"loss_rise", loss});
  auto monitor = ModelMonitor::create(params, true, "label", features);
  ASSERT_TRUE((*monitor)->needs_log_loss());
  CollectingSink sink;
  (*monitor)->add_sink(&sink);
  evaluator.monitor_with(std::move(*monitor));
  for (const Event& event : events) evaluator.process(event);
  // The concept changes at 2000: the log loss of the windows after it rises well above the
  // reference's, which the monitor can only see if it is given each event's loss.
  ASSERT_FALSE(sink.alerts.empty());
  EXPECT_EQ(sink.alerts[0].statistic, "log_loss");
  EXPECT_GE(sink.alerts[0].current.last_event, 2000u);
  EXPECT_GT(sink.alerts[0].value, sink.alerts[0].threshold);
}

TEST(PrequentialEvaluatorTest, OnDriftNamesParseBack) {
  for (OnDrift on_drift : {OnDrift::kNone, OnDrift::kReset, OnDrift::kBackground})
    EXPECT_EQ(parse_on_drift(on_drift_name(on_drift)).value(), on_drift);
  auto bad = parse_on_drift("retrain");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("none, reset, background"), std::string::npos);
}

}  // namespace
}  // namespace streamlearn::stream
