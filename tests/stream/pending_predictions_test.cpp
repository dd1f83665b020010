#include "stream/pending_predictions.h"

#include <gtest/gtest.h>

#include <string>

namespace streamlearn::stream {
namespace {

Prediction at_time(std::int64_t time_ms, std::uint64_t position) {
  Prediction prediction;
  prediction.value = core::Target::of_class(1);
  prediction.time_ms = time_ms;
  prediction.position = position;
  return prediction;
}

core::FeatureVector features(double value) {
  core::FeatureVector x;
  x.add_numeric(0, value);
  return x;
}

TEST(PendingPredictionsTest, FindsByIdWithTheFeaturesAndPredictionKept) {
  PendingPredictions pending(10, 1000);
  pending.add("e1", features(1.5), at_time(100, 0));
  pending.add("e2", features(2.5), at_time(101, 1));
  const PendingPredictions::Entry* entry = pending.find("e2");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->features, features(2.5));
  EXPECT_EQ(entry->prediction.position, 1u);
  pending.remove("e2");
  EXPECT_EQ(pending.find("e2"), nullptr);
  EXPECT_NE(pending.find("e1"), nullptr);
  EXPECT_EQ(pending.size(), 1u);
}

TEST(PendingPredictionsTest, EvictsTheOldestWhenFull) {
  PendingPredictions pending(3, 1'000'000);
  for (int i = 0; i < 5; ++i) pending.add("e" + std::to_string(i), features(i), at_time(i, i));
  EXPECT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending.evicted(), 2u);
  EXPECT_EQ(pending.find("e0"), nullptr);
  EXPECT_EQ(pending.find("e1"), nullptr);
  EXPECT_NE(pending.find("e2"), nullptr);
  EXPECT_NE(pending.find("e4"), nullptr);
}

TEST(PendingPredictionsTest, ExpiresInEventTimeAfterTheTtl) {
  PendingPredictions pending(100, 50);
  pending.add("a", features(0), at_time(1000, 0));
  pending.add("b", features(0), at_time(1020, 1));
  EXPECT_EQ(pending.expire(1050), 0u);  // exactly the TTL: still pending
  EXPECT_EQ(pending.expire(1051), 1u);
  EXPECT_EQ(pending.find("a"), nullptr);
  EXPECT_NE(pending.find("b"), nullptr);
  EXPECT_EQ(pending.expire(10'000), 1u);
  EXPECT_EQ(pending.expired(), 2u);
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingPredictionsTest, EntriesWithoutTimeExpireOnlyByCapacity) {
  PendingPredictions pending(2, 10);
  pending.add("a", features(0), at_time(Event::kNoTime, 0));
  EXPECT_EQ(pending.expire(1'000'000), 0u);
  EXPECT_NE(pending.find("a"), nullptr);
}

TEST(PendingPredictionsTest, ASecondPredictionForAnIdReplacesTheFirst) {
  PendingPredictions pending(10, 1000);
  pending.add("a", features(1), at_time(0, 0));
  pending.add("a", features(2), at_time(5, 7));
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.replaced(), 1u);
  EXPECT_EQ(pending.find("a")->prediction.position, 7u);
  EXPECT_EQ(pending.find("a")->features, features(2));
}

TEST(PendingPredictionsTest, MatchedEntriesBehindALongWaiterKeepTheQueueBounded) {
  // One entry never labelled (and without time) at the front; millions matched behind it.
  PendingPredictions pending(10, 1000);
  pending.add("waiter", features(0), at_time(Event::kNoTime, 0));
  for (int i = 0; i < 200'000; ++i) {
    const std::string id = "e" + std::to_string(i);
    pending.add(id, features(i), at_time(i, i));
    pending.remove(id);
  }
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.evicted(), 0u);
  EXPECT_NE(pending.find("waiter"), nullptr);
  // Capacity still counts live entries only.
  for (int i = 0; i < 9; ++i) pending.add("k" + std::to_string(i), features(i), at_time(i, i));
  EXPECT_EQ(pending.evicted(), 0u);
  pending.add("overflow", features(0), at_time(0, 0));
  EXPECT_EQ(pending.evicted(), 1u);
  EXPECT_EQ(pending.find("waiter"), nullptr);
}

}  // namespace
}  // namespace streamlearn::stream
