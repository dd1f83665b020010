#include "learners/linear/linear_regression.h"

namespace streamlearn::learners {

std::unique_ptr<Learner> LinearRegression::create(core::ParamReader&) {
  return std::make_unique<LinearRegression>(Params{});
}

}  // namespace streamlearn::learners
