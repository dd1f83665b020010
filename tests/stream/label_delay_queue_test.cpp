#include "stream/label_delay_queue.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "learners/learner_registry.h"
#include "stream/prequential_evaluator.h"
#include "tests/core/corrupted_states.h"
#include "tests/monitors/alert_text.h"

namespace streamlearn::stream {
namespace {

core::FeatureVector features_of(std::uint64_t position) {
  core::FeatureVector x;
  x.add_numeric(0, static_cast<double>(position));
  x.add_numeric(1, -static_cast<double>(position));
  return x;
}

Prediction prediction_at(std::uint64_t position) {
  Prediction prediction;
  prediction.proba.reset(2);
  prediction.proba[1] = static_cast<double>(position % 10) / 10.0;
  prediction.proba[0] = 1.0 - prediction.proba[1];
  prediction.value = core::Target::of_class(prediction.proba.argmax());
  prediction.position = position;
  prediction.time_ms = static_cast<std::int64_t>(position) * 1000;
  return prediction;
}

// The driver's protocol: before the event at `position`, reveal what is due; then push it.
std::vector<std::uint64_t> step(LabelDelayQueue& queue, std::uint64_t position, bool labelled) {
  std::vector<std::uint64_t> revealed;
  while (queue.front_due(position)) {
    revealed.push_back(queue.front().prediction.position);
    queue.pop();
  }
  if (labelled)
    queue.push(features_of(position), core::Target::of_class(position % 2 == 0 ? 1 : 0),
               prediction_at(position));
  return revealed;
}

TEST(LabelDelayQueueTest, UsageExampleRevealsEachLabelDelayEventsLate) {
  LabelDelayQueue pending(3);
  for (std::uint64_t position = 0; position < 10; ++position) {
    const auto revealed = step(pending, position, true);
    if (position < 3) {
      EXPECT_TRUE(revealed.empty()) << position;
    } else {
      ASSERT_EQ(revealed.size(), 1u) << position;
      EXPECT_EQ(revealed[0], position - 3);  // just before event i + 3 is predicted
    }
    EXPECT_LE(pending.size(), 3u);
  }
  EXPECT_EQ(pending.size(), 3u);  // 7, 8, 9 are still pending at the end
  for (std::uint64_t expected = 7; expected < 10; ++expected) {
    const LabelDelayQueue::Pending& oldest = pending.front();
    EXPECT_EQ(oldest.prediction.position, expected);
    EXPECT_EQ(oldest.features, features_of(expected));
    EXPECT_EQ(oldest.label, core::Target::of_class(expected % 2 == 0 ? 1 : 0));
    EXPECT_EQ(oldest.prediction.time_ms, static_cast<std::int64_t>(expected) * 1000);
    EXPECT_EQ(oldest.prediction.proba.values(), prediction_at(expected).proba.values());
    pending.pop();
  }
  EXPECT_TRUE(pending.empty());
}

TEST(LabelDelayQueueTest, UnlabelledEventsLeaveGapsButLabelsStayDueByPosition) {
  LabelDelayQueue pending(4);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> revealed_at;  // (label of, before event)
  for (std::uint64_t position = 0; position < 40; ++position)
    for (std::uint64_t revealed : step(pending, position, position % 3 != 1))
      revealed_at.emplace_back(revealed, position);
  ASSERT_FALSE(revealed_at.empty());
  for (const auto& [label_of, before] : revealed_at) {
    EXPECT_NE(label_of % 3, 1u) << "an unlabelled event was queued";
    EXPECT_EQ(before, label_of + 4);
  }
  EXPECT_LE(pending.slots(), 4u);
}

TEST(LabelDelayQueueTest, DelayZeroRevealsEachLabelBeforeTheNextEvent) {
  LabelDelayQueue pending(0);
  for (std::uint64_t position = 0; position < 20; ++position) {
    const auto revealed = step(pending, position, true);
    const std::vector<std::uint64_t> expected =
        position > 0 ? std::vector<std::uint64_t>{position - 1} : std::vector<std::uint64_t>{};
    EXPECT_EQ(revealed, expected);
    EXPECT_EQ(pending.size(), 1u);
  }
  EXPECT_EQ(pending.slots(), 1u);
}

TEST(LabelDelayQueueTest, KeepsCopiesThatDoNotChangeWithTheCallersBuffers) {
  LabelDelayQueue pending(10);
  core::FeatureVector x = features_of(5);
  Prediction prediction = prediction_at(5);
  core::Target label = core::Target::of_class(1);
  pending.push(x, label, prediction);
  // The caller reuses its buffers for the next event, as decoders and the evaluator do.
  x.clear();
  x.add_numeric(7, 42.0);
  prediction.proba[0] = 0.0;
  prediction.position = 6;
  label = core::Target::of_class(0);
  EXPECT_EQ(pending.front().features, features_of(5));
  EXPECT_EQ(pending.front().prediction.proba.values(), prediction_at(5).proba.values());
  EXPECT_EQ(pending.front().prediction.position, 5u);
  EXPECT_EQ(pending.front().label, core::Target::of_class(1));
}

TEST(LabelDelayQueueTest, SteadyStateReusesItsSlotsBuffers) {
  constexpr std::uint64_t kDelay = 50;
  LabelDelayQueue pending(kDelay);
  std::uint64_t position = 0;
  // One lap fills every slot; after that, each slot's buffers must be the same memory every lap.
  for (; position < kDelay; ++position) step(pending, position, true);
  ASSERT_EQ(pending.slots(), kDelay);
  std::vector<const core::NumericFeature*> features;
  std::vector<const double*> probabilities;
  for (std::uint64_t i = 0; i < kDelay; ++i, ++position) {
    features.push_back(pending.front().features.numeric().data());
    probabilities.push_back(pending.front().prediction.proba.values().data());
    step(pending, position, true);
  }
  for (int lap = 0; lap < 5; ++lap) {
    for (std::uint64_t i = 0; i < kDelay; ++i, ++position) {
      EXPECT_EQ(pending.front().features.numeric().data(), features[i]);
      EXPECT_EQ(pending.front().prediction.proba.values().data(), probabilities[i]);
      step(pending, position, true);
    }
  }
  EXPECT_EQ(pending.slots(), kDelay);
}

TEST(LabelDelayQueueTest, GrowsWithWhatIsPendingAndKeepsTheOrderAcrossTheWrap) {
  // A delay far above the stream's length allocates only for the events that are pending.
  LabelDelayQueue pending(std::numeric_limits<std::uint64_t>::max());
  for (std::uint64_t position = 0; position < 100; ++position) {
    EXPECT_TRUE(step(pending, position, true).empty()) << "no label is due, no wrap-around";
    // Pop a few early ones by hand so that the ring has wrapped when it next grows.
    if (position == 10) {
      for (int i = 0; i < 5; ++i) pending.pop();
    }
  }
  EXPECT_EQ(pending.size(), 95u);
  EXPECT_LE(pending.slots(), 128u);
  std::uint64_t expected = 5;
  while (!pending.empty()) {
    EXPECT_EQ(pending.front().prediction.position, expected);
    EXPECT_EQ(pending.front().features, features_of(expected));
    pending.pop();
    ++expected;
  }
  EXPECT_EQ(expected, 100u);
}


std::string pending_text(const LabelDelayQueue::Pending& pending) {
  std::string text = "revealed " + std::to_string(pending.prediction.position) + " label " +
                     std::to_string(pending.label.class_id) + " v" +
                     std::to_string(pending.prediction.model_version) + " t " +
                     std::to_string(pending.prediction.time_ms);
  for (const core::NumericFeature& feature : pending.features.numeric())
    text += " " + std::to_string(feature.id) + "=" + testing::bits(feature.value);
  for (double p : pending.prediction.proba.values()) text += " " + testing::bits(p);
  return text;
}

// The driver's protocol over [from, to), recording every label revealed; 1 in 5 unlabelled.
void run_protocol(LabelDelayQueue& queue, std::uint64_t from, std::uint64_t to,
                  std::vector<std::string>& out) {
  for (std::uint64_t position = from; position < to; ++position) {
    while (queue.front_due(position)) {
      out.push_back(pending_text(queue.front()));
      queue.pop();
    }
    if (position % 5 != 3)
      queue.push(features_of(position), core::Target::of_class(position % 2 == 0 ? 1 : 0),
                 prediction_at(position));
  }
  out.push_back("pending " + std::to_string(queue.size()));
}

struct Names {
  Names() {
    space.feature("a");
    space.feature("b");
    classes.intern("0");
  }
  core::FeatureSpace space;
  core::ClassSet classes;
};

std::string saved(const LabelDelayQueue& queue) {
  core::StateWriter out;
  queue.save(out);
  return out.bytes();
}

TEST(LabelDelayQueueTest, RestoredQueueRevealsTheSameLabelsAtTheSamePositions) {
  const Names names;
  for (std::uint64_t delay : {0u, 1u, 7u, 40u}) {
    for (std::uint64_t cut : {0u, 3u, 25u, 100u, 173u}) {
      SCOPED_TRACE("delay " + std::to_string(delay) + ", cut at " + std::to_string(cut));
      LabelDelayQueue original(delay);
      std::vector<std::string> before;
      run_protocol(original, 0, cut, before);
      const std::string state = saved(original);
      LabelDelayQueue restored(delay);
      core::StateReader in(state);
      const core::Status loaded = restored.load(in, names.space, names.classes);
      ASSERT_TRUE(loaded.is_ok()) << loaded.message();
      EXPECT_TRUE(in.at_end());
      EXPECT_EQ(saved(restored), state);
      std::vector<std::string> after_original, after_restored;
      run_protocol(original, cut, 300, after_original);
      run_protocol(restored, cut, 300, after_restored);
      EXPECT_EQ(after_restored, after_original);
      EXPECT_EQ(saved(restored), saved(original));
    }
  }
}

TEST(LabelDelayQueueTest, LoadRefusesAnotherDelayAndUnknownIds) {
  const Names names;
  LabelDelayQueue original(10);
  std::vector<std::string> out;
  run_protocol(original, 0, 30, out);
  const std::string state = saved(original);
  LabelDelayQueue other(5);
  core::StateReader in(state);
  const core::Status status = other.load(in, names.space, names.classes);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("delays labels by 10 events, this run by 5"), std::string::npos)
      << status.message();
  LabelDelayQueue same(10);
  core::ClassSet no_classes;
  core::StateReader again(state);
  EXPECT_FALSE(same.load(again, names.space, no_classes).is_ok()) << "class 1 is unknown";
  EXPECT_TRUE(same.empty());
}

TEST(LabelDelayQueueTest, CorruptStatesFailOrRunOnNeverCrash) {
  // Restored beside an evaluator whose position may not match the corrupt queue's: the run must
  // go on within the queue's bound.
  Names names;
  names.classes.intern("1");
  LabelDelayQueue original(25);
  std::vector<std::string> out;
  run_protocol(original, 0, 60, out);
  testing::for_each_corrupted_state(saved(original), 14, 300, [&](const std::string& bytes) {
    LabelDelayQueue restored(25);
    core::StateReader in(bytes);
    if (!restored.load(in, names.space, names.classes).is_ok()) return;
    auto model = learners::LearnerRegistry::builtin().build("gaussian_nb");
    PrequentialEvaluator evaluator(**model, {});
    Event event;
    for (std::uint64_t position = 0; position < 100; ++position) {
      event.features = features_of(position);
      event.label = core::Target::of_class(position % 2);
      evaluator.process_delayed(event, restored);
      ASSERT_LE(restored.size(), 25u);
    }
    evaluator.reveal_pending(restored);
  });
}

}  // namespace
}  // namespace streamlearn::stream
