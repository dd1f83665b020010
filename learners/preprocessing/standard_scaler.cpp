#include "learners/preprocessing/standard_scaler.h"

namespace streamlearn::learners {

std::unique_ptr<Transformer> StandardScaler::create(core::ParamReader&) {
  return std::make_unique<StandardScaler>(Params{});
}

}  // namespace streamlearn::learners
