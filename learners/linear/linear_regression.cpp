#include "learners/linear/linear_regression.h"

namespace streamlearn::learners {

std::unique_ptr<Learner> LinearRegression::create(core::ParamReader& reader) {
  return std::make_unique<LinearRegression>(Glm::read_params(reader));
}

std::string LinearRegression::describe() const {
  return Glm::describe("linear_regression", glm_.params());
}

std::unique_ptr<Learner> LinearRegression::clone() const {
  return std::make_unique<LinearRegression>(glm_.params());
}

void LinearRegression::learn_one(const FeatureVector& x, const Target& y) {
  if (y.kind != Target::Kind::kValue) return;
  const double y_true = y.value;
  // River's optim.losses.Squared().gradient.
  glm_.learn_one(x, [y_true](double raw) { return 2.0 * (raw - y_true); });
}

Target LinearRegression::predict_one(const FeatureVector& x) {
  return Target::of_value(glm_.raw_dot(x));
}

void LinearRegression::save(core::StateWriter& out) const {
  out.write<std::uint32_t>(1);
  glm_.save(out);
}

core::Status LinearRegression::load(core::StateReader& in) {
  if (!in.expect_version(1)) return in.status("linear_regression");
  return glm_.load(in, "linear_regression");
}

}  // namespace streamlearn::learners
