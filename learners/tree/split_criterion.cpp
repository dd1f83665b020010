#include "learners/tree/split_criterion.h"

#include <cmath>
#include <limits>

namespace streamlearn::learners::tree {
namespace {

// The number of children holding more than `min_fraction` of the total weight.
int num_subsets_greater_than_fraction(const std::vector<ClassWeights>& distributions,
                                      double min_fraction) {
  double total_weight = 0.0;
  for (const ClassWeights& distribution : distributions) total_weight += distribution.total();
  int num_greater = 0;
  if (total_weight > 0) {
    for (const ClassWeights& distribution : distributions)
      if (distribution.total() / total_weight > min_fraction) ++num_greater;
  }
  return num_greater;
}

// Entropy in bits of one distribution, in River's algebraic form:
// (sum_d -d log2 d + S log2 S) / S over the positive weights d, whose sum is S.
double entropy(const ClassWeights& distribution) {
  double entropy = 0.0;
  double sum = 0.0;
  for (const ClassWeights::Entry& entry : distribution.entries()) {
    if (entry.weight > 0.0) {
      entropy -= entry.weight * std::log2(entry.weight);
      sum += entry.weight;
    }
  }
  return sum > 0.0 ? (entropy + sum * std::log2(sum)) / sum : 0.0;
}

// The weighted entropy of the children. The caller has checked that the total weight is positive.
double entropy(const std::vector<ClassWeights>& distributions) {
  double total_weight = 0.0;
  for (const ClassWeights& distribution : distributions) total_weight += distribution.total();
  double weighted = 0.0;
  for (const ClassWeights& distribution : distributions)
    weighted += distribution.total() * entropy(distribution);
  return weighted / total_weight;
}

double gini(const ClassWeights& distribution, double sum_of_weights) {
  double gini = 1.0;
  if (sum_of_weights != 0.0) {
    for (const ClassWeights::Entry& entry : distribution.entries()) {
      const double relative_frequency = entry.weight / sum_of_weights;
      gini -= relative_frequency * relative_frequency;
    }
  }
  return gini;
}

}  // namespace

double SplitCriterion::merit_of_split(const ClassWeights& pre_split,
                                      const std::vector<ClassWeights>& post_split) const {
  if (num_subsets_greater_than_fraction(post_split, min_branch_fraction_) < 2)
    return -std::numeric_limits<double>::infinity();
  if (kind_ == Kind::kInfoGain) return entropy(pre_split) - entropy(post_split);

  double total_weight = 0.0;
  for (const ClassWeights& distribution : post_split) total_weight += distribution.total();
  double weighted_gini = 0.0;
  for (const ClassWeights& distribution : post_split) {
    const double weight = distribution.total();
    weighted_gini += (weight / total_weight) * gini(distribution, weight);
  }
  return 1.0 - weighted_gini;
}

double SplitCriterion::range_of_merit(const ClassWeights& pre_split) const {
  if (kind_ == Kind::kGini) return 1.0;
  // River counts the keys of the distribution, zero weights included.
  const std::size_t num_classes = pre_split.size() > 2 ? pre_split.size() : 2;
  return std::log2(static_cast<double>(num_classes));
}

}  // namespace streamlearn::learners::tree
