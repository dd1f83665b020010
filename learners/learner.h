#pragma once

/// The contract every incremental model follows, named as in River: learn_one, predict_one and,
/// for classifiers, predict_proba_one. Features arrive as interned ids (core/feature_vector.h);
/// classes as ClassIds (core/class_set.h). Calls never throw and allocate nothing per event in
/// steady state: outputs go into caller-owned buffers.
///
/// Params (immutable, River's names and defaults) are kept apart from state: clone() builds a fresh
/// unfitted model with the same params; save()/load() round-trip the state bit for bit.
/// Not thread-safe: one thread drives a model.

#include <memory>
#include <string>

#include "core/class_probabilities.h"
#include "core/feature_vector.h"
#include "core/state_io.h"
#include "core/status.h"
#include "core/target.h"

namespace streamlearn::learners {

using core::ClassProbabilities;
using core::FeatureVector;
using core::Target;

enum class Task { kClassification, kRegression };

class Learner {
 public:
  virtual ~Learner() = default;

  virtual Task task() const = 0;
  /// The expression that recreates this model, e.g. "logistic_regression(l2=0.001)".
  virtual std::string describe() const = 0;
  virtual std::unique_ptr<Learner> clone() const = 0;

  virtual void learn_one(const FeatureVector& x, const Target& y) = 0;
  /// Classifiers: the first arg-max of predict_proba_one, or none when that is empty.
  /// Regressors: the predicted value.
  virtual Target predict_one(const FeatureVector& x);
  /// Classifiers only; regressors leave `out` empty.
  virtual void predict_proba_one(const FeatureVector& x, ClassProbabilities& out) {
    (void)x;
    out.clear();
  }

  virtual void save(core::StateWriter& out) const = 0;
  [[nodiscard]] virtual core::Status load(core::StateReader& in) = 0;
};

/// A feature transformer (River's Transformer): learns from x alone (unsupervised) and maps x to a
/// new feature vector.
class Transformer {
 public:
  virtual ~Transformer() = default;

  virtual std::string describe() const = 0;
  virtual std::unique_ptr<Transformer> clone() const = 0;

  virtual void learn_one(const FeatureVector& x) = 0;
  /// Writes the transformed features of x into `out` (cleared first).
  virtual void transform_one(const FeatureVector& x, FeatureVector& out) const = 0;
  /// learn_one(x) then transform_one(x, out), what a pipeline does when it learns. Transformers
  /// whose features are independent of each other override it with a single pass.
  virtual void learn_transform_one(const FeatureVector& x, FeatureVector& out) {
    learn_one(x);
    transform_one(x, out);
  }

  virtual void save(core::StateWriter& out) const = 0;
  [[nodiscard]] virtual core::Status load(core::StateReader& in) = 0;
};

}  // namespace streamlearn::learners
