#include "monitors/metrics/rmse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace streamlearn::monitors {
namespace {

TEST(RmseTest, MatchesRiverExample) {
  // River's RMSE docstring: 0.5, 0.5, 0.408248, 0.612372.
  const std::vector<double> y_true = {3, -0.5, 2, 7};
  const std::vector<double> y_pred = {2.5, 0.0, 2, 8};
  const std::vector<double> expected = {0.5, 0.5, 0.408248290463863, 0.6123724356957945};
  Rmse rmse;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    rmse.update(y_true[i], y_pred[i]);
    EXPECT_DOUBLE_EQ(rmse.get(), expected[i]);
  }
  EXPECT_DOUBLE_EQ(rmse.mean_squared_error(), 0.375);  // River's MSE docstring
}

TEST(RmseTest, EqualsBatchRootMeanSquaredErrorOnSeededData) {
  std::mt19937_64 rng(81);
  std::normal_distribution<double> normal(10.0, 5.0);
  Rmse rmse;
  double sum = 0.0;
  for (int i = 0; i < 5000; ++i) {
    const double y = normal(rng), prediction = normal(rng);
    sum += (y - prediction) * (y - prediction);
    rmse.update(y, prediction);
  }
  EXPECT_NEAR(rmse.get(), std::sqrt(sum / 5000), 1e-12);
}

TEST(RmseTest, NoEventsGiveZero) { EXPECT_EQ(Rmse().get(), 0.0); }

TEST(RmseTest, StaysFiniteWhenRevertsLeaveRoundingBelowZero) {
  // Large errors followed by reverts leave the running mean of squares a rounding error away
  // from the true 0; the root must not turn that into NaN.
  std::mt19937_64 rng(82);
  std::uniform_real_distribution<double> uniform(-1e6, 1e6);
  Rmse rmse;
  std::vector<double> errors;
  for (int i = 0; i < 100; ++i) {
    errors.push_back(uniform(rng));
    rmse.update(errors.back(), 0.0);
  }
  for (int i = 0; i < 99; ++i) rmse.revert(errors[i], 0.0);
  rmse.update(1e-9, 0.0);
  rmse.revert(errors[99], 0.0);
  EXPECT_TRUE(std::isfinite(rmse.get()));
  EXPECT_GE(rmse.get(), 0.0);
}

TEST(RmseTest, RevertUndoesUpdateAndMergeCombines) {
  Rmse rmse, other, both;
  for (double y : {1.0, 4.0, -2.0}) {
    rmse.update(y, 0.0);
    both.update(y, 0.0);
  }
  const double before = rmse.get();
  rmse.update(7.0, 1.0);
  rmse.revert(7.0, 1.0);
  EXPECT_NEAR(rmse.get(), before, 1e-14);
  other.update(3.0, 1.0);
  both.update(3.0, 1.0);
  rmse.merge(other);
  EXPECT_NEAR(rmse.get(), both.get(), 1e-14);
}

TEST(RmseTest, SaveLoadRoundTrips) {
  Rmse rmse;
  rmse.update(1.0, 4.0);
  core::StateWriter out;
  rmse.save(out);
  Rmse loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_EQ(loaded.get(), 3.0);
}

}  // namespace
}  // namespace streamlearn::monitors
