#include "monitors/metrics/binary_confusion_matrix.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace streamlearn::monitors {
namespace {

TEST(BinaryConfusionMatrixTest, MatchesRiverPrecisionAndRecallExamples) {
  // River's Precision and Recall docstrings, printed after each update.
  const std::vector<bool> y_true = {true, false, true, true, true};
  const std::vector<bool> y_pred = {true, true, false, true, true};
  const std::vector<double> precision = {1.0, 0.5, 0.5, 2.0 / 3.0, 0.75};
  const std::vector<double> recall = {1.0, 1.0, 0.5, 2.0 / 3.0, 0.75};
  BinaryConfusionMatrix matrix;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    matrix.update(y_true[i], y_pred[i]);
    EXPECT_DOUBLE_EQ(matrix.precision(), precision[i]) << "after event " << i;
    EXPECT_DOUBLE_EQ(matrix.recall(), recall[i]) << "after event " << i;
  }
}

TEST(BinaryConfusionMatrixTest, MatchesRiverF1Example) {
  // River's F1 docstring: 40%.
  const std::vector<bool> y_true = {false, false, false, true, true, true};
  const std::vector<bool> y_pred = {false, false, true, true, false, false};
  BinaryConfusionMatrix matrix;
  for (std::size_t i = 0; i < y_true.size(); ++i) matrix.update(y_true[i], y_pred[i]);
  EXPECT_DOUBLE_EQ(matrix.f1(), 0.4);
}

TEST(BinaryConfusionMatrixTest, EqualsBatchFormulasOnSeededData) {
  std::mt19937_64 rng(41);
  std::bernoulli_distribution coin(0.3);
  BinaryConfusionMatrix matrix;
  double tp = 0, fp = 0, tn = 0, fn = 0;
  for (int i = 0; i < 5000; ++i) {
    const bool actual = coin(rng);
    const bool predicted = (i % 4 == 0) ? actual : coin(rng);
    matrix.update(actual, predicted);
    tp += actual && predicted;
    fp += !actual && predicted;
    tn += !actual && !predicted;
    fn += actual && !predicted;
  }
  EXPECT_EQ(matrix.count(), 5000u);
  EXPECT_EQ(static_cast<double>(matrix.true_negatives()), tn);
  const double precision = tp / (tp + fp);
  const double recall = tp / (tp + fn);
  EXPECT_NEAR(matrix.precision(), precision, 1e-15);
  EXPECT_NEAR(matrix.recall(), recall, 1e-15);
  EXPECT_NEAR(matrix.f1(), 2 * precision * recall / (precision + recall), 1e-15);
  EXPECT_NEAR(matrix.false_positive_rate(), fp / (fp + tn), 1e-15);
}

TEST(BinaryConfusionMatrixTest, ZeroDivisionGivesZeroAsRiver) {
  BinaryConfusionMatrix empty;
  EXPECT_EQ(empty.precision(), 0.0);
  EXPECT_EQ(empty.recall(), 0.0);
  EXPECT_EQ(empty.f1(), 0.0);
  EXPECT_EQ(empty.false_positive_rate(), 0.0);

  BinaryConfusionMatrix never_predicts_positive;
  never_predicts_positive.update(true, false);
  never_predicts_positive.update(false, false);
  EXPECT_EQ(never_predicts_positive.precision(), 0.0);  // tp + fp = 0
  EXPECT_EQ(never_predicts_positive.recall(), 0.0);
  EXPECT_EQ(never_predicts_positive.f1(), 0.0);  // p + r = 0

  BinaryConfusionMatrix no_positives;
  no_positives.update(false, true);
  EXPECT_EQ(no_positives.recall(), 0.0);  // tp + fn = 0
  EXPECT_EQ(no_positives.precision(), 0.0);
}

TEST(BinaryConfusionMatrixTest, RevertUndoesUpdateExactly) {
  BinaryConfusionMatrix matrix;
  matrix.update(true, true);
  matrix.update(false, true);
  matrix.update(true, false);
  const double f1 = matrix.f1();
  matrix.update(false, false);
  matrix.revert(false, false);
  EXPECT_EQ(matrix.f1(), f1);
  EXPECT_EQ(matrix.true_negatives(), 0u);
}

TEST(BinaryConfusionMatrixTest, MergeAddsCellsAndSaveLoadRoundTrips) {
  BinaryConfusionMatrix left, right;
  left.update(true, true);
  right.update(false, true);
  right.update(true, false);
  left.merge(right);
  EXPECT_EQ(left.true_positives(), 1u);
  EXPECT_EQ(left.false_positives(), 1u);
  EXPECT_EQ(left.false_negatives(), 1u);

  core::StateWriter out;
  left.save(out);
  BinaryConfusionMatrix loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_EQ(loaded.f1(), left.f1());
  EXPECT_EQ(loaded.count(), 3u);
}

}  // namespace
}  // namespace streamlearn::monitors
