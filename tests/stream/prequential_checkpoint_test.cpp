// The evaluation side of a checkpoint: FeatureSpace, ClassSet, PrequentialEvaluator (model,
// background model, metrics, ModelMonitor) and LabelDelayQueue saved at a cut point, restored into
// objects built afresh from the same configuration, and run on: everything after the cut must be
// what the uninterrupted run gave, bit for bit.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "learners/learner_registry.h"
#include "monitors/alerts/alert_sink.h"
#include "stream/label_delay_queue.h"
#include "stream/model_monitor.h"
#include "stream/prequential_evaluator.h"
#include "tests/core/corrupted_states.h"
#include "tests/monitors/alert_text.h"

namespace streamlearn::stream {
namespace {

using monitors::WindowLength;
using testing::alert_text;
using testing::bits;

// One event as a source delivers it: names, not ids (each run interns them in its own space).
struct SourceEvent {
  double x0 = 0.0;
  double x1 = 0.0;
  std::string color;
  bool has_x_new = false;
  double x_new = 0.0;
  std::string label;  // empty: unlabelled
  std::int64_t time_ms = 0;
};

// The concept is x0 + x1 > 0, flipped to x0 - x1 > 0 on [2000, 3500), then x0 + x1 > 1 (fewer
// positives: the labels drift too); x0 shifts by +1.5 from 2000;
// the colours' mix changes from 3500; x_new appears at 2600; 10% of the events are unlabelled.
// Events are a second apart, with an hour's gap at 4000.
std::vector<SourceEvent> source_events(std::uint64_t seed, std::size_t count) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<SourceEvent> events(count);
  for (std::size_t i = 0; i < count; ++i) {
    SourceEvent& event = events[i];
    event.x0 = normal(rng) + (i >= 2000 ? 1.5 : 0.0);
    event.x1 = normal(rng) + (i >= 4300 ? 1.0 : 0.0);
    const double u = uniform(rng);
    if (i < 3500)
      event.color = u < 0.5 ? "red" : u < 0.9 ? "blue" : "green";
    else
      event.color = u < 0.1 ? "red" : u < 0.3 ? "blue" : u < 0.6 ? "green" : "violet";
    event.has_x_new = i >= 2600;
    event.x_new = normal(rng);
    const double x0 = event.x0 - (i >= 2000 ? 1.5 : 0.0);
    const double x1 = event.x1 - (i >= 4300 ? 1.0 : 0.0);
    const bool positive = i < 2000 ? x0 + x1 > 0 : i < 3500 ? x0 - x1 > 0 : x0 + event.x1 > 1.0;
    if (uniform(rng) >= 0.1) event.label = positive ? "yes" : "no";
    event.time_ms =
        1'700'000'000'000 + static_cast<std::int64_t>(i) * 1000 + (i >= 4000 ? 3'600'000 : 0);
  }
  return events;
}

struct Config {
  std::string name;
  OnDrift on_drift;
  std::string detector;
  std::string model;
  std::uint64_t delay_events;
  bool listed_features;  // else every feature, up to 3
};

const Config kBackground{"background",
                         OnDrift::kBackground,
                         "ddm",
                         "bucketize(cols=[x1], edges=[-1, 0, 1]) | cross(cols=[x0, color]) | "
                         "standard_scaler | logistic_regression",
                         20,
                         true};
const Config kReset{"reset", OnDrift::kReset, "adwin", "hoeffding_tree", 0, false};

std::int64_t fixed_wall_clock() { return 1'800'000'000'000; }

std::string prediction_text(const Prediction& prediction) {
  std::string text =
      "prediction " + std::to_string(prediction.position) + " t " +
      std::to_string(prediction.time_ms) + " v" + std::to_string(prediction.model_version) +
      " kind " + std::to_string(static_cast<int>(prediction.value.kind)) + " " +
      std::to_string(prediction.value.class_id) + " " + bits(prediction.value.value) + " proba";
  for (double p : prediction.proba.values()) text += " " + bits(p);
  return text;
}

// Appends every alert, as text, to the run's outputs, where they interleave with the events.
class RecordingSink final : public monitors::AlertSink {
 public:
  explicit RecordingSink(std::vector<std::string>& outputs) : outputs_(outputs) {}
  void publish(const monitors::Alert& alert) override { outputs_.push_back(alert_text(alert)); }
  core::Status flush() override { return core::Status::ok(); }

 private:
  std::vector<std::string>& outputs_;
};

ModelMonitor::Params monitor_params(const Config& config) {
  ModelMonitor::Params params;
  params.pipeline = "checkpoint";
  params.drift_detector = config.detector;
  params.concept_policy.min_samples = 30;
  params.performance.push_back({"accuracy_drop",
                                {.metric = "accuracy",
                                 .reference = WindowLength::events(150),
                                 .window = WindowLength::events(100),
                                 .step = WindowLength::events(50)}});
  params.performance.push_back(
      {"loss_rise",
       {.metric = "log_loss",
        .reference = WindowLength::milliseconds(300'000),
        .window = WindowLength::milliseconds(200'000),
        .step = WindowLength::milliseconds(100'000),
        .policy = {.threshold = 0.05, .cooldown = WindowLength::milliseconds(600'000)}}});
  ModelMonitor::FeatureDrift drift;
  if (config.listed_features)
    drift.features = {"x0", "color", "x_new"};
  else
    drift.max_features = 3;
  drift.params.reference = WindowLength::events(300);
  drift.params.window = WindowLength::events(200);
  drift.params.step = WindowLength::events(100);
  drift.params.policy.cooldown = WindowLength::events(400);
  params.feature_drift = drift;
  monitors::DataDriftMonitor::Params target;
  target.reference = WindowLength::events(300);
  target.window = WindowLength::milliseconds(300'000);
  target.step = WindowLength::milliseconds(100'000);
  params.prediction_drift = target;
  params.label_drift = target;
  return params;
}

// The evaluation side of a pipeline built from a Config, as `evaluate --delay` builds it: the
// model expression and the monitor intern names in the space when they are built.
class EvaluationRun {
 public:
  explicit EvaluationRun(const Config& config)
      : model_(learners::LearnerRegistry::builtin().build(config.model, &space_).value()),
        evaluator_(*model_, {.rolling_window = 150, .on_drift = config.on_drift}),
        pending_(config.delay_events),
        sink_(outputs_) {
    std::unique_ptr<ModelMonitor> monitor =
        std::move(ModelMonitor::create(monitor_params(config), true, "label", space_).value());
    monitor->add_sink(&sink_);
    monitor->use_class_names(&classes_);
    monitor->use_wall_clock(&fixed_wall_clock);
    evaluator_.monitor_with(std::move(monitor));
  }

  void process(const SourceEvent& source) {
    event_.clear();
    event_.event_time_ms = source.time_ms;
    event_.features.add_numeric(space_.feature("x0"), source.x0);
    event_.features.add_numeric(space_.feature("x1"), source.x1);
    if (source.has_x_new) event_.features.add_numeric(space_.feature("x_new"), source.x_new);
    const core::FeatureId color = space_.feature("color");
    const core::SymbolId value = space_.value(source.color);
    event_.features.add_categorical(color, value, space_.indicator(color, value));
    if (!source.label.empty()) event_.label = core::Target::of_class(classes_.intern(source.label));
    evaluator_.process_delayed(event_, pending_);
    // What the model says now about this event, and the oldest prediction awaiting its label
    // (every labelled event's prediction gets there before it is revealed).
    evaluator_.model().predict_proba_one(event_.features, probe_);
    std::string line = "event " + std::to_string(evaluator_.events()) + " model";
    for (double p : probe_.values()) line += " " + bits(p);
    if (!pending_.empty()) line += " oldest " + prediction_text(pending_.front().prediction);
    outputs_.push_back(std::move(line));
  }

  void finish() {
    evaluator_.reveal_pending(pending_);
    std::vector<std::pair<std::string, double>> metrics;
    evaluator_.report(metrics);
    for (const auto& [name, value] : metrics) outputs_.push_back(name + " " + bits(value));
    const ModelMonitor& monitor = *evaluator_.monitor();
    std::string counts = "events " + std::to_string(evaluator_.events()) + " scored " +
                         std::to_string(evaluator_.scored()) + " learned " +
                         std::to_string(evaluator_.learned()) + " version " +
                         std::to_string(evaluator_.model_version()) + " alerts " +
                         std::to_string(monitor.alerts_fired()) + " over_cap " +
                         std::to_string(monitor.features_over_cap()) + " drifts";
    for (std::uint64_t position : monitor.drift_positions())
      counts += " " + std::to_string(position);
    outputs_.push_back(counts);
    for (const monitors::Alert& alert : monitor.kept_alerts())
      outputs_.push_back("kept " + alert_text(alert));
  }

  // The checkpoint, in the order a restore needs: names first, then what refers to them.
  std::string save() const {
    core::StateWriter out;
    space_.save(out);
    classes_.save(out);
    evaluator_.save(out);
    pending_.save(out);
    return out.bytes();
  }

  core::Status load(const std::string& bytes) {
    core::StateReader in(bytes);
    SL_RETURN_IF_ERROR(space_.load(in));
    SL_RETURN_IF_ERROR(classes_.load(in));
    SL_RETURN_IF_ERROR(evaluator_.load(in));
    SL_RETURN_IF_ERROR(pending_.load(in, space_, classes_));
    if (!in.at_end()) return core::Status::error("trailing bytes");
    return core::Status::ok();
  }

  const std::vector<std::string>& outputs() const { return outputs_; }
  const PrequentialEvaluator& evaluator() const { return evaluator_; }
  const LabelDelayQueue& pending() const { return pending_; }

 private:
  core::FeatureSpace space_;
  core::ClassSet classes_;
  std::unique_ptr<learners::Learner> model_;
  PrequentialEvaluator evaluator_;
  LabelDelayQueue pending_;
  std::vector<std::string> outputs_;
  RecordingSink sink_;
  Event event_;
  core::ClassProbabilities probe_;
};

std::size_t count_lines_with(const std::vector<std::string>& lines, std::size_t from,
                             const std::string& text) {
  std::size_t count = 0;
  for (std::size_t i = from; i < lines.size(); ++i)
    count += lines[i].find(text) != std::string::npos;
  return count;
}

// Runs the whole stream once, saving at every cut; then, for each cut, restores a fresh run from
// its checkpoint and runs it to the end: its outputs must be the rest of the uninterrupted run's.
void expect_restored_runs_match(const Config& config, const std::vector<std::size_t>& cuts) {
  const std::vector<SourceEvent> events = source_events(2026, 5000);
  EvaluationRun reference(config);
  std::vector<std::string> checkpoints(cuts.size());
  std::vector<std::size_t> outputs_at_cut(cuts.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    for (std::size_t c = 0; c < cuts.size(); ++c) {
      if (cuts[c] != i) continue;
      checkpoints[c] = reference.save();
      outputs_at_cut[c] = reference.outputs().size();
    }
    reference.process(events[i]);
  }
  reference.finish();
  const std::string final_state = reference.save();

  for (std::size_t c = 0; c < cuts.size(); ++c) {
    SCOPED_TRACE(config.name + ", cut at event " + std::to_string(cuts[c]));
    EvaluationRun restored(config);
    const core::Status loaded = restored.load(checkpoints[c]);
    ASSERT_TRUE(loaded.is_ok()) << loaded.message();
    ASSERT_EQ(restored.save(), checkpoints[c]) << "saving a restored state gives other bytes";
    for (std::size_t i = cuts[c]; i < events.size(); ++i) restored.process(events[i]);
    restored.finish();
    const std::vector<std::string> expected(
        reference.outputs().begin() + static_cast<std::ptrdiff_t>(outputs_at_cut[c]),
        reference.outputs().end());
    const std::vector<std::string>& outputs = restored.outputs();
    for (std::size_t i = 0; i < std::min(outputs.size(), expected.size()); ++i)
      ASSERT_EQ(outputs[i], expected[i]) << "output " << i << " after the cut";
    ASSERT_EQ(outputs.size(), expected.size());
    EXPECT_EQ(restored.save(), final_state);
  }
}

// The cuts: early (references filling), while a background model trains (if one does), with
// labels pending, and late; and what happens after the first cut that must happen for the test
// to mean much.
std::vector<std::size_t> cuts_for(const Config& config) {
  const std::vector<SourceEvent> events = source_events(2026, 5000);
  EvaluationRun scout(config);
  std::vector<std::size_t> cuts = {150, 1999};
  bool background_cut = config.on_drift != OnDrift::kBackground;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!background_cut && i >= 2000 && scout.evaluator().training_background_model() &&
        !scout.pending().empty()) {
      cuts.push_back(i);
      background_cut = true;
    }
    scout.process(events[i]);
  }
  EXPECT_TRUE(background_cut) << "no background model trained after event 2000";
  cuts.push_back(4100);
  return cuts;
}

TEST(PrequentialCheckpointTest, RestoredRunContinuesBitForBitWithABackgroundModel) {
  const std::vector<std::size_t> cuts = cuts_for(kBackground);
  ASSERT_EQ(cuts.size(), 4u);
  // After the 1999 cut the run must swap models on drift and raise every kind of alert.
  EvaluationRun run(kBackground);
  const std::vector<SourceEvent> events = source_events(2026, 5000);
  std::size_t at_cut = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i == 1999) at_cut = run.outputs().size();
    run.process(events[i]);
  }
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, " concept "), 0u);
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, " swap"), 0u);
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, "feature_drift x0 data"), 0u);
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, "feature_drift color data"), 0u);
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, "feature_drift x_new data"), 0u);
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, " performance "), 0u);
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, "label_drift"), 0u);
  expect_restored_runs_match(kBackground, cuts);
}

TEST(PrequentialCheckpointTest, RestoredRunContinuesBitForBitWithResets) {
  EvaluationRun run(kReset);
  const std::vector<SourceEvent> events = source_events(2026, 5000);
  std::size_t at_cut = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i == 1999) at_cut = run.outputs().size();
    run.process(events[i]);
  }
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, " reset"), 0u);
  EXPECT_GT(count_lines_with(run.outputs(), at_cut, "feature_drift"), 0u);
  expect_restored_runs_match(kReset, cuts_for(kReset));
}

TEST(PrequentialCheckpointTest, ConfigurationChangesAreNamedNotMisread) {
  const std::vector<SourceEvent> events = source_events(7, 600);
  EvaluationRun run(kBackground);
  for (const SourceEvent& event : events) run.process(event);
  const std::string checkpoint = run.save();

  Config other_model = kBackground;
  other_model.model =
      "bucketize(cols=[x1], edges=[-1, 0, 1]) | cross(cols=[x0, color]) | standard_scaler | "
      "logistic_regression(l2=0.01)";
  const core::Status model = EvaluationRun(other_model).load(checkpoint);
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.message().find("configuration changed"), std::string::npos) << model.message();
  EXPECT_NE(model.message().find("l2=0.01"), std::string::npos) << model.message();

  // A model that interns other names at build time: the ids of the names differ.
  Config other_names = kBackground;
  other_names.model = "gaussian_nb";
  const core::Status names = EvaluationRun(other_names).load(checkpoint);
  ASSERT_FALSE(names.is_ok());
  EXPECT_NE(names.message().find("feature names: id 0 is 'x0' in this pipeline but 'x1' in the "
                                 "checkpoint: the configuration changed"),
            std::string::npos)
      << names.message();

  Config other_drift = kBackground;
  other_drift.on_drift = OnDrift::kReset;
  const core::Status drift = EvaluationRun(other_drift).load(checkpoint);
  ASSERT_FALSE(drift.is_ok());
  EXPECT_NE(drift.message().find("on_drift was background"), std::string::npos) << drift.message();

  Config other_detector = kBackground;
  other_detector.detector = "adwin";
  const core::Status detector = EvaluationRun(other_detector).load(checkpoint);
  ASSERT_FALSE(detector.is_ok());
  EXPECT_NE(detector.message().find("ddm"), std::string::npos) << detector.message();

  Config other_delay = kBackground;
  other_delay.delay_events = 5;
  const core::Status delay = EvaluationRun(other_delay).load(checkpoint);
  ASSERT_FALSE(delay.is_ok());
  EXPECT_NE(delay.message().find("delays labels by 20"), std::string::npos) << delay.message();
}

TEST(PrequentialCheckpointTest, CorruptCheckpointsFailOrRunOnNeverCrash) {
  const std::vector<SourceEvent> events = source_events(11, 2600);
  EvaluationRun run(kBackground);
  for (std::size_t i = 0; i < 2300; ++i) run.process(events[i]);
  const std::string checkpoint = run.save();
  std::size_t loaded = 0, failed = 0;
  testing::for_each_corrupted_state(checkpoint, 5, 300, [&](const std::string& bytes) {
    EvaluationRun restored(kBackground);
    if (!restored.load(bytes).is_ok()) {
      ++failed;
      return;
    }
    ++loaded;
    // A state that loads is one the run can go on with.
    for (std::size_t i = 2300; i < events.size(); ++i) restored.process(events[i]);
    restored.finish();
    EXPECT_FALSE(restored.save().empty());
  });
  EXPECT_GT(failed, 300u) << "every truncation must fail";
  EXPECT_GT(loaded, 0u) << "a flipped byte in a number is still a state";
}

}  // namespace
}  // namespace streamlearn::stream
