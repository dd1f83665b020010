#pragma once

/// NominalSplitter: the categorical attribute observer of a Hoeffding tree leaf, River's
/// tree.splitter.NominalSplitterClassif. It counts the weight of every (class, value) pair and
/// proposes a multiway split (one branch per value; unless binary_split) and one binary split per
/// value (value vs the rest), keeping the best.
///
/// River keeps the counts in nested defaultdicts, and its naive Bayes look-up
/// (conditional_probability) inserts the (class, value) pair it asks about with weight 0. Those
/// zero entries later show up as zero-weight classes in the children of a split, which changes what
/// the children predict, so this port inserts them too: conditional_probability is not const.
/// Values are ordered by SymbolId where River sorts the Python values (the same order for values
/// interned in sorted order, e.g. small integers read in order) and River's iteration over a set of
/// values is taken in SymbolId order.
///
/// Cost: update and look-up O(classes + values of the class); split search
/// O(values x classes x values). Memory O(classes x values).

#include <cstdint>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/state_io.h"
#include "core/symbol_table.h"
#include "learners/tree/class_weights.h"
#include "learners/tree/split_criterion.h"
#include "learners/tree/split_suggestion.h"

namespace streamlearn::learners::tree {

class NominalSplitter {
 public:
  void update(core::SymbolId value, core::ClassId label, double weight);
  /// P(value | label) from the counts: 0 when the class has no weight here.
  double conditional_probability(core::SymbolId value, core::ClassId label);
  SplitSuggestion best_split(const SplitCriterion& criterion, const ClassWeights& pre_split,
                             core::FeatureId feature, bool binary_only) const;

  void save(core::StateWriter& out) const;
  [[nodiscard]] bool load(core::StateReader& in);

 private:
  struct ValueWeight {
    core::SymbolId value;
    double weight;
  };
  struct ClassCounts {
    core::ClassId label = 0;
    std::vector<ValueWeight> values;  // in insertion order
  };

  ClassCounts& counts_of(core::ClassId label);
  static double& weight_of(ClassCounts& counts, core::SymbolId value);

  std::vector<ClassCounts> per_class_;           // in insertion order
  std::vector<core::SymbolId> observed_values_;  // sorted; values learned (not merely looked up)
  double total_weight_ = 0.0;
};

}  // namespace streamlearn::learners::tree
