#pragma once

/// SplitSuggestion: one candidate split of a leaf, River's BranchFactory. Built by default it is
/// the null split (merit -inf, no feature): when it wins, the leaf is not split. Otherwise it names
/// the feature, the kind of test and the class distributions of the children it would create.

#include <cstdint>
#include <limits>
#include <vector>

#include "core/feature_space.h"
#include "core/symbol_table.h"
#include "learners/tree/class_weights.h"

namespace streamlearn::learners::tree {

struct SplitSuggestion {
  enum class Kind : std::uint8_t {
    kNull,             // no split
    kNumericBinary,    // x <= threshold goes left
    kNominalBinary,    // x == value goes left
    kNominalMultiway,  // one branch per value
  };

  double merit = -std::numeric_limits<double>::infinity();
  Kind kind = Kind::kNull;
  core::FeatureId feature = 0;
  double threshold = 0.0;
  core::SymbolId value = 0;
  /// kNominalMultiway: the values routed to branches 0, 1, ... (River's sorted split_info).
  std::vector<core::SymbolId> values;
  /// The class distribution each child starts with, left to right.
  std::vector<ClassWeights> children_stats;

  bool has_feature() const { return kind != Kind::kNull; }
};

}  // namespace streamlearn::learners::tree
