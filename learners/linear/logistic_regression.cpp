#include "learners/linear/logistic_regression.h"

namespace streamlearn::learners {

std::unique_ptr<Learner> LogisticRegression::create(core::ParamReader&) {
  return std::make_unique<LogisticRegression>(Params{});
}

}  // namespace streamlearn::learners
