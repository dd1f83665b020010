#include "monitors/metrics/r2.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace streamlearn::monitors {
namespace {

double batch_r2(const std::vector<double>& y_true, const std::vector<double>& y_pred) {
  double mean = 0.0;
  for (double y : y_true) mean += y;
  mean /= static_cast<double>(y_true.size());
  double residual = 0.0, total = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    residual += (y_true[i] - y_pred[i]) * (y_true[i] - y_pred[i]);
    total += (y_true[i] - mean) * (y_true[i] - mean);
  }
  return 1.0 - residual / total;
}

TEST(R2Test, MatchesRiverExample) {
  // River's R2 docstring: 0.0, 0.9183, 0.9230, 0.9486.
  const std::vector<double> y_true = {3, -0.5, 2, 7};
  const std::vector<double> y_pred = {2.5, 0.0, 2, 8};
  const std::vector<double> expected = {0.0, 0.9183673469387755, 0.9230769230769231,
                                        0.9486081370449679};
  R2 r2;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    r2.update(y_true[i], y_pred[i]);
    EXPECT_NEAR(r2.get(), expected[i], 1e-15);
  }
}

TEST(R2Test, EqualsBatchCoefficientOfDeterminationOnSeededData) {
  std::mt19937_64 rng(91);
  std::normal_distribution<double> normal(50.0, 10.0);
  std::vector<double> y_true, y_pred;
  R2 r2;
  for (int i = 0; i < 5000; ++i) {
    y_true.push_back(normal(rng));
    y_pred.push_back(0.8 * y_true.back() + 10.0 + (normal(rng) - 50.0) / 3.0);
    r2.update(y_true.back(), y_pred.back());
  }
  EXPECT_NEAR(r2.get(), batch_r2(y_true, y_pred), 1e-12);
}

TEST(R2Test, FewerThanTwoEventsGiveZeroAsRiver) {
  R2 r2;
  EXPECT_EQ(r2.get(), 0.0);
  r2.update(3.0, 100.0);
  EXPECT_EQ(r2.get(), 0.0);
}

TEST(R2Test, ConstantTrueValuesGiveZeroAsRiver) {
  R2 r2;
  for (double prediction : {1.0, 2.0, 3.0, 4.0}) r2.update(2.5, prediction);
  EXPECT_EQ(r2.get(), 0.0);
  R2 perfect;
  for (int i = 0; i < 3; ++i) perfect.update(7.0, 7.0);
  EXPECT_EQ(perfect.get(), 0.0);  // 0 / 0, still River's zero-division 0
}

TEST(R2Test, PredictingTheMeanGivesZeroAndWorseIsNegative) {
  R2 mean_model, worse;
  for (double y : {1.0, 2.0, 3.0}) {
    mean_model.update(y, 2.0);
    worse.update(y, 10.0);
  }
  EXPECT_NEAR(mean_model.get(), 0.0, 1e-15);
  EXPECT_LT(worse.get(), 0.0);
}

TEST(R2Test, RevertUndoesUpdateAndMergeCombines) {
  std::mt19937_64 rng(92);
  std::uniform_real_distribution<double> uniform(-3.0, 3.0);
  R2 r2, other, both;
  for (int i = 0; i < 100; ++i) {
    const double y = uniform(rng), prediction = y + uniform(rng) / 5;
    (i < 60 ? r2 : other).update(y, prediction);
    both.update(y, prediction);
  }
  R2 reverted = r2;
  reverted.update(2.0, -1.0);
  reverted.revert(2.0, -1.0);
  EXPECT_NEAR(reverted.get(), r2.get(), 1e-13);
  r2.merge(other);
  EXPECT_NEAR(r2.get(), both.get(), 1e-12);
  EXPECT_EQ(r2.count(), 100u);
}

TEST(R2Test, SaveLoadRoundTrips) {
  R2 r2;
  for (double y : {1.0, 3.0, 4.0}) r2.update(y, y + 0.5);
  core::StateWriter out;
  r2.save(out);
  R2 loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(loaded.get(), r2.get());
}

}  // namespace
}  // namespace streamlearn::monitors
