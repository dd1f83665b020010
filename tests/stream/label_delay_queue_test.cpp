#include "stream/label_delay_queue.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

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

}  // namespace
}  // namespace streamlearn::stream
