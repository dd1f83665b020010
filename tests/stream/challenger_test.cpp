// Challenger (shadow mode) inside the PrequentialEvaluator: the promotion event against an
// independent test-then-train replay of both models, margin and window, manual promotion, the
// alert record, and checkpoints with a challenger and with a promoted model of another expression.

#include "stream/challenger.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "learners/learner_registry.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::stream {
namespace {

// A ring concept, |a| > 1: not linearly separable (logistic regression stays near the majority
// rate, 68%), while Gaussian naive Bayes sees the classes' different variances of a.
std::vector<Event> ring_events(std::uint64_t seed, std::size_t count) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<Event> events(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double a = normal(rng), b = normal(rng);
    events[i].features.add_numeric(0, a);
    events[i].features.add_numeric(1, b);
    events[i].event_time_ms = 1'700'000'000'000 + static_cast<std::int64_t>(i);
    events[i].label = core::Target::of_class(std::abs(a) > 1.0 ? 1 : 0);
  }
  return events;
}

std::unique_ptr<learners::Learner> build(const std::string& expression) {
  return std::move(learners::LearnerRegistry::builtin().build(expression)).value();
}

ModelFactory registry_factory() {
  return [](std::string_view expression) {
    return learners::LearnerRegistry::builtin().build(expression);
  };
}

class RecordingSink : public monitors::AlertSink {
 public:
  void publish(const monitors::Alert& alert) override { alerts.push_back(alert); }
  core::Status flush() override { return core::Status::ok(); }
  std::vector<monitors::Alert> alerts;
};

// The oracle: both models replayed test-then-train by hand, their accuracy over the last
// `window` events that both predicted; the first event at which the challenger's exceeds the
// champion's by more than `margin`, or nullopt.
struct Expected {
  std::uint64_t position = 0;
  double champion = 0.0;
  double challenger = 0.0;
};
std::optional<Expected> first_promotion(const std::vector<Event>& events,
                                        const std::string& champion_expression,
                                        const std::string& challenger_expression,
                                        std::size_t window, double margin) {
  auto champion = build(champion_expression);
  auto challenger = build(challenger_expression);
  std::deque<std::pair<int, int>> last;  // (champion correct, challenger correct)
  core::ClassProbabilities p, q;
  for (std::size_t i = 0; i < events.size(); ++i) {
    champion->predict_proba_one(events[i].features, p);
    challenger->predict_proba_one(events[i].features, q);
    if (!p.empty() && !q.empty()) {
      last.emplace_back(p.argmax() == events[i].label.class_id,
                        q.argmax() == events[i].label.class_id);
      if (last.size() > window) last.pop_front();
    }
    champion->learn_one(events[i].features, events[i].label);
    challenger->learn_one(events[i].features, events[i].label);
    if (last.size() < window) continue;
    int champion_correct = 0, challenger_correct = 0;
    for (const auto& [a, b] : last) {
      champion_correct += a;
      challenger_correct += b;
    }
    const double champion_accuracy = static_cast<double>(champion_correct) / window;
    const double challenger_accuracy = static_cast<double>(challenger_correct) / window;
    if (challenger_accuracy - champion_accuracy > margin)
      return Expected{i, champion_accuracy, challenger_accuracy};
  }
  return std::nullopt;
}

/// An evaluator of `champion` challenged by `challenger`, its alerts recorded.
struct Challenged {
  Challenged(const std::string& champion, const std::string& challenger, Challenger::Params params)
      : model(build(champion)), evaluator(*model, {}) {
    evaluator.build_models_with(registry_factory());
    evaluator.challenge_with(std::make_unique<Challenger>(build(challenger), params));
    auto created = ModelMonitor::create({.pipeline = "shadow"}, true, "label", space);
    monitor = created->get();
    (*created)->add_sink(&sink);
    (*created)->use_wall_clock([] { return std::int64_t{1'700'000'000'000}; });
    evaluator.monitor_with(std::move(*created));
  }
  /// Processes events[from, to); returns the position at which the version first changed.
  std::optional<std::uint64_t> run(const std::vector<Event>& events, std::size_t from,
                                   std::size_t to) {
    std::optional<std::uint64_t> changed;
    for (std::size_t i = from; i < to; ++i) {
      const std::uint64_t before = evaluator.model_version();
      evaluator.process(events[i]);
      if (!changed && evaluator.model_version() != before) changed = i;
    }
    return changed;
  }

  core::FeatureSpace space;
  std::unique_ptr<learners::Learner> model;
  PrequentialEvaluator evaluator;
  ModelMonitor* monitor = nullptr;
  RecordingSink sink;
};

std::string state_of(const learners::Learner& model) {
  core::StateWriter out;
  model.save(out);
  return std::string(out.bytes());
}

TEST(ChallengerTest, ABetterChallengerIsPromotedAtTheEventTheReplayOfBothModelsSays) {
  const auto events = ring_events(11, 6000);
  const auto expected = first_promotion(events, "logistic_regression", "gaussian_nb", 500, 0.05);
  ASSERT_TRUE(expected) << "naive Bayes beats the linear model on the ring";
  ASSERT_GE(expected->position, 500u);

  Challenged run("logistic_regression", "gaussian_nb", {.margin = 0.05, .window = 500});
  EXPECT_EQ(run.evaluator.challenger()->params().metric, "accuracy") << "the default metric";
  const std::optional<std::uint64_t> promoted_at = run.run(events, 0, events.size());
  ASSERT_TRUE(promoted_at);
  EXPECT_EQ(*promoted_at, expected->position);
  EXPECT_EQ(run.evaluator.model_version(), 2u);
  EXPECT_EQ(run.evaluator.model().describe(), "gaussian_nb");
  EXPECT_EQ(run.evaluator.challenger()->model().describe(), "logistic_regression")
      << "the former champion goes on as the challenger";
  EXPECT_EQ(run.evaluator.challenger()->promotions(), 1u) << "the linear model never wins back";

  ASSERT_EQ(run.sink.alerts.size(), 1u);
  const monitors::Alert& alert = run.sink.alerts[0];
  EXPECT_EQ(alert.kind, monitors::AlertKind::kPromotion);
  EXPECT_EQ(alert.id, "shadow/challenger/1");
  EXPECT_EQ(alert.pipeline, "shadow");
  EXPECT_EQ(alert.monitor, "challenger");
  EXPECT_EQ(alert.statistic, "accuracy");
  EXPECT_EQ(alert.model_version, 1u);
  EXPECT_EQ(alert.new_model_version, 2u);
  EXPECT_EQ(alert.model_action, "promotion");
  EXPECT_DOUBLE_EQ(alert.value, expected->challenger);
  EXPECT_DOUBLE_EQ(alert.threshold, expected->champion + 0.05);
  EXPECT_EQ(alert.current.count, 500u);
  EXPECT_EQ(alert.current.last_event, expected->position);
  EXPECT_EQ(alert.event_time_ms, events[expected->position].event_time_ms);
  ASSERT_EQ(alert.evidence.size(), 7u);
  EXPECT_EQ(alert.evidence[0].first, "champion_accuracy");
  EXPECT_DOUBLE_EQ(alert.evidence[0].second, expected->champion);
  EXPECT_EQ(alert.evidence[1].first, "challenger_accuracy");
  EXPECT_DOUBLE_EQ(alert.evidence[1].second, expected->challenger);
  EXPECT_EQ(alert.evidence[2], (std::pair<std::string, double>("margin", 0.05)));
  EXPECT_EQ(alert.evidence[3], (std::pair<std::string, double>("window", 500)));
  EXPECT_EQ(alert.evidence[5], (std::pair<std::string, double>(
                                   "events", static_cast<double>(expected->position + 1))));
  EXPECT_EQ(alert.evidence[6], (std::pair<std::string, double>("manual", 0)));
  const std::string json = monitors::to_json(alert);
  EXPECT_NE(json.find("\"kind\":\"promotion\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"model_action\":\"promotion\",\"action\":\"none\""), std::string::npos)
      << json;
}

TEST(ChallengerTest, WindowAndMarginDecideWhenAndWhether) {
  const auto events = ring_events(12, 6000);
  const auto early = first_promotion(events, "logistic_regression", "gaussian_nb", 200, 0.0);
  const auto late = first_promotion(events, "logistic_regression", "gaussian_nb", 2000, 0.2);
  ASSERT_TRUE(early && late);
  ASSERT_NE(early->position, late->position);
  Challenged a("logistic_regression", "gaussian_nb", {.margin = 0.0, .window = 200});
  EXPECT_EQ(a.run(events, 0, events.size()), early->position);
  Challenged b("logistic_regression", "gaussian_nb", {.margin = 0.2, .window = 2000});
  EXPECT_EQ(b.run(events, 0, events.size()), late->position);
  // A margin above any difference the stream shows: never promoted.
  ASSERT_FALSE(first_promotion(events, "logistic_regression", "gaussian_nb", 2000, 0.5));
  Challenged c("logistic_regression", "gaussian_nb", {.margin = 0.5, .window = 2000});
  EXPECT_EQ(c.run(events, 0, events.size()), std::nullopt);
  EXPECT_GE(c.evaluator.challenger()->compared(), 5990u) << "every event both predicted";
  EXPECT_TRUE(c.sink.alerts.empty());
}

TEST(ChallengerTest, AChallengerThatIsNotBetterIsNeverPromoted) {
  const auto events = ring_events(13, 6000);
  // Worse: the linear model against naive Bayes.
  Challenged worse("gaussian_nb", "logistic_regression", {.window = 300});
  EXPECT_EQ(worse.run(events, 0, events.size()), std::nullopt);
  EXPECT_LT(worse.evaluator.challenger()->challenger_value(),
            worse.evaluator.challenger()->champion_value());
  // Equal: the same model makes the same predictions; equal is not better by more than 0.
  Challenged same("gaussian_nb", "gaussian_nb", {.window = 300});
  EXPECT_EQ(same.run(events, 0, events.size()), std::nullopt);
  EXPECT_EQ(same.evaluator.challenger()->challenger_value(),
            same.evaluator.challenger()->champion_value());
  EXPECT_EQ(same.evaluator.model_version(), 1u);
}

TEST(ChallengerTest, ALowerIsBetterMetricPromotesTheLowerOne) {
  const auto events = ring_events(14, 4000);
  Challenged run("logistic_regression", "gaussian_nb",
                 {.metric = "log_loss", .margin = 0.05, .window = 500});
  ASSERT_TRUE(run.run(events, 0, events.size()));
  ASSERT_EQ(run.sink.alerts.size(), 1u);
  const monitors::Alert& alert = run.sink.alerts[0];
  EXPECT_EQ(alert.statistic, "log_loss");
  EXPECT_LT(alert.value, alert.threshold)
      << "the challenger's loss is below the champion's - margin";
  EXPECT_DOUBLE_EQ(alert.threshold, alert.evidence[0].second - 0.05);
}

TEST(ChallengerTest, ManualPromotionSwapsTheRolesWithTheirStates) {
  const auto events = ring_events(15, 3000);
  Challenged run("logistic_regression", "gaussian_nb", {.window = 1000, .auto_promote = false});
  run.run(events, 0, 700);
  EXPECT_EQ(run.evaluator.model_version(), 1u) << "no automatic promotion";
  const std::string champion_state = state_of(run.evaluator.model());
  const std::string challenger_state = state_of(run.evaluator.challenger()->model());
  ASSERT_TRUE(run.evaluator.promote_challenger());
  EXPECT_EQ(run.evaluator.model_version(), 2u);
  EXPECT_EQ(state_of(run.evaluator.model()), challenger_state);
  EXPECT_EQ(state_of(run.evaluator.challenger()->model()), champion_state);
  EXPECT_EQ(run.evaluator.challenger()->compared(), 0u) << "fresh comparison windows";
  ASSERT_EQ(run.sink.alerts.size(), 1u);
  EXPECT_EQ(run.sink.alerts[0].current.last_event, 699u);
  EXPECT_EQ(run.sink.alerts[0].evidence.back(), (std::pair<std::string, double>("manual", 1)));
  // The promoted model serves the next event: its prediction is the one made.
  core::ClassProbabilities expected;
  auto promoted = build("gaussian_nb");
  core::StateReader in(challenger_state);
  ASSERT_TRUE(promoted->load(in));
  promoted->predict_proba_one(events[700].features, expected);
  const Prediction& prediction = run.evaluator.predict(events[700]);
  EXPECT_EQ(prediction.model_version, 2u);
  EXPECT_EQ(prediction.proba.values(), expected.values());

  auto model = build("gaussian_nb");
  PrequentialEvaluator alone(*model, {});
  const core::Status none = alone.promote_challenger();
  ASSERT_FALSE(none);
  EXPECT_NE(none.message().find("no challenger"), std::string::npos);
}

TEST(ChallengerTest, PredictionsOfAnEarlierVersionAreNotComparedAfterAPromotion) {
  // With labels 50 events late, the 50 labels after a promotion score predictions that the former
  // roles made: the fresh comparison skips them.
  const auto events = ring_events(18, 700);
  Challenged run("logistic_regression", "gaussian_nb", {.window = 1000, .auto_promote = false});
  LabelDelayQueue queue(50);
  for (std::size_t i = 0; i < 500; ++i) run.evaluator.process_delayed(events[i], queue);
  // 450 labels revealed; the first 50 events were predicted before any label was learned.
  ASSERT_EQ(run.evaluator.challenger()->compared(), 400u);
  ASSERT_TRUE(run.evaluator.promote_challenger());
  for (std::size_t i = 500; i < 550; ++i) run.evaluator.process_delayed(events[i], queue);
  EXPECT_EQ(run.evaluator.challenger()->compared(), 0u);
  run.evaluator.process_delayed(events[550], queue);  // reveals event 500, predicted by version 2
  EXPECT_EQ(run.evaluator.challenger()->compared(), 1u);
}

TEST(ChallengerTest, DelayedLabelsScoreTheChallengerOnWhatItSaidAtPredictionTime) {
  const auto events = ring_events(16, 4000);
  // With a delay of 50 events the replay must keep both predictions until the label: the oracle
  // predicts at arrival and learns 50 events later.
  auto champion = build("logistic_regression");
  auto challenger_model = build("gaussian_nb");
  core::ClassProbabilities p, q;
  std::deque<std::pair<int, int>> pending;  // correct or not, per event
  std::uint64_t champion_correct = 0, challenger_correct = 0, compared = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i >= 50) {
      const auto [a, b] = pending.front();
      pending.pop_front();
      if (a >= 0 && b >= 0) {
        champion_correct += a;
        challenger_correct += b;
        ++compared;
      }
      champion->learn_one(events[i - 50].features, events[i - 50].label);
      challenger_model->learn_one(events[i - 50].features, events[i - 50].label);
    }
    champion->predict_proba_one(events[i].features, p);
    challenger_model->predict_proba_one(events[i].features, q);
    pending.emplace_back(p.empty() ? -1 : p.argmax() == events[i].label.class_id,
                         q.empty() ? -1 : q.argmax() == events[i].label.class_id);
  }
  Challenged run("logistic_regression", "gaussian_nb", {.window = 100'000, .auto_promote = false});
  LabelDelayQueue queue(50);
  for (const Event& event : events) run.evaluator.process_delayed(event, queue);
  run.evaluator.reveal_pending(queue);
  // The last 50 labels too.
  for (const auto& [a, b] : pending) {
    if (a >= 0 && b >= 0) {
      champion_correct += a;
      challenger_correct += b;
      ++compared;
    }
  }
  EXPECT_EQ(run.evaluator.challenger()->compared(), compared);
  EXPECT_DOUBLE_EQ(run.evaluator.challenger()->champion_value(),
                   static_cast<double>(champion_correct) / compared);
  EXPECT_DOUBLE_EQ(run.evaluator.challenger()->challenger_value(),
                   static_cast<double>(challenger_correct) / compared);
}

TEST(ChallengerTest, ACheckpointWithAChallengerAndAPromotedModelRestoresBitIdentically) {
  const auto events = ring_events(17, 5000);
  Challenged original("logistic_regression", "gaussian_nb", {.margin = 0.05, .window = 400});
  const std::optional<std::uint64_t> promoted_at = original.run(events, 0, 2500);
  ASSERT_TRUE(promoted_at) << "the saved state serves the promoted model, of another expression";
  core::StateWriter saved;
  original.evaluator.save(saved);

  Challenged restored("logistic_regression", "gaussian_nb", {.margin = 0.05, .window = 400});
  core::StateReader in(saved.bytes());
  const core::Status loaded = restored.evaluator.load(in);
  ASSERT_TRUE(loaded) << loaded.message();
  EXPECT_EQ(restored.evaluator.model().describe(), "gaussian_nb");
  EXPECT_EQ(restored.evaluator.challenger()->model().describe(), "logistic_regression");
  EXPECT_EQ(restored.evaluator.challenger()->promotions(), 1u);
  core::StateWriter again;
  restored.evaluator.save(again);
  EXPECT_EQ(again.bytes(), saved.bytes());

  // Both go on alike: the same predictions (of both models), the same final state.
  for (std::size_t i = 2500; i < events.size(); ++i) {
    const Prediction a = original.evaluator.predict(events[i]);
    const Prediction& b = restored.evaluator.predict(events[i]);
    ASSERT_EQ(a.proba.values(), b.proba.values()) << i;
    ASSERT_EQ(a.challenger_proba.values(), b.challenger_proba.values()) << i;
    ASSERT_EQ(a.model_version, b.model_version) << i;
    original.evaluator.learn(events[i].features, a, events[i].label);
    restored.evaluator.learn(events[i].features, b, events[i].label);
  }
  core::StateWriter end_original, end_restored;
  original.evaluator.save(end_original);
  restored.evaluator.save(end_restored);
  EXPECT_EQ(end_original.bytes(), end_restored.bytes());

  // Without a factory, the promoted model cannot be rebuilt: an error that says so.
  auto model = build("logistic_regression");
  PrequentialEvaluator no_factory(*model, {});
  no_factory.challenge_with(
      std::make_unique<Challenger>(build("gaussian_nb"), Challenger::Params{.window = 400}));
  auto monitor = ModelMonitor::create({.pipeline = "shadow"}, true, "label", restored.space);
  no_factory.monitor_with(std::move(*monitor));
  core::StateReader again_in(saved.bytes());
  const core::Status refused = no_factory.load(again_in);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.message().find("no model factory"), std::string::npos) << refused.message();
  EXPECT_EQ(no_factory.model_version(), 1u) << "unchanged on failure";

  // A run without the challenger refuses the checkpoint of one.
  auto plain_model = build("logistic_regression");
  PrequentialEvaluator plain(*plain_model, {});
  plain.build_models_with(registry_factory());
  plain.monitor_with(std::move(ModelMonitor::create({}, true, "label", restored.space)).value());
  core::StateReader plain_in(saved.bytes());
  const core::Status changed = plain.load(plain_in);
  ASSERT_FALSE(changed);
  EXPECT_NE(changed.message().find("had a challenger"), std::string::npos) << changed.message();
}

TEST(ChallengerTest, CreateRejectsWindowStepsAnotherTaskAndBadSettingsAtOnce) {
  core::FeatureSpace space;
  auto windowed = Challenger::create("window(events=5, agg=[mean(x)]) | gaussian_nb", {},
                                     learners::Task::kClassification, space, "model", "");
  ASSERT_FALSE(windowed);
  EXPECT_NE(windowed.status().message().find("has window steps"), std::string::npos);
  auto all = Challenger::create("linear_regression", {.metric = "mae", .margin = -1, .window = 0},
                                learners::Task::kClassification, space, "model", "");
  ASSERT_FALSE(all);
  const std::string message = all.status().message();
  EXPECT_NE(message.find("is a regression model but the serving model is a classifier"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("metric: 'mae' is not a classification metric"), std::string::npos)
      << message;
  EXPECT_NE(message.find("margin: must be"), std::string::npos) << message;
  EXPECT_NE(message.find("window: must be at least 1"), std::string::npos) << message;
  auto good = Challenger::create("standard_scaler | hoeffding_tree", {},
                                 learners::Task::kClassification, space, "model", "");
  ASSERT_TRUE(good) << good.status().message();
  EXPECT_EQ((*good)->params().metric, "accuracy");
  EXPECT_TRUE(Challenger::higher_is_better("r2"));
  EXPECT_FALSE(Challenger::higher_is_better("rmse"));
}

}  // namespace
}  // namespace streamlearn::stream
