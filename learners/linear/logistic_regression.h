#pragma once

/// LogisticRegression: binary logistic regression trained online by plain SGD, a port of River's
/// linear_model.LogisticRegression(optimizer=optim.SGD(lr)) with the Log loss (River 0.21.1). The
/// positive class is ClassId 1 (core::ClassSet::kPositive), as River treats True/1; every other
/// class is negative. predict_proba_one always returns {0: 1 - p, 1: p} with p the sigmoid of
/// w·x + b, so even an untrained model predicts 0.5 and its events are scored, as in River.
/// Categorical features enter as one-hot indicators with value 1.0. Scale the inputs first
/// (`standard_scaler | logistic_regression`) for SGD to converge.
///
/// Cost: O(features in x) time per learn_one and predict_proba_one, nothing allocated per event in
/// steady state; O(largest FeatureId) memory. Not thread-safe.
/// Reference: River's GLM (linear_model/base.py), Log loss (optim/losses.py); L1 as in Tsuruoka,
/// Tsujii and Ananiadou, "Stochastic gradient descent training for L1-regularized log-linear
/// models with cumulative penalty", ACL 2009.
///
///     auto model = LearnerRegistry::builtin().build("standard_scaler | logistic_regression");
///     (*model)->learn_one(x, Target::of_class(1));
///     (*model)->predict_proba_one(x, proba);  // proba[1] = P(class 1)

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/linear/glm.h"

namespace streamlearn::learners {

class LogisticRegression final : public Learner {
 public:
  /// River's names and defaults: lr 0.01, l2 0, l1 0, intercept_init 0, intercept_lr 0.01,
  /// clip_gradient 1e12.
  using Params = Glm::Params;

  explicit LogisticRegression(Params params) : glm_(params) {}
  /// Registry factory: reads lr, l2, l1, intercept_init, intercept_lr and clip_gradient.
  static std::unique_ptr<Learner> create(core::ParamReader& reader);

  const Params& params() const { return glm_.params(); }
  /// The learned model, for inspection and tests.
  const Glm& glm() const { return glm_; }

  Task task() const override { return Task::kClassification; }
  std::string describe() const override;
  std::unique_ptr<Learner> clone() const override;

  void learn_one(const FeatureVector& x, const Target& y) override;
  Target predict_one(const FeatureVector& x) override;
  void predict_proba_one(const FeatureVector& x, ClassProbabilities& out) override;

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  /// P(class 1 | x).
  double probability(const FeatureVector& x) const;

  Glm glm_;
};

}  // namespace streamlearn::learners
