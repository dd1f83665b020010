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
///
/// For naive Bayes the leaf keeps, for every class of `stats` (in stats order) and every numeric
/// splitter, the GaussianSplitter::DensityTerms of that class, so that a look-up is a handful of
/// arithmetic per (feature, class). Once naive_bayes() has built the table, learn() updates the
/// terms of the class it learns (one log per numeric feature). The table is a cache, not state: a
/// change of the splitters or classes (or load()) leaves it out of shape and the next naive_bayes()
/// rebuilds it with every entry stale (a NaN -2 variance, which no look-up passes), recomputing
/// entries as it meets them. A leaf that never predicts with naive Bayes (mc) never builds it.
/// When an event lists exactly the leaf's (numeric) features in the leaf's order, the usual case
/// in a stream, naive_bayes() and learn() read its values in place instead of looking them up.

#include <cstdint>
#include <vector>

#include "core/check.h"
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
  /// naive Bayes when they would have predicted `label`. `naive_bayes_choice` is the position in
  /// stats() of naive Bayes' prediction for this event, or kNoChoice when it had nothing to say.
  void score_predictors(core::ClassId label, double weight, std::size_t naive_bayes_choice);
  static constexpr std::size_t kNoChoice = static_cast<std::size_t>(-1);
  /// Adds the event to `stats` and, when active, to the splitters; `lookup` holds x.
  void learn(const core::FeatureVector& x, const FeatureLookup& lookup, core::ClassId label,
             double weight);

  /// Majority-class prediction: `stats` normalized, one value per entry of stats() in order.
  void majority_class(std::vector<double>& probabilities) const;
  /// River's do_naive_bayes_prediction: one probability per entry of stats() in order; returns
  /// false (and leaves `votes` empty) when stats() is empty or weighs 0; `lookup` holds x. Not
  /// const: nominal splitters record the values they are asked about, as River's do.
  bool naive_bayes(const core::FeatureVector& x, const FeatureLookup& lookup,
                   std::vector<double>& votes);
  /// The position in stats() of the first largest probability of naive_bayes(), or kNoChoice when
  /// it would return false; `scratch` is overwritten. The same side effects as naive_bayes(), and
  /// cheaper: the largest log-vote wins without the normalization (a log and an exp per class)
  /// when no other comes close enough for rounding to tie their probabilities.
  std::size_t naive_bayes_choice(const core::FeatureVector& x, const FeatureLookup& lookup,
                                 std::vector<double>& scratch);
  /// Python's max(d, key=d.get) over one value per class: the first position of the largest.
  static std::size_t first_argmax(const std::vector<double>& values);

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
  // True when x's features are exactly the leaf's splitters, all numeric, in the same order.
  // `lookup` holds x: a yes is remembered until the ids of the events or the splitters change.
  bool aligned_with(const core::FeatureVector& x, const FeatureLookup& lookup) {
    if (lookup.layout() == aligned_layout_) return true;
    const std::vector<core::NumericFeature>& numeric = x.numeric();
    if (!nominal_.empty() || !x.categorical().empty() || numeric.size() != splitters_.size())
      return false;
    for (std::size_t k = 0; k < numeric.size(); ++k) {
      if (numeric[k].id != splitters_[k].feature) return false;
      SL_DCHECK(splitters_[k].index == k);  // with no nominal splitter, gaussian_ is in order
    }
    aligned_layout_ = lookup.layout();
    return true;
  }
  // The DensityTerms of gaussian_[row] for the class at `position` in stats_, if the table is in
  // shape; otherwise nullptr.
  GaussianSplitter::DensityTerms* density_terms(std::size_t row, std::size_t position) {
    return row < density_rows_ && position < density_classes_
               ? &density_terms_[position * density_rows_ + row]
               : nullptr;
  }
  // Shapes density_terms_ for the current splitters and classes, every entry stale.
  void reset_density_terms();
  // Forgets what depends on the splitters: the density terms, the alignment with x.
  void forget_splitter_caches() {
    aligned_layout_ = kNoLayout;
    density_terms_.clear();
    density_rows_ = 0;
    density_classes_ = 0;
  }
  // River's log-sum-exp normalization of log-votes into probabilities, in place.
  static void naive_bayes_normalize(std::vector<double>& votes);
  // naive_bayes() up to the normalization: the log-votes, one per class.
  bool naive_bayes_log_votes(const core::FeatureVector& x, const FeatureLookup& lookup,
                             std::vector<double>& votes);
  // The look-up that the fast path of naive_bayes() declined: refreshes stale terms, then returns
  // log_vote plus the log density of `value` for class `position`, through the terms or River's
  // arithmetic.
  double add_log_likelihood_slowly(std::uint32_t row, std::size_t position, double value,
                                   double log_vote);
  // The splitter of `feature`, added when the leaf has none; nullptr when the feature is disabled
  // or has a splitter of the other kind.
  SplitterRef* add_splitter(core::FeatureId feature, bool nominal);

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
  // density_terms_[position * density_rows_ + row]: the terms of gaussian_[row] for the class at
  // `position` in stats_. Not state.
  std::vector<GaussianSplitter::DensityTerms> density_terms_;
  std::size_t density_rows_ = 0;  // the shape of density_terms_, or 0 x 0 when out of shape
  std::size_t density_classes_ = 0;
  static constexpr std::uint64_t kNoLayout = UINT64_MAX;
  std::uint64_t aligned_layout_ = kNoLayout;  // see aligned_with(); not state
};

}  // namespace streamlearn::learners::tree
