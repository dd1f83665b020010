#pragma once

/// LinearRegression: least-squares linear regression trained online by plain SGD, a port of
/// River's linear_model.LinearRegression() (optim.SGD(0.01), Squared loss, River 0.21.1). The
/// prediction is w·x + b; each learn_one takes one SGD step on the squared error, whose gradient
/// with respect to the prediction is 2 (prediction - y), River's (and Vowpal Wabbit's) convention.
/// Categorical features enter as one-hot indicators with value 1.0. Scale the inputs first
/// (`standard_scaler | linear_regression`) for SGD to converge.
///
/// Cost: O(features in x) time per learn_one and predict_one, nothing allocated per event in
/// steady state; O(largest FeatureId) memory. Not thread-safe.
/// Reference: River's GLM (linear_model/base.py, linear_model/lin_reg.py), Squared loss
/// (optim/losses.py).
///
///     auto model = LearnerRegistry::builtin().build("standard_scaler | linear_regression");
///     (*model)->learn_one(x, Target::of_value(3.5));
///     double y_hat = (*model)->predict_one(x).value;

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/linear/glm.h"

namespace streamlearn::learners {

class LinearRegression final : public Learner {
 public:
  /// River's names and defaults: lr 0.01, l2 0, l1 0, intercept_init 0, intercept_lr 0.01,
  /// clip_gradient 1e12.
  using Params = Glm::Params;

  explicit LinearRegression(Params params) : glm_(params) {}
  /// Registry factory: reads lr, l2, l1, intercept_init, intercept_lr and clip_gradient.
  static std::unique_ptr<Learner> create(core::ParamReader& reader);

  const Params& params() const { return glm_.params(); }
  /// The learned model, for inspection and tests.
  const Glm& glm() const { return glm_; }

  Task task() const override { return Task::kRegression; }
  std::string describe() const override;
  std::unique_ptr<Learner> clone() const override;

  /// Learns from a real-valued target; other targets are ignored.
  void learn_one(const FeatureVector& x, const Target& y) override;
  Target predict_one(const FeatureVector& x) override;

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  Glm glm_;
};

}  // namespace streamlearn::learners
