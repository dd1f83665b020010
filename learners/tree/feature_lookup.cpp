#include "learners/tree/feature_lookup.h"

namespace streamlearn::learners::tree {

void FeatureLookup::assign_slow(const core::FeatureVector& x) {
  ++generation_;
  ++layout_;
  numeric_tag_ += 2;
  if (numeric_tag_ == 0) {  // wrapped around: forget every old tag
    for (Slot& slot : slots_) slot.tag = 0;
    numeric_tag_ = 2;
  }
  for (const core::NumericFeature& feature : x.numeric()) {
    Slot& slot = slot_for(feature.id);
    slot = {numeric_tag_, 0, feature.value};
  }
  for (const core::CategoricalFeature& feature : x.categorical()) {
    Slot& slot = slot_for(feature.id);
    slot = {numeric_tag_ + 1, feature.value, 0.0};
  }
  // Capacity is kept: no allocation once the widest event has been seen.
  previous_ids_.clear();
  for (const core::NumericFeature& feature : x.numeric()) previous_ids_.push_back(feature.id);
  for (const core::CategoricalFeature& feature : x.categorical())
    previous_ids_.push_back(feature.id);
  num_previous_numeric_ = x.numeric().size();
}

FeatureLookup::Slot& FeatureLookup::slot_for(core::FeatureId id) {
  if (id >= slots_.size()) slots_.resize(static_cast<std::size_t>(id) + 1);
  return slots_[id];
}

}  // namespace streamlearn::learners::tree
