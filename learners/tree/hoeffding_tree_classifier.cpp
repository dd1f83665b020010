#include "learners/tree/hoeffding_tree_classifier.h"

namespace streamlearn::learners {

std::unique_ptr<Learner> HoeffdingTreeClassifier::create(core::ParamReader&) {
  return std::make_unique<HoeffdingTreeClassifier>(Params{});
}

}  // namespace streamlearn::learners
