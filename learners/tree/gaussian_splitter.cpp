#include "learners/tree/gaussian_splitter.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace streamlearn::learners::tree {
namespace {

constexpr double kTau = 2 * std::numbers::pi;  // Python's math.tau

}  // namespace

double GaussianSplitter::variance(const ClassEstimator& estimator) {
  // stats.Var(ddof=1).get()
  return estimator.weight > 1 ? estimator.sum_of_squares / (estimator.weight - 1) : 0.0;
}

double GaussianSplitter::cdf(const ClassEstimator& estimator, double value) {
  const double scale = std::sqrt(variance(estimator)) * std::sqrt(2.0);
  if (scale == 0.0) return 0.0;  // River catches the ZeroDivisionError
  return 0.5 * (1.0 + std::erf((value - estimator.mean) / scale));
}

GaussianSplitter::ClassEstimator& GaussianSplitter::add(core::ClassId label, double value) {
  ClassEstimator& added = estimators_.emplace_back();
  added.label = label;
  added.min_value = value;
  added.max_value = value;
  return added;
}

void GaussianSplitter::write_terms(const ClassEstimator* estimator, DensityTerms& terms) {
  const double v = estimator != nullptr ? variance(*estimator) : 0.0;
  if (v == 0.0) {
    terms = {0.0, -std::numeric_limits<double>::infinity(), 0.0};
  } else {
    terms.mean = estimator->mean;
    terms.minus_two_variance = -2 * v;
    terms.log_normalizer = std::log(std::sqrt(kTau * v));
  }
}

void GaussianSplitter::add_exact_log_likelihood(core::ClassId label, double value,
                                                double& log_vote) const {
  // River's proba.Gaussian density, operation for operation; 0 adds nothing.
  const ClassEstimator* estimator = find(label);
  if (estimator == nullptr) return;
  const double v = variance(*estimator);
  if (v == 0.0) return;
  const double deviation = value - estimator->mean;
  const double likelihood = std::exp((deviation * deviation) / (-2 * v)) / std::sqrt(kTau * v);
  if (likelihood > 0) log_vote += std::log(likelihood);
}

SplitSuggestion GaussianSplitter::best_split(const SplitCriterion& criterion,
                                             const ClassWeights& pre_split,
                                             core::FeatureId feature) const {
  SplitSuggestion best;
  if (estimators_.empty()) return best;
  double min_value = std::numeric_limits<double>::infinity();
  double max_value = -std::numeric_limits<double>::infinity();
  for (const ClassEstimator& estimator : estimators_) {
    if (estimator.min_value < min_value) min_value = estimator.min_value;
    if (estimator.max_value > max_value) max_value = estimator.max_value;
  }
  const double bin_size = (max_value - min_value) / (kSplitPoints + 1.0);

  std::vector<ClassWeights> post_split(2);
  for (int i = 0; i < kSplitPoints; ++i) {
    const double split_value = min_value + bin_size * static_cast<double>(i + 1);
    if (!(min_value < split_value && split_value < max_value)) continue;
    ClassWeights& left = post_split[0];
    ClassWeights& right = post_split[1];
    left.clear();
    right.clear();
    for (const ClassEstimator& estimator : estimators_) {
      if (split_value < estimator.min_value) {
        right[estimator.label] = estimator.weight;
      } else if (split_value >= estimator.max_value) {
        left[estimator.label] = estimator.weight;
      } else {
        const double left_weight = cdf(estimator, split_value) * estimator.weight;
        left[estimator.label] = left_weight;
        right[estimator.label] = estimator.weight - left_weight;
      }
    }
    const double merit = criterion.merit_of_split(pre_split, post_split);
    if (merit > best.merit) {
      best.merit = merit;
      best.kind = SplitSuggestion::Kind::kNumericBinary;
      best.feature = feature;
      best.threshold = split_value;
      best.children_stats = post_split;
    }
  }
  return best;
}

// Field by field: the struct's padding would make the bytes of equal states differ.
void GaussianSplitter::save(core::StateWriter& out) const {
  out.write<std::uint64_t>(estimators_.size());
  for (const ClassEstimator& estimator : estimators_) {
    out.write(estimator.label);
    out.write(estimator.min_value);
    out.write(estimator.max_value);
    out.write(estimator.weight);
    out.write(estimator.mean);
    out.write(estimator.sum_of_squares);
  }
}

bool GaussianSplitter::load(core::StateReader& in) {
  estimators_.clear();
  std::uint64_t num_classes = 0;
  if (!in.read(num_classes)) return false;
  for (std::uint64_t i = 0; i < num_classes; ++i) {
    ClassEstimator estimator;
    if (!in.read(estimator.label) || !in.read(estimator.min_value) ||
        !in.read(estimator.max_value) || !in.read(estimator.weight) || !in.read(estimator.mean) ||
        !in.read(estimator.sum_of_squares))
      return false;
    estimators_.push_back(estimator);
  }
  return true;
}

}  // namespace streamlearn::learners::tree
