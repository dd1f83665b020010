#include "stream/prequential_evaluator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

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

TEST(PrequentialEvaluatorTest, EveryReplacementIsToldToTheVersionListenerWithTheRetiredModel) {
  const auto events = seeded_events(3, 6000, false);
  auto model = learners::LearnerRegistry::builtin().build("logistic_regression");
  ASSERT_TRUE(model.is_ok());
  PrequentialEvaluator evaluator(**model, {.on_drift = OnDrift::kReset});
  core::FeatureSpace features;
  auto monitor = ModelMonitor::create({.drift_detector = "ddm"}, true, "label", features);
  evaluator.monitor_with(std::move(*monitor));
  struct Seen {
    std::uint64_t version;
    std::string reason;
    std::uint64_t events;
    const learners::Learner* retired;
    const learners::Learner* serving;
    std::string retired_state;
  };
  std::vector<Seen> seen;
  evaluator.on_version_change([&](const PrequentialEvaluator::VersionChange& change) {
    core::StateWriter state;
    change.retired.save(state);
    seen.push_back({change.version, std::string(change.reason), change.events, &change.retired,
                    &change.serving, std::string(state.bytes())});
  });
  std::size_t i = 0;
  for (; i < events.size() && seen.empty(); ++i) evaluator.process(events[i]);
  ASSERT_EQ(seen.size(), 1u) << "DDM flags the concept change half-way";
  EXPECT_EQ(seen[0].version, 2u);
  EXPECT_EQ(seen[0].reason, "reset");
  EXPECT_EQ(seen[0].events, i);
  EXPECT_EQ(seen[0].retired, &**model);
  EXPECT_EQ(seen[0].serving, &evaluator.model());

  // A replacement from outside: a model trained elsewhere serves as the next version.
  auto promoted = (*model)->clone();
  for (std::size_t j = 0; j < 500; ++j) promoted->learn_one(events[j].features, events[j].label);
  core::StateWriter promoted_state;
  promoted->save(promoted_state);
  const learners::Learner* promoted_address = promoted.get();
  core::StateWriter serving_state;
  evaluator.model().save(serving_state);
  evaluator.replace_model(std::move(promoted), "promotion");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].version, 3u);
  EXPECT_EQ(seen[1].reason, "promotion");
  EXPECT_EQ(seen[1].retired_state, serving_state.bytes()) << "the listener sees the retired model";
  EXPECT_EQ(&evaluator.model(), promoted_address);
  EXPECT_EQ(evaluator.model_version(), 3u);
  EXPECT_EQ(evaluator.monitor()->model_version(), 3u) << "the monitors' references restart";
  core::StateWriter now_serving;
  evaluator.model().save(now_serving);
  EXPECT_EQ(now_serving.bytes(), promoted_state.bytes());
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

// Everything a run reports, to compare two runs bit for bit.
struct RunSummary {
  std::vector<std::pair<std::string, double>> metrics;
  std::uint64_t events = 0, scored = 0, learned = 0, model_version = 0, alerts = 0;
  std::vector<std::uint64_t> drifts;
  bool operator==(const RunSummary&) const = default;
};

RunSummary summary_of(const PrequentialEvaluator& evaluator) {
  RunSummary summary;
  evaluator.report(summary.metrics);
  summary.events = evaluator.events();
  summary.scored = evaluator.scored();
  summary.learned = evaluator.learned();
  summary.model_version = evaluator.model_version();
  if (evaluator.monitor()) {
    summary.alerts = evaluator.monitor()->alerts_fired();
    summary.drifts = evaluator.monitor()->drift_positions();
  }
  return summary;
}

// An evaluator of `expression` whose DDM on the error stream resets the model at each drift, with
// rolling metrics: every path through learn() is taken.
struct MonitoredRun {
  explicit MonitoredRun(const std::string& expression)
      : model(learners::LearnerRegistry::builtin().build(expression).value()),
        evaluator(*model, {.rolling_window = 100, .on_drift = OnDrift::kReset}) {
    evaluator.monitor_with(std::move(
        ModelMonitor::create({.drift_detector = "ddm"}, true, "label", features).value()));
  }
  std::unique_ptr<learners::Learner> model;
  core::FeatureSpace features;
  PrequentialEvaluator evaluator;
};

TEST(PrequentialEvaluatorTest, PredictThenLearnGivesExactlyWhatProcessGives) {
  const auto events = seeded_events(7, 6000, true);
  MonitoredRun composed("logistic_regression"), split("logistic_regression");
  for (const Event& event : events) {
    composed.evaluator.process(event);
    // A copy kept by the caller, as a pipeline with late labels keeps it.
    const Prediction kept = split.evaluator.predict(event);
    if (event.label.has_value()) split.evaluator.learn(event.features, kept, event.label);
  }
  const RunSummary expected = summary_of(composed.evaluator);
  ASSERT_GT(expected.model_version, 1u) << "the concept flips half-way: DDM should reset";
  EXPECT_EQ(summary_of(split.evaluator), expected);

  // Regression takes the other branch.
  auto regression_model = learners::LearnerRegistry::builtin().build("linear_regression");
  auto split_regression_model = learners::LearnerRegistry::builtin().build("linear_regression");
  PrequentialEvaluator regression(**regression_model, {.rolling_window = 50});
  PrequentialEvaluator split_regression(**split_regression_model, {.rolling_window = 50});
  for (Event event : seeded_events(8, 1000, true)) {
    if (event.label.has_value())
      event.label = core::Target::of_value(event.features.numeric()[0].value * 2.0 + 1.0);
    regression.process(event);
    const Prediction& prediction = split_regression.predict(event);
    EXPECT_TRUE(prediction.proba.empty());
    if (event.label.has_value()) split_regression.learn(event.features, prediction, event.label);
  }
  EXPECT_EQ(summary_of(split_regression), summary_of(regression));
  EXPECT_EQ(regression.scored(), 900u);
}

TEST(PrequentialEvaluatorTest, AKeptPredictionIsScoredAgainstWhatWasPredictedThen) {
  auto model = learners::LearnerRegistry::builtin().build("logistic_regression");
  PrequentialEvaluator evaluator(**model, {});
  // Learn the concept a + b > 0 (the evaluator's model is the one given, trained in place).
  const auto first_concept = seeded_events(9, 2000, false);
  for (std::size_t i = 0; i < 1000; ++i)
    (*model)->learn_one(first_concept[i].features, first_concept[i].label);
  Event event;
  event.features.add_numeric(0, 0.2);
  event.features.add_numeric(1, 1.5);
  event.event_time_ms = 12345;
  const Prediction kept = evaluator.predict(event);
  ASSERT_EQ(kept.value, core::Target::of_class(1));  // 0.2 + 1.5 > 0
  EXPECT_EQ(kept.position, 0u);
  EXPECT_EQ(kept.time_ms, 12345);
  EXPECT_EQ(kept.model_version, 1u);
  // Then the concept becomes a - b > 0, under which the event is class 0, and the model learns it.
  for (std::size_t i = 1000; i < 2000; ++i)
    (*model)->learn_one(first_concept[i].features, first_concept[i].label);
  core::ClassProbabilities now;
  evaluator.model().predict_proba_one(event.features, now);
  ASSERT_EQ(now.argmax(), 0u) << "the model must have changed its mind for this test to mean much";
  // Another prediction overwrites the evaluator's buffer, not the caller's copy.
  evaluator.predict(first_concept[0]);

  evaluator.learn(event.features, kept, core::Target::of_class(1));
  EXPECT_EQ(evaluator.scored(), 1u);
  EXPECT_EQ(evaluator.learned(), 1u);
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  ASSERT_EQ(metrics[0].first, "accuracy");
  EXPECT_EQ(metrics[0].second, 1.0) << "scored against what was predicted then, not now";
  ASSERT_EQ(metrics[1].first, "log_loss");
  EXPECT_DOUBLE_EQ(metrics[1].second, -std::log(kept.proba[1]));
}

TEST(PrequentialEvaluatorTest, DelayZeroAndOneEqualNoDelay) {
  // River's progressive_val_score reveals the label of event i before event i + delay is
  // predicted, and not before event i + 1: delays 0 and 1 are both test-then-train.
  const auto events = seeded_events(10, 6000, true);
  MonitoredRun reference("gaussian_nb");
  for (const Event& event : events) reference.evaluator.process(event);
  const RunSummary expected = summary_of(reference.evaluator);
  ASSERT_GT(expected.model_version, 1u);
  for (std::uint64_t delay : {0, 1}) {
    SCOPED_TRACE(delay);
    MonitoredRun delayed("gaussian_nb");
    LabelDelayQueue pending(delay);
    for (const Event& event : events) delayed.evaluator.process_delayed(event, pending);
    delayed.evaluator.reveal_pending(pending);
    EXPECT_EQ(summary_of(delayed.evaluator), expected);
    EXPECT_EQ(pending.slots(), 1u);
  }
}

TEST(PrequentialEvaluatorTest, WithADelayTheFirstEventsArePredictedByAnUntrainedModel) {
  constexpr std::uint64_t kDelay = 100;
  const auto events = seeded_events(11, 2000, true);
  auto model = learners::LearnerRegistry::builtin().build("gaussian_nb");
  PrequentialEvaluator evaluator(**model, {});
  LabelDelayQueue pending(kDelay);
  core::ClassProbabilities proba;
  for (std::size_t i = 0; i < kDelay; ++i) {
    evaluator.process_delayed(events[i], pending);
    evaluator.model().predict_proba_one(events[0].features, proba);
    ASSERT_TRUE(proba.empty()) << "nothing learned before event " << kDelay;
  }
  EXPECT_EQ(evaluator.learned(), 0u);
  EXPECT_EQ(evaluator.scored(), 0u);
  evaluator.process_delayed(events[kDelay], pending);  // reveals event 0's label first
  EXPECT_EQ(evaluator.learned(), 1u);
  for (std::size_t i = kDelay + 1; i < events.size(); ++i)
    evaluator.process_delayed(events[i], pending);
  EXPECT_LE(pending.size(), kDelay);
  evaluator.reveal_pending(pending);
  EXPECT_TRUE(pending.empty());
  // 10% unlabelled: 1800 labels, all learned; the 90 of the first 100 events predicted by the
  // untrained model (empty predictions) are not scored.
  EXPECT_EQ(evaluator.learned(), 1800u);
  EXPECT_EQ(evaluator.scored(), 1800u - 90u);
}

TEST(PrequentialEvaluatorTest, DelayedRunMatchesAHandWrittenDelayedLoop) {
  // The loop of River's progressive_val_score(delay=N) written out with a reference model and
  // detector; drifts are reported at the position of the event whose prediction was wrong.
  constexpr std::uint64_t kDelay = 250;
  const auto events = seeded_events(12, 6000, true);
  auto model = learners::LearnerRegistry::builtin().build("hoeffding_tree");
  auto reference = learners::LearnerRegistry::builtin().build("hoeffding_tree");
  auto detector = monitors::DriftDetectorRegistry::builtin().build("adwin(clock=1)");
  PrequentialEvaluator evaluator(**model, {});
  core::FeatureSpace features;
  evaluator.monitor_with(std::move(
      ModelMonitor::create({.drift_detector = "adwin(clock=1)"}, true, "label", features).value()));
  LabelDelayQueue pending(kDelay);
  for (const Event& event : events) evaluator.process_delayed(event, pending);
  evaluator.reveal_pending(pending);

  struct Kept {
    std::size_t index;
    core::ClassProbabilities proba;
  };
  std::vector<Kept> kept;  // oldest first
  std::vector<std::uint64_t> drifts;
  std::uint64_t scored = 0, correct = 0;
  auto reveal = [&](const Kept& oldest) {
    const Event& event = events[oldest.index];
    if (!oldest.proba.empty()) {
      ++scored;
      const bool right = oldest.proba.argmax() == event.label.class_id;
      correct += right;
      (*detector)->update(right ? 0.0 : 1.0);
      if ((*detector)->drift_detected()) drifts.push_back(oldest.index);
    }
    (*reference)->learn_one(event.features, event.label);
  };
  for (std::size_t i = 0; i < events.size(); ++i) {
    while (!kept.empty() && kept.front().index + kDelay <= i) {
      reveal(kept.front());
      kept.erase(kept.begin());
    }
    Kept prediction{i, {}};
    (*reference)->predict_proba_one(events[i].features, prediction.proba);
    if (events[i].label.has_value()) kept.push_back(std::move(prediction));
  }
  for (const Kept& oldest : kept) reveal(oldest);

  EXPECT_EQ(evaluator.scored(), scored);
  EXPECT_EQ(evaluator.learned(), 5400u);
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  EXPECT_EQ(metrics[0].second, static_cast<double>(correct) / static_cast<double>(scored));
  ASSERT_FALSE(drifts.empty());
  EXPECT_EQ(evaluator.monitor()->drift_positions(), drifts);
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
