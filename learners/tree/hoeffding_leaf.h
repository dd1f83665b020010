#pragma once

/// HoeffdingLeaf: a leaf of a Hoeffding tree classifier, River's HTLeaf with its classification
/// subclasses (tree/nodes/leaf.py, tree/nodes/htc_nodes.py). It holds the class distribution of
/// the events that reached it (`stats`), one splitter per feature it has seen while active (numeric
/// features get a GaussianSplitter, categorical ones a NominalSplitter), and the weights with which
/// the majority class and naive Bayes would have been right here (for leaf_prediction = nba).
/// An inactive leaf keeps its distribution but drops its splitters and no longer learns them.
///
/// Splitters are kept in the order their features first reached the leaf, which is River's dict
/// order: naive Bayes sums log-likelihoods in that order and, among split candidates of equal
/// merit, the last one in that order wins.

#include <cstdint>
#include <vector>

#include "core/feature_vector.h"
#include "core/state_io.h"
#include "learners/tree/class_weights.h"
#include "learners/tree/feature_lookup.h"
#include "learners/tree/gaussian_splitter.h"
#include "learners/tree/nominal_splitter.h"
#include "learners/tree/split_criterion.h"
#include "learners/tree/split_suggestion.h"

namespace streamlearn::learners::tree {

class HoeffdingLeaf {
 public:
  HoeffdingLeaf() = default;
  HoeffdingLeaf(ClassWeights initial_stats, std::uint32_t depth);

  const ClassWeights& stats() const { return stats_; }
  std::uint32_t depth() const { return depth_; }
  /// River's total_weight: the sum of `stats` in key order.
  double total_weight() const { return stats_.total(); }

  bool active() const { return active_; }
  /// Drops the splitters; the leaf then only counts classes.
  void deactivate();
  /// Starts over with no splitters (River's activate()).
  void activate();

  double last_split_attempt_at() const { return last_split_attempt_at_; }
  void set_last_split_attempt_at(double weight) { last_split_attempt_at_ = weight; }
  double majority_class_correct_weight() const { return majority_class_correct_weight_; }
  double naive_bayes_correct_weight() const { return naive_bayes_correct_weight_; }

  /// Naive Bayes adaptive bookkeeping, before learning the event: credits the majority class and
  /// naive Bayes when they would have predicted `label`. `naive_bayes_votes` is the output of
  /// naive_bayes() for this event (empty when it had nothing to say).
  void score_predictors(core::ClassId label, double weight,
                        const std::vector<double>& naive_bayes_votes);
  /// Adds the event to `stats` and, when active, to the splitters.
  void learn(const core::FeatureVector& x, core::ClassId label, double weight);

  /// Majority-class prediction: `stats` normalized, one value per entry of stats() in order.
  void majority_class(std::vector<double>& probabilities) const;
  /// River's do_naive_bayes_prediction: one probability per entry of stats() in order; returns
  /// false (and leaves `votes` empty) when stats() is empty or weighs 0. Not const: nominal
  /// splitters record the values they are asked about, as River's do.
  bool naive_bayes(const FeatureLookup& x, std::vector<double>& votes);

  /// True when fewer than two classes have a non-zero weight.
  bool is_pure() const;
  /// River's best_split_suggestions: only the null split when the majority class holds more than
  /// `max_share_to_split` of the weight; otherwise the null split (with merit_preprune) followed by
  /// the best split of every splitter, in splitter order.
  void best_split_suggestions(const SplitCriterion& criterion, bool merit_preprune,
                              bool binary_split, double max_share_to_split,
                              std::vector<SplitSuggestion>& out) const;
  /// Forgets the splitter of `feature` and never observes it again (remove_poor_attrs).
  void disable_feature(core::FeatureId feature);

  void save(core::StateWriter& out) const;
  [[nodiscard]] bool load(core::StateReader& in);

 private:
  static constexpr std::int32_t kNoSplitter = -1;
  static constexpr std::int32_t kDisabled = -2;

  struct SplitterRef {
    core::FeatureId feature;
    bool nominal;
    std::uint32_t index;  // into gaussian_ or nominal_
  };

  void clear_splitters();

  ClassWeights stats_;
  std::uint32_t depth_ = 0;
  bool active_ = true;
  double last_split_attempt_at_ = 0.0;
  double majority_class_correct_weight_ = 0.0;
  double naive_bayes_correct_weight_ = 0.0;

  std::vector<SplitterRef> splitters_;  // in the order the features first arrived
  std::vector<std::int32_t>
      splitter_by_feature_;  // position in splitters_, or kNoSplitter/kDisabled
  std::vector<GaussianSplitter> gaussian_;
  std::vector<NominalSplitter> nominal_;
};

}  // namespace streamlearn::learners::tree
