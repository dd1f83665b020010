#include "learners/linear/logistic_regression.h"

#include <cmath>

namespace streamlearn::learners {
namespace {

// River's utils.math.sigmoid, with its saturation outside [-30, 30].
double sigmoid(double x) {
  if (x < -30) return 0.0;
  if (x > 30) return 1.0;
  return 1.0 / (1.0 + std::exp(-x));
}

// River's optim.losses.Log().gradient with unit class weights: y in {-1, 1}, z = raw * y, and
// the same three branches so that the tails round exactly as River's do.
double log_loss_gradient(bool positive, double raw) {
  const double y = positive ? 1.0 : -1.0;
  const double z = raw * y;
  if (z > 18.0) return std::exp(-z) * -y;
  if (z < -18.0) return -y;
  return -y / (std::exp(z) + 1.0);
}

}  // namespace

std::unique_ptr<Learner> LogisticRegression::create(core::ParamReader& reader) {
  return std::make_unique<LogisticRegression>(Glm::read_params(reader));
}

std::string LogisticRegression::describe() const {
  return Glm::describe("logistic_regression", glm_.params());
}

std::unique_ptr<Learner> LogisticRegression::clone() const {
  return std::make_unique<LogisticRegression>(glm_.params());
}

void LogisticRegression::learn_one(const FeatureVector& x, const Target& y) {
  if (!y.is_class()) return;
  const bool positive = y.class_id == core::ClassSet::kPositive;
  glm_.learn_one(x, [positive](double raw) { return log_loss_gradient(positive, raw); });
}

double LogisticRegression::probability(const FeatureVector& x) const {
  return sigmoid(glm_.raw_dot(x));
}

Target LogisticRegression::predict_one(const FeatureVector& x) {
  // The first arg-max of {0: 1 - p, 1: p}: class 0 on a tie.
  const double p = probability(x);
  return Target::of_class(p > 1.0 - p ? 1 : 0);
}

void LogisticRegression::predict_proba_one(const FeatureVector& x, ClassProbabilities& out) {
  const double p = probability(x);
  out.reset(2);
  out[0] = 1.0 - p;
  out[1] = p;
}

void LogisticRegression::save(core::StateWriter& out) const {
  out.write<std::uint32_t>(1);
  glm_.save(out);
}

core::Status LogisticRegression::load(core::StateReader& in) {
  if (!in.expect_version(1)) return in.status("logistic_regression");
  return glm_.load(in, "logistic_regression");
}

}  // namespace streamlearn::learners
