#pragma once

/// ClassificationObservation: what the classification metrics need from one scored event, kept
/// small and trivially copyable so that a rolling window can store it and revert it later. Built
/// from a model's ClassProbabilities with from(); the predicted class is the first arg-max, as
/// River's progressive validation takes it.

#include "core/class_probabilities.h"
#include "core/class_set.h"

namespace streamlearn::monitors {

struct ClassificationObservation {
  core::ClassId y_true = 0;
  core::ClassId y_pred = 0;
  /// Probability of the positive class (ClassId 1), 0 when the model does not know it.
  double p_positive = 0.0;
  /// Probability of the true class, 0 when the model does not know it.
  double p_true = 0.0;
  /// Whether the probability vector covers the true class. River's CrossEntropy sums over the
  /// classes the model predicted, so a true class the model has never seen adds 0 to the loss.
  bool true_class_known = false;

  /// `proba` must not be empty: an empty prediction is not scored.
  static ClassificationObservation from(core::ClassId y_true,
                                        const core::ClassProbabilities& proba) {
    ClassificationObservation observation;
    observation.y_true = y_true;
    observation.y_pred = proba.argmax();
    observation.p_positive = proba.get(core::ClassSet::kPositive);
    observation.p_true = proba.get(y_true);
    observation.true_class_known = y_true < proba.size();
    return observation;
  }
};

}  // namespace streamlearn::monitors
