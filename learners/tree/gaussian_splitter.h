#pragma once

/// GaussianSplitter: the numeric attribute observer of a Hoeffding tree leaf, River's
/// tree.splitter.GaussianSplitter (n_splits = 10). For every class it keeps the smallest and
/// largest value seen and a Gaussian over the values (River's proba.Gaussian: Welford's running
/// mean and sample variance, in River's exact arithmetic). Split candidates are the n_splits
/// points that cut [min, max] over all classes into n_splits + 1 equal bins; for a candidate t each
/// class sends all its weight left when t >= its max, right when t < its min, and otherwise
/// cdf(t) * weight left and the rest right. The same Gaussians give the naive Bayes likelihoods.
///
/// Cost: update O(classes); split search O(n_splits x classes). Memory O(classes).

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

  void update(double value, core::ClassId label, double weight);
  /// The density of `value` under the Gaussian of `label`; 0 for a class never seen here or one
  /// whose variance is 0.
  double conditional_probability(double value, core::ClassId label) const;
  /// The best binary split on this feature, or the null suggestion when no candidate scores above
  /// -inf.
  SplitSuggestion best_split(const SplitCriterion& criterion, const ClassWeights& pre_split,
                             core::FeatureId feature) const;

  void save(core::StateWriter& out) const;
  [[nodiscard]] bool load(core::StateReader& in);

 private:
  struct ClassEstimator {
    core::ClassId label;
    double min_value;
    double max_value;
    double weight;          // stats.Mean.n: the sum of weights
    double mean;            // stats.Mean
    double sum_of_squares;  // stats.Var._S
  };
  /// The parts of the density that change only on update: the sample variance, -2 * variance and
  /// sqrt(tau * variance).
  struct DensityTerms {
    double variance = 0.0;
    double minus_two_variance = 0.0;
    double normalizer = 0.0;
  };

  static DensityTerms density_terms(const ClassEstimator& estimator);
  static double cdf(const ClassEstimator& estimator, double value);

  std::vector<ClassEstimator> estimators_;   // in the order the classes were first seen here
  std::vector<DensityTerms> density_terms_;  // parallel to estimators_
};

}  // namespace streamlearn::learners::tree
