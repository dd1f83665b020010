#pragma once

/// GaussianSplitter: the numeric attribute observer of a Hoeffding tree leaf, River's
/// tree.splitter.GaussianSplitter (n_splits = 10). For every class it keeps the smallest and
/// largest value seen and a Gaussian over the values (River's proba.Gaussian: Welford's running
/// mean and sample variance, in River's exact arithmetic). Split candidates are the n_splits
/// points that cut [min, max] over all classes into n_splits + 1 equal bins; for a candidate t each
/// class sends all its weight left when t >= its max, right when t < its min, and otherwise
/// cdf(t) * weight left and the rest right. The same Gaussians give the naive Bayes likelihoods.
///
/// Naive Bayes works in log space: for a class of sample variance v a value x contributes
/// (x - mean)^2 / (-2 v) - log(sqrt(tau v)) to the class's vote, where River adds
/// log(exp((x - mean)^2 / (-2 v)) / sqrt(tau v)); the two differ by rounding only (an ulp or so
/// of the vote). The parts that change only on update (DensityTerms: mean, -2 v, log(sqrt(tau v)))
/// are computed once per update, with one log, for the caller to keep, so that a look-up costs a
/// subtraction, a multiplication, a division and two comparisons, and no exp, log or sqrt. Where
/// River's density would underflow or be 0, the caller takes River's own arithmetic
/// (add_exact_log_likelihood), so a density that is 0 in River still adds nothing. Squares and
/// square roots are d * d and sqrt where River writes ** 2 and ** 0.5 (CPython's pow, which can
/// differ in the last bit); neither this nor the log space changes the reference metrics.
///
/// Cost: update O(classes), plus one log when the caller asks for the class's terms; split search
/// O(n_splits x classes). Memory O(classes).

#include <cstdint>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/state_io.h"
#include "learners/tree/class_weights.h"
#include "learners/tree/split_criterion.h"
#include "learners/tree/split_suggestion.h"

namespace streamlearn::learners::tree {

class GaussianSplitter {
 public:
  static constexpr int kSplitPoints = 10;

  /// The parts of a class's log density that change only on update: a look-up of x adds
  /// (x - mean)^2 / minus_two_variance - log_normalizer to the class's vote when both the first
  /// term and the sum are above kMinLogDensity, and otherwise defers to add_exact_log_likelihood().
  struct DensityTerms {
    double mean = 0.0;
    double minus_two_variance = 0.0;
    double log_normalizer = 0.0;
  };
  /// Below this, an exponent or a log density is too close to where River's exp() or its division
  /// underflows (e^-708 is about the smallest normal double): River's arithmetic decides.
  static constexpr double kMinLogDensity = -700.0;

  /// Learns `value` for `label`; with `terms`, also stores the new terms of `label` there.
  void update(double value, core::ClassId label, double weight, DensityTerms* terms = nullptr);
  /// Stores the terms of `label` in `terms`. A class never seen here or of variance 0, whose
  /// density River takes as 0, gets {0, -inf, 0}: every finite x then adds -0.0, i.e. nothing.
  void density_terms(core::ClassId label, DensityTerms& terms) const {
    write_terms(find(label), terms);
  }
  /// River's arithmetic: adds log(density of `value` under the Gaussian of `label`) to log_vote
  /// when that density is above 0.
  void add_exact_log_likelihood(core::ClassId label, double value, double& log_vote) const;
  /// The best binary split on this feature, or the null suggestion when no candidate scores above
  /// -inf.
  SplitSuggestion best_split(const SplitCriterion& criterion, const ClassWeights& pre_split,
                             core::FeatureId feature) const;

  void save(core::StateWriter& out) const;
  [[nodiscard]] bool load(core::StateReader& in);

 private:
  struct ClassEstimator {
    core::ClassId label = 0;
    double min_value = 0.0;
    double max_value = 0.0;
    double weight = 0.0;          // stats.Mean.n: the sum of weights
    double mean = 0.0;            // stats.Mean
    double sum_of_squares = 0.0;  // stats.Var._S
  };

  static double variance(const ClassEstimator& estimator);
  static void write_terms(const ClassEstimator* estimator, DensityTerms& terms);
  static double cdf(const ClassEstimator& estimator, double value);
  /// The estimator of `label`, or nullptr.
  const ClassEstimator* find(core::ClassId label) const {
    for (const ClassEstimator& estimator : estimators_)
      if (estimator.label == label) return &estimator;
    return nullptr;
  }
  ClassEstimator& add(core::ClassId label, double value);

  std::vector<ClassEstimator> estimators_;  // in the order the classes were first seen here
};

// Inline: a tree updates one splitter per feature for every event it learns.
inline void GaussianSplitter::update(double value, core::ClassId label, double weight,
                                     DensityTerms* terms) {
  ClassEstimator* found = nullptr;
  for (ClassEstimator& estimator : estimators_) {
    if (estimator.label == label) {
      found = &estimator;
      break;
    }
  }
  if (found == nullptr) {
    found = &add(label, value);
  } else {
    if (value < found->min_value) found->min_value = value;
    if (value > found->max_value) found->max_value = value;
  }
  ClassEstimator& estimator = *found;
  // stats.Mean.update then stats.Var.update, operation for operation.
  const double old_mean = estimator.mean;
  estimator.weight += weight;
  estimator.mean += (weight / estimator.weight) * (value - estimator.mean);
  estimator.sum_of_squares += weight * (value - old_mean) * (value - estimator.mean);
  if (terms != nullptr) write_terms(&estimator, *terms);
}

}  // namespace streamlearn::learners::tree
