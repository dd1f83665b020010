#pragma once

/// SplitCriterion: how good a candidate split is, River's InfoGainSplitCriterion and
/// GiniSplitCriterion (tree/split_criterion/). Both first require at least two children to hold
/// more than `min_branch_fraction` of the weight; a candidate that fails scores -inf. Information
/// gain is entropy(before) - weighted entropy(after), in bits, with range log2(#classes) (at least
/// 1); Gini is 1 - weighted Gini impurity of the children, with range 1. The range feeds the
/// Hoeffding bound. Sums run in the key order of the distributions, as River's loops do.

#include <cstdint>
#include <vector>

#include "learners/tree/class_weights.h"

namespace streamlearn::learners::tree {

class SplitCriterion {
 public:
  enum class Kind : std::uint8_t { kInfoGain, kGini };

  SplitCriterion(Kind kind, double min_branch_fraction)
      : kind_(kind), min_branch_fraction_(min_branch_fraction) {}

  double merit_of_split(const ClassWeights& pre_split,
                        const std::vector<ClassWeights>& post_split) const;
  double range_of_merit(const ClassWeights& pre_split) const;

 private:
  Kind kind_;
  double min_branch_fraction_;
};

}  // namespace streamlearn::learners::tree
