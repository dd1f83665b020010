#include "learners/linear/linear_regression.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "learners/learner_registry.h"

namespace streamlearn::learners {
namespace {

using core::FeatureId;

FeatureVector features(std::initializer_list<std::pair<FeatureId, double>> values) {
  FeatureVector x;
  for (const auto& [id, value] : values) x.add_numeric(id, value);
  return x;
}

TEST(LinearRegressionTest, UsageExample) {
  auto built = LearnerRegistry::builtin().build("linear_regression(lr=0.05)");
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  Learner& model = **built;
  EXPECT_EQ(model.task(), Task::kRegression);
  for (int i = 0; i < 3000; ++i) {
    const double a = (i % 7) - 3.0;
    model.learn_one(features({{0, a}}), Target::of_value(4.0 * a + 1.0));
  }
  const Target prediction = model.predict_one(features({{0, 2.0}}));
  ASSERT_EQ(prediction.kind, Target::Kind::kValue);
  EXPECT_NEAR(prediction.value, 9.0, 1e-9);
}

TEST(LinearRegressionTest, PredictsTheInterceptBeforeAnyLearning) {
  LinearRegression::Params params;
  params.intercept_init = 2.5;
  LinearRegression model(params);
  EXPECT_EQ(model.predict_one(features({{0, 7.0}})), Target::of_value(2.5));
  ClassProbabilities proba;
  model.predict_proba_one(features({{0, 7.0}}), proba);
  EXPECT_TRUE(proba.empty());
}

TEST(LinearRegressionTest, StepMatchesTheSquaredLossGradientComputedByHand) {
  LinearRegression model({});
  // Raw output 0, squared-loss gradient 2 * (0 - 3) = -6 (River's convention, no 1/2).
  model.learn_one(features({{0, 1.0}, {1, 2.0}}), Target::of_value(3.0));
  EXPECT_EQ(model.glm().intercept(), 0.0 - 0.01 * -6.0);
  EXPECT_EQ(model.glm().weight(0), 0.0 - 0.01 * (1.0 * -6.0));
  EXPECT_EQ(model.glm().weight(1), 0.0 - 0.01 * (2.0 * -6.0));
  EXPECT_EQ(model.predict_one(features({{0, 1.0}, {1, 2.0}})).value,
            (0.0 + 0.06 * 1.0 + 0.12 * 2.0) + 0.06);
}

TEST(LinearRegressionTest, IgnoresTargetsThatAreNotRealValues) {
  LinearRegression model({});
  model.learn_one(features({{0, 1.0}}), Target::of_class(1));
  model.learn_one(features({{0, 1.0}}), Target::none());
  EXPECT_EQ(model.glm().weight(0), 0.0);
  EXPECT_EQ(model.glm().intercept(), 0.0);
}

// Solves the normal equations (X'X) beta = X'y by Gaussian elimination with partial pivoting;
// the first column of X is the constant 1 (the intercept).
template <std::size_t N>
std::array<double, N> least_squares(const std::vector<std::array<double, N>>& rows,
                                    const std::vector<double>& targets) {
  std::array<std::array<double, N + 1>, N> system{};
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t i = 0; i < N; ++i) {
      for (std::size_t j = 0; j < N; ++j) system[i][j] += rows[r][i] * rows[r][j];
      system[i][N] += rows[r][i] * targets[r];
    }
  for (std::size_t col = 0; col < N; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < N; ++r)
      if (std::abs(system[r][col]) > std::abs(system[pivot][col])) pivot = r;
    std::swap(system[col], system[pivot]);
    for (std::size_t r = 0; r < N; ++r) {
      if (r == col) continue;
      const double factor = system[r][col] / system[col][col];
      for (std::size_t c = col; c <= N; ++c) system[r][c] -= factor * system[col][c];
    }
  }
  std::array<double, N> beta{};
  for (std::size_t i = 0; i < N; ++i) beta[i] = system[i][N] / system[i][i];
  return beta;
}

TEST(LinearRegressionTest, ConvergesToTheLeastSquaresSolutionOnNoiselessData) {
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<std::array<double, 4>> rows;
  std::vector<double> targets;
  for (int i = 0; i < 20000; ++i) {
    const double a = normal(rng), b = normal(rng), c = normal(rng);
    rows.push_back({1.0, a, b, c});
    targets.push_back(1.0 + 2.0 * a - 3.0 * b + 0.5 * c);
  }
  const std::array<double, 4> batch = least_squares(rows, targets);

  LinearRegression model({});
  for (std::size_t i = 0; i < rows.size(); ++i)
    model.learn_one(features({{0, rows[i][1]}, {1, rows[i][2]}, {2, rows[i][3]}}),
                    Target::of_value(targets[i]));
  EXPECT_NEAR(model.glm().intercept(), batch[0], 1e-9);
  EXPECT_NEAR(model.glm().weight(0), batch[1], 1e-9);
  EXPECT_NEAR(model.glm().weight(1), batch[2], 1e-9);
  EXPECT_NEAR(model.glm().weight(2), batch[3], 1e-9);
}

TEST(LinearRegressionTest, L2PenaltyShrinksTheWeights) {
  LinearRegression::Params params;
  params.l2 = 0.5;
  LinearRegression penalized(params);
  LinearRegression plain({});
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int i = 0; i < 5000; ++i) {
    const double a = normal(rng);
    penalized.learn_one(features({{0, a}}), Target::of_value(3.0 * a));
    plain.learn_one(features({{0, a}}), Target::of_value(3.0 * a));
  }
  EXPECT_NEAR(plain.glm().weight(0), 3.0, 1e-6);
  // The penalized fixed point solves E[2 (w a - 3 a) a] + l2 w = 0: w = 6 / (2 + l2) = 2.4.
  EXPECT_NEAR(penalized.glm().weight(0), 2.4, 0.05);
}

TEST(LinearRegressionTest, DescribeListsNonDefaultParams) {
  LinearRegression::Params params;
  params.intercept_lr = 0.0;
  params.l1 = 0.25;
  EXPECT_EQ(LinearRegression(params).describe(), "linear_regression(l1=0.25, intercept_lr=0)");
  EXPECT_EQ(LinearRegression({}).describe(), "linear_regression");
  EXPECT_EQ(LinearRegression(params).clone()->describe(), LinearRegression(params).describe());
}

TEST(LinearRegressionTest, SaveThenLoadGivesBitIdenticalPredictions) {
  LinearRegression model({});
  std::mt19937_64 rng(77);
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto draw = [&] { return features({{1, normal(rng)}, {3, normal(rng)}}); };
  for (int i = 0; i < 300; ++i) {
    const FeatureVector x = draw();
    model.learn_one(x, Target::of_value(x.numeric()[0].value - x.numeric()[1].value));
  }
  core::StateWriter writer;
  model.save(writer);
  LinearRegression restored({});
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored.load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  for (int i = 0; i < 100; ++i) {
    const FeatureVector x = draw();
    ASSERT_EQ(model.predict_one(x), restored.predict_one(x));
    model.learn_one(x, Target::of_value(1.0));
    restored.learn_one(x, Target::of_value(1.0));
  }
  core::StateReader truncated(std::string_view(writer.bytes()).substr(0, 30));
  EXPECT_FALSE(LinearRegression({}).load(truncated).is_ok());
}

}  // namespace
}  // namespace streamlearn::learners
