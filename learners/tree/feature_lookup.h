#pragma once

/// FeatureLookup: O(1) access to the features of one event by FeatureId, which a tree needs at
/// every branch and for every splitter of a leaf. assign() stamps the features of x into a dense
/// table indexed by id; a stamp per slot says whether the slot belongs to the current event, so
/// nothing is cleared between events and nothing is allocated once the largest id has been seen.

#include <cstdint>
#include <vector>

#include "core/feature_vector.h"

namespace streamlearn::learners::tree {

class FeatureLookup {
 public:
  void assign(const core::FeatureVector& x) {
    if (++stamp_ == 0) {  // wrapped around: forget every old stamp
      for (Slot& slot : slots_) slot.stamp = 0;
      stamp_ = 1;
    }
    for (const core::NumericFeature& feature : x.numeric()) {
      Slot& slot = slot_for(feature.id);
      slot = {stamp_, false, feature.value, 0};
    }
    for (const core::CategoricalFeature& feature : x.categorical()) {
      Slot& slot = slot_for(feature.id);
      slot = {stamp_, true, 0.0, feature.value};
    }
  }

  /// The numeric value of `id` in the current event, or nullptr (absent, or categorical).
  const double* numeric(core::FeatureId id) const {
    if (id >= slots_.size()) return nullptr;
    const Slot& slot = slots_[id];
    return slot.stamp == stamp_ && !slot.categorical ? &slot.value : nullptr;
  }
  /// The categorical value of `id` in the current event, or nullptr (absent, or numeric).
  const core::SymbolId* categorical(core::FeatureId id) const {
    if (id >= slots_.size()) return nullptr;
    const Slot& slot = slots_[id];
    return slot.stamp == stamp_ && slot.categorical ? &slot.symbol : nullptr;
  }

 private:
  struct Slot {
    std::uint32_t stamp = 0;
    bool categorical = false;
    double value = 0.0;
    core::SymbolId symbol = 0;
  };

  Slot& slot_for(core::FeatureId id) {
    if (id >= slots_.size()) slots_.resize(static_cast<std::size_t>(id) + 1);
    return slots_[id];
  }

  std::vector<Slot> slots_;
  std::uint32_t stamp_ = 0;
};

}  // namespace streamlearn::learners::tree
