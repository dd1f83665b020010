#include "monitors/metrics/log_loss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace streamlearn::monitors {
namespace {

ClassificationObservation binary_observation(core::ClassId y_true, double p_positive) {
  core::ClassProbabilities proba;
  proba.reset(2);
  proba[0] = 1.0 - p_positive;
  proba[1] = p_positive;
  return ClassificationObservation::from(y_true, proba);
}

TEST(LogLossTest, MatchesRiverLogLossExample) {
  // River's LogLoss docstring (printed to 6 digits there; full digits from River's formula).
  const std::vector<core::ClassId> y_true = {1, 0, 0, 1};
  const std::vector<double> p_positive = {0.9, 0.1, 0.2, 0.65};
  const std::vector<double> expected = {0.10536051565782628, 0.10536051565782628,
                                        0.14462152754328741, 0.21616187468057912};
  LogLoss loss;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    loss.update(binary_observation(y_true[i], p_positive[i]));
    EXPECT_NEAR(loss.get(), expected[i], 1e-15);
  }
  EXPECT_EQ(loss.num_classes_seen(), 2u);
}

TEST(LogLossTest, MatchesRiverCrossEntropyExampleOnceAThirdClassIsSeen) {
  // River's CrossEntropy docstring: 1.222454, 1.169691, 1.258864, 1.321597.
  const std::vector<core::ClassId> y_true = {0, 1, 2, 2};
  const std::vector<std::vector<double>> proba = {{0.29450637, 0.34216758, 0.36332605},
                                                  {0.21290077, 0.32728332, 0.45981591},
                                                  {0.42860913, 0.33380113, 0.23758974},
                                                  {0.44941979, 0.32962558, 0.22095463}};
  const std::vector<double> expected = {1.2224546462432635, 1.169691853718346, 1.258864527226961,
                                        1.321597868584659};
  LogLoss loss;
  core::ClassProbabilities probabilities;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    probabilities.mutable_values() = proba[i];
    loss.update(ClassificationObservation::from(y_true[i], probabilities));
    EXPECT_NEAR(loss.cross_entropy_mean(), expected[i], 1e-15);
  }
  // Every event predicted class 2, so three classes have been seen from the first one on.
  EXPECT_EQ(loss.num_classes_seen(), 3u);
  EXPECT_EQ(loss.get(), loss.cross_entropy_mean());
}

TEST(LogLossTest, EqualsBatchMeanOfNegativeLogLikelihoodsOnSeededData) {
  std::mt19937_64 rng(51);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  LogLoss loss;
  double binary_sum = 0.0;
  double cross_entropy_sum = 0.0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const core::ClassId y = uniform(rng) < 0.4 ? 1 : 0;
    const double p = uniform(rng);
    binary_sum += y == 1 ? -std::log(p) : -std::log(1 - p);
    cross_entropy_sum += -std::log(y == 1 ? p : 1.0 - p);
    loss.update(binary_observation(y, p));
  }
  EXPECT_NEAR(loss.get(), binary_sum / n, 1e-12);
  EXPECT_NEAR(loss.cross_entropy_mean(), cross_entropy_sum / n, 1e-12);
  EXPECT_EQ(loss.count(), static_cast<std::uint64_t>(n));
}

TEST(LogLossTest, ClampsCertainWrongPredictionsAsRiver) {
  // -log(1e-15) and -log(1 - (1 - 1e-15)), as Python computes them.
  EXPECT_DOUBLE_EQ(LogLoss::binary_loss(true, 0.0), 34.538776394910684);
  EXPECT_DOUBLE_EQ(LogLoss::binary_loss(false, 1.0), 34.53957599234088);
  EXPECT_DOUBLE_EQ(LogLoss::binary_loss(true, 1.0), 9.992007221626415e-16);
  EXPECT_DOUBLE_EQ(LogLoss::binary_loss(false, 0.0), 9.992007221626415e-16);
  LogLoss loss;
  loss.update(binary_observation(1, 0.0));
  loss.update(binary_observation(0, 1.0));
  EXPECT_TRUE(std::isfinite(loss.get()));
  EXPECT_NEAR(loss.get(), (34.538776394910684 + 34.53957599234088) / 2, 1e-12);
}

TEST(LogLossTest, NoEventsGiveZero) {
  LogLoss loss;
  EXPECT_EQ(loss.get(), 0.0);
  EXPECT_EQ(loss.cross_entropy_mean(), 0.0);
}

TEST(LogLossTest, TrueClassUnknownToTheModelAddsNothingToCrossEntropyAsRiver) {
  core::ClassProbabilities proba;
  proba.reset(2);
  proba[0] = 0.3;
  proba[1] = 0.7;
  const ClassificationObservation unknown = ClassificationObservation::from(2, proba);
  EXPECT_FALSE(unknown.true_class_known);
  EXPECT_EQ(LogLoss::cross_entropy(unknown), 0.0);
  LogLoss loss;
  loss.update(unknown);
  EXPECT_EQ(loss.num_classes_seen(), 3u);
  EXPECT_EQ(loss.get(), 0.0);
}

TEST(LogLossTest, ClassesSeenStaySeenAfterRevert) {
  core::ClassProbabilities proba;
  proba.mutable_values() = {0.2, 0.3, 0.5};
  const ClassificationObservation three_class = ClassificationObservation::from(2, proba);
  LogLoss loss;
  loss.update(binary_observation(1, 0.8));
  loss.update(three_class);
  loss.revert(three_class);
  EXPECT_EQ(loss.num_classes_seen(), 3u);
  EXPECT_NEAR(loss.get(), -std::log(0.8), 1e-15);
}

TEST(LogLossTest, RevertUndoesUpdate) {
  std::mt19937_64 rng(52);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  LogLoss loss;
  for (int i = 0; i < 200; ++i) loss.update(binary_observation(i % 2, uniform(rng)));
  const double before = loss.get();
  const ClassificationObservation extra = binary_observation(1, 1e-9);
  loss.update(extra);
  loss.revert(extra);
  EXPECT_NEAR(loss.get(), before, 1e-14);
  EXPECT_EQ(loss.count(), 200u);
}

TEST(LogLossTest, MergeEqualsOneLossOverBothStreams) {
  std::mt19937_64 rng(53);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  LogLoss left, right, both;
  for (int i = 0; i < 300; ++i) {
    const ClassificationObservation observation = binary_observation(i % 3 == 0, uniform(rng));
    (i < 100 ? left : right).update(observation);
    both.update(observation);
  }
  left.merge(right);
  EXPECT_NEAR(left.get(), both.get(), 1e-14);
  EXPECT_EQ(left.count(), both.count());
}

TEST(LogLossTest, SaveLoadRoundTrips) {
  LogLoss loss;
  loss.update(binary_observation(1, 0.3));
  loss.update(binary_observation(0, 0.6));
  core::StateWriter out;
  loss.save(out);
  LogLoss loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(loaded.get(), loss.get());
  EXPECT_EQ(loaded.cross_entropy_mean(), loss.cross_entropy_mean());
  EXPECT_EQ(loaded.num_classes_seen(), 2u);
}

}  // namespace
}  // namespace streamlearn::monitors

namespace streamlearn::monitors {
namespace {

TEST(LogLossTest, TermsEqualTheSeparateLossesBitForBit) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int i = 0; i < 10000; ++i) {
    core::ClassProbabilities proba;
    proba.reset(2);
    proba[1] = i % 100 == 0 ? 1.0 : uniform(rng);
    // Either exactly 1 - p1, or a value off by rounding, as other models produce.
    proba[0] = i % 2 ? 1.0 - proba[1] : (1.0 - proba[1]) * (1 + 1e-16);
    const core::ClassId y = static_cast<core::ClassId>(rng() % 2);
    const auto observation = ClassificationObservation::from(y, proba);
    const LogLoss::Terms terms = LogLoss::terms(observation);
    ASSERT_EQ(terms.binary, LogLoss::binary_loss(y == 1, proba[1]));
    ASSERT_EQ(terms.cross_entropy, LogLoss::cross_entropy(observation));
  }
}

}  // namespace
}  // namespace streamlearn::monitors
