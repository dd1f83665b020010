#include "monitors/metrics/accuracy.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace streamlearn::monitors {
namespace {

TEST(AccuracyTest, MatchesRiverExample) {
  // River's Accuracy docstring: 3 of 5 right is 60%.
  Accuracy accuracy;
  const std::vector<core::ClassId> y_true = {1, 0, 1, 1, 1};
  const std::vector<core::ClassId> y_pred = {1, 1, 0, 1, 1};
  for (std::size_t i = 0; i < y_true.size(); ++i) accuracy.update(y_true[i], y_pred[i]);
  EXPECT_DOUBLE_EQ(accuracy.get(), 0.6);
  EXPECT_EQ(accuracy.count(), 5u);
}

TEST(AccuracyTest, EqualsBatchFractionOfMatchesOnSeededMulticlassData) {
  std::mt19937_64 rng(31);
  std::uniform_int_distribution<core::ClassId> label(0, 4);
  Accuracy accuracy;
  int matches = 0;
  for (int i = 0; i < 3000; ++i) {
    const core::ClassId y = label(rng);
    const core::ClassId prediction = i % 3 == 0 ? y : label(rng);
    matches += y == prediction;
    accuracy.update(y, prediction);
  }
  EXPECT_DOUBLE_EQ(accuracy.get(), matches / 3000.0);
}

TEST(AccuracyTest, NoEventsGiveZero) { EXPECT_EQ(Accuracy().get(), 0.0); }

TEST(AccuracyTest, RevertUndoesUpdateExactly) {
  Accuracy accuracy;
  accuracy.update(0, 0);
  accuracy.update(1, 0);
  const double before = accuracy.get();
  accuracy.update(2, 2);
  accuracy.revert(2, 2);
  EXPECT_EQ(accuracy.get(), before);
  EXPECT_EQ(accuracy.count(), 2u);
}

TEST(AccuracyTest, MergeAddsCounts) {
  Accuracy left, right;
  left.update(0, 0);
  right.update(1, 0);
  right.update(1, 1);
  left.merge(right);
  EXPECT_EQ(left.count(), 3u);
  EXPECT_DOUBLE_EQ(left.get(), 2.0 / 3.0);
}

TEST(AccuracyTest, SaveLoadRoundTripsAndRejectsImpossibleCounts) {
  Accuracy accuracy;
  accuracy.update(0, 0);
  accuracy.update(0, 1);
  core::StateWriter out;
  accuracy.save(out);
  Accuracy loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_EQ(loaded.get(), 0.5);

  core::StateWriter corrupt;
  corrupt.write<std::uint32_t>(1);
  corrupt.write<std::uint64_t>(1);  // count
  corrupt.write<std::uint64_t>(2);  // more correct than scored
  core::StateReader corrupt_in(corrupt.bytes());
  EXPECT_FALSE(loaded.load(corrupt_in).is_ok());
  EXPECT_EQ(loaded.get(), 0.5);
}

}  // namespace
}  // namespace streamlearn::monitors
