#include "learners/naive_bayes/gaussian_nb.h"

namespace streamlearn::learners {

std::unique_ptr<Learner> GaussianNB::create(core::ParamReader&) {
  return std::make_unique<GaussianNB>(Params{});
}

}  // namespace streamlearn::learners
