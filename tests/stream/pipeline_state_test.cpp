// PipelineState: the parts of a pipeline as one payload, its header readable alone, and the
// configuration checks of load() (another model, another --delay, another command).

#include "stream/pipeline_state.h"

#include <gtest/gtest.h>

#include <string>

#include "learners/learner_registry.h"
#include "stream/challenger.h"
#include "stream/pipeline_model.h"

namespace streamlearn::stream {
namespace {

/// A pipeline's parts built from an expression, as `evaluate` builds them.
struct Built {
  explicit Built(const std::string& expression, std::uint64_t delay = 0)
      : model(std::move(PipelineModel::build(expression, space)).value()),
        evaluator(*model.learner, {}) {
    if (delay > 0) delayed.emplace(delay);
  }
  PipelineState::Parts parts() {
    return {.model = model.describe(),
            .space = &space,
            .classes = &classes,
            .windows = model.features.get(),
            .evaluator = &evaluator,
            .delayed = delayed ? &*delayed : nullptr};
  }
  void feed(int count) {
    const core::FeatureId x = space.feature("x");
    for (int i = 0; i < count; ++i) {
      Event event;
      event.features.add_numeric(x, i % 7);
      event.label = core::Target::of_class(classes.intern(i % 3 == 0 ? "a" : "b"));
      evaluator.process(event);
    }
  }

  core::FeatureSpace space;
  core::ClassSet classes;
  PipelineModel model;
  PrequentialEvaluator evaluator;
  std::optional<LabelDelayQueue> delayed;
};

constexpr const char* kModel = "window(events=5, agg=[mean(x)]) | gaussian_nb";

TEST(PipelineStateTest, RestoresThePartsAndThePositionAndReadsItsHeaderAlone) {
  Built original(kModel);
  original.feed(100);
  const std::string payload = PipelineState::save(
      original.parts(), [](core::StateWriter& out) { out.write<std::uint64_t>(4242); });
  auto header = PipelineState::header(payload);
  ASSERT_TRUE(header) << header.status().message();
  EXPECT_EQ(header->model, original.model.describe());
  EXPECT_EQ(header->events, 100u);
  EXPECT_GT(header->saved_at_ms, 1'700'000'000'000);

  Built restored(kModel);
  std::uint64_t position = 0;
  const core::Status loaded =
      PipelineState::load(payload, restored.parts(), [&](core::StateReader& in) {
        return in.read(position) ? core::Status::ok() : in.status("position");
      });
  ASSERT_TRUE(loaded) << loaded.message();
  EXPECT_EQ(position, 4242u);
  EXPECT_EQ(restored.evaluator.events(), 100u);
  // Saved again, the same bytes but the time of the save.
  const std::string again = PipelineState::save(
      restored.parts(), [](core::StateWriter& out) { out.write<std::uint64_t>(4242); });
  EXPECT_EQ(again.size(), payload.size());
}

TEST(PipelineStateTest, AnotherConfigurationIsAnErrorSayingWhatDiffers) {
  Built original(kModel, 10);
  original.feed(50);
  const std::string payload = PipelineState::save(original.parts(), [](core::StateWriter&) {});
  const auto no_position = [](core::StateReader&) { return core::Status::ok(); };

  Built other_model("window(events=6, agg=[mean(x)]) | gaussian_nb", 10);
  const core::Status model = PipelineState::load(payload, other_model.parts(), no_position);
  ASSERT_FALSE(model);
  EXPECT_NE(model.message().find("the configuration builds 'window(events=6"), std::string::npos)
      << model.message();

  Built undelayed(kModel);
  const core::Status delay = PipelineState::load(payload, undelayed.parts(), no_position);
  ASSERT_FALSE(delay);
  EXPECT_NE(delay.message().find("use the same --delay"), std::string::npos) << delay.message();

  Built truncated(kModel, 10);
  const core::Status cut =
      PipelineState::load(payload.substr(0, payload.size() / 2), truncated.parts(), no_position);
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.message().find("truncated, corrupt"), std::string::npos) << cut.message();
}

TEST(PipelineStateTest, AChallengerIsPartOfTheStateAndARestoredRunGoesOnBitIdentically) {
  // Built as `run` builds it: window steps shared, the challenger a learner expression after them,
  // and labels waiting in the delay queue with both models' predictions.
  struct Challenged : Built {
    Challenged() : Built(kModel, 7) {
      evaluator.build_models_with([this](std::string_view expression) {
        return learners::LearnerRegistry::builtin().build(expression, &space);
      });
      evaluator.challenge_with(
          std::move(Challenger::create("standard_scaler | hoeffding_tree(grace_period=50)",
                                       {.window = 60}, learners::Task::kClassification, space,
                                       "model", ""))
              .value());
      evaluator.monitor_with(std::move(ModelMonitor::create({}, true, "label", space)).value());
    }
    void feed_delayed(int from, int to) {
      const core::FeatureId x = space.feature("x");
      for (int i = from; i < to; ++i) {
        Event event;
        event.features.add_numeric(x, i % 7);
        event.label = core::Target::of_class(classes.intern(i % 7 < 3 ? "a" : "b"));
        if (model.features->apply(event)) continue;
        evaluator.process_delayed(event, *delayed);
      }
    }
  };
  Challenged original;
  original.feed_delayed(0, 400);
  ASSERT_GE(original.evaluator.challenger()->compared(), 60u);
  const std::string payload = PipelineState::save(original.parts(), [](core::StateWriter&) {});
  Challenged restored;
  const core::Status loaded = PipelineState::load(
      payload, restored.parts(), [](core::StateReader&) { return core::Status::ok(); });
  ASSERT_TRUE(loaded) << loaded.message();
  original.feed_delayed(400, 900);
  restored.feed_delayed(400, 900);
  const auto state = [](Challenged& built) {
    core::StateWriter out;
    built.evaluator.save(out);
    built.delayed->save(out);
    return std::string(out.bytes());
  };
  EXPECT_EQ(state(original), state(restored));
  EXPECT_EQ(original.evaluator.challenger()->compared(),
            restored.evaluator.challenger()->compared());

  // The checkpoint of a run with a challenger does not restore into one without.
  Built plain(kModel, 7);
  const core::Status refused = PipelineState::load(
      payload, plain.parts(), [](core::StateReader&) { return core::Status::ok(); });
  EXPECT_FALSE(refused);
}

}  // namespace
}  // namespace streamlearn::stream
