#include "monitors/metrics/mae.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace streamlearn::monitors {
namespace {

TEST(MaeTest, MatchesRiverExample) {
  // River's MAE docstring: 0.5, 0.5, 0.333, 0.5.
  const std::vector<double> y_true = {3, -0.5, 2, 7};
  const std::vector<double> y_pred = {2.5, 0.0, 2, 8};
  const std::vector<double> expected = {0.5, 0.5, 0.33333333333333337, 0.5};
  Mae mae;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    mae.update(y_true[i], y_pred[i]);
    EXPECT_DOUBLE_EQ(mae.get(), expected[i]);
  }
}

TEST(MaeTest, EqualsBatchMeanAbsoluteErrorOnSeededData) {
  std::mt19937_64 rng(71);
  std::normal_distribution<double> normal(0.0, 5.0);
  Mae mae;
  double sum = 0.0;
  for (int i = 0; i < 5000; ++i) {
    const double y = normal(rng), prediction = y + normal(rng) / 4;
    sum += std::abs(y - prediction);
    mae.update(y, prediction);
  }
  EXPECT_NEAR(mae.get(), sum / 5000, 1e-12);
}

TEST(MaeTest, NoEventsGiveZero) { EXPECT_EQ(Mae().get(), 0.0); }

TEST(MaeTest, RevertUndoesUpdateAndMergeCombines) {
  Mae mae, other, both;
  for (double y : {1.0, 4.0, -2.0}) {
    mae.update(y, 0.5);
    both.update(y, 0.5);
  }
  const double before = mae.get();
  mae.update(100.0, 0.0);
  mae.revert(100.0, 0.0);
  EXPECT_NEAR(mae.get(), before, 1e-14);
  other.update(3.0, 2.0);
  both.update(3.0, 2.0);
  mae.merge(other);
  EXPECT_NEAR(mae.get(), both.get(), 1e-14);
}

TEST(MaeTest, SaveLoadRoundTrips) {
  Mae mae;
  mae.update(1.0, 1.25);
  core::StateWriter out;
  mae.save(out);
  Mae loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_EQ(loaded.get(), 0.25);
}

}  // namespace
}  // namespace streamlearn::monitors
