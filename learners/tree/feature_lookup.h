#pragma once

/// FeatureLookup: O(1) access to the features of one event by FeatureId, which a tree needs at
/// every branch and for every splitter of a leaf. assign() stamps the features of x into a dense
/// table indexed by id; a tag per slot (the event's stamp and the feature's kind) says whether the
/// slot belongs to the current event, so nothing is cleared between events and nothing is
/// allocated once the largest id has been seen.
///
/// Events of a stream usually list the same features in the same order. assign() keeps the ids of
/// the previous event and, when x has the same ones in the same order, only compares and
/// overwrites the values. generation() changes whenever assign() changes what the look-ups return
/// (another id, order or value), so a caller can tell that two calls saw the same event (a
/// learn_one after a predict_proba_one on the same x) without keeping a copy of it; layout()
/// changes only when the ids or their order change, so a caller can remember facts about the
/// shape of the events (a leaf: "x lists my features in my order").
///
/// Cost: assign() O(features) (a compare and a store per feature in the usual case); look-ups
/// O(1). Memory O(largest feature id).

#include <cstdint>
#include <vector>

#include "core/feature_vector.h"

namespace streamlearn::learners::tree {

class FeatureLookup {
 public:
  void assign(const core::FeatureVector& x) {
    const std::vector<core::NumericFeature>& numeric = x.numeric();
    const std::vector<core::CategoricalFeature>& categorical = x.categorical();
    const std::size_t num_numeric = numeric.size();
    const std::size_t num_categorical = categorical.size();
    if (num_numeric == num_previous_numeric_ &&
        num_numeric + num_categorical == previous_ids_.size()) {
      // The same ids in the same order own the same slots: overwrite the values in the order of
      // x, so that a repeated id keeps its last value as on the slow path. A mismatch part way
      // leaves stray values in slots that the slow path then re-stamps or disowns.
      const core::FeatureId* previous = previous_ids_.data();
      Slot* slots = slots_.data();
      bool same_values = true;
      std::size_t i = 0;
      for (; i < num_numeric && numeric[i].id == previous[i]; ++i) {
        Slot& slot = slots[numeric[i].id];
        same_values &= slot.value == numeric[i].value;
        slot.value = numeric[i].value;
      }
      if (i == num_numeric) {
        previous += num_numeric;
        std::size_t j = 0;
        for (; j < num_categorical && categorical[j].id == previous[j]; ++j) {
          Slot& slot = slots[categorical[j].id];
          same_values &= slot.symbol == categorical[j].value;
          slot.symbol = categorical[j].value;
        }
        if (j == num_categorical) {
          if (!same_values) ++generation_;
          return;
        }
      }
    }
    assign_slow(x);
  }

  /// Changes whenever assign() may have changed what numeric() and categorical() return.
  std::uint64_t generation() const { return generation_; }
  /// Changes whenever assign() is given other ids, or the same in another order, than before.
  std::uint64_t layout() const { return layout_; }

  /// The numeric value of `id` in the current event, or nullptr (absent, or categorical).
  const double* numeric(core::FeatureId id) const {
    if (id >= slots_.size()) return nullptr;
    const Slot& slot = slots_[id];
    return slot.tag == numeric_tag_ ? &slot.value : nullptr;
  }
  /// The categorical value of `id` in the current event, or nullptr (absent, or numeric).
  const core::SymbolId* categorical(core::FeatureId id) const {
    if (id >= slots_.size()) return nullptr;
    const Slot& slot = slots_[id];
    return slot.tag == numeric_tag_ + 1 ? &slot.symbol : nullptr;
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // 2 x the stamp of the event that set it (> 0), + 1 when categorical
    core::SymbolId symbol = 0;
    double value = 0.0;
  };

  // Out of line: the fast path above is what runs for almost every event.
  void assign_slow(const core::FeatureVector& x);
  Slot& slot_for(core::FeatureId id);

  std::vector<Slot> slots_;
  std::uint32_t numeric_tag_ = 0;  // the tag of a numeric slot of the current event
  std::uint64_t generation_ = 0;
  std::uint64_t layout_ = 0;
  // The ids of the previous event, numeric then categorical, to recognise the next one.
  std::vector<core::FeatureId> previous_ids_;
  std::size_t num_previous_numeric_ = 0;
};

}  // namespace streamlearn::learners::tree
