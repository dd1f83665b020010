#include "learners/learner.h"

namespace streamlearn::learners {

Target Learner::predict_one(const FeatureVector& x) {
  // Classifiers that do not override this get the arg-max of their probabilities. The buffer is
  // per thread so that this default allocates only once.
  thread_local ClassProbabilities proba;
  predict_proba_one(x, proba);
  if (proba.empty()) return Target::none();
  return Target::of_class(proba.argmax());
}

}  // namespace streamlearn::learners
