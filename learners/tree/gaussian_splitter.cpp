#include "learners/tree/gaussian_splitter.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace streamlearn::learners::tree {
namespace {

constexpr double kTau = 2 * std::numbers::pi;  // Python's math.tau

// Python's `base ** exponent` on floats calls the C library's pow(), which rounds differently from
// base * base or sqrt() about once in a thousand calls. The volatile exponent stops the compiler
// from rewriting pow(d, 2.0) as d * d.
double python_pow(double base, double exponent) {
  volatile double opaque_exponent = exponent;
  return std::pow(base, opaque_exponent);
}

}  // namespace

GaussianSplitter::DensityTerms GaussianSplitter::density_terms(const ClassEstimator& estimator) {
  DensityTerms terms;
  // stats.Var(ddof=1).get()
  terms.variance = estimator.weight > 1 ? estimator.sum_of_squares / (estimator.weight - 1) : 0.0;
  terms.minus_two_variance = -2 * terms.variance;
  terms.normalizer = std::sqrt(kTau * terms.variance);
  return terms;
}

double GaussianSplitter::cdf(const ClassEstimator& estimator, double value) {
  const double variance =
      estimator.weight > 1 ? estimator.sum_of_squares / (estimator.weight - 1) : 0.0;
  const double scale = python_pow(variance, 0.5) * std::sqrt(2.0);
  if (scale == 0.0) return 0.0;  // River catches the ZeroDivisionError
  return 0.5 * (1.0 + std::erf((value - estimator.mean) / scale));
}

void GaussianSplitter::update(double value, core::ClassId label, double weight) {
  std::size_t index = 0;
  while (index < estimators_.size() && estimators_[index].label != label) ++index;
  if (index == estimators_.size()) {
    estimators_.push_back({label, value, value, 0.0, 0.0, 0.0});
    density_terms_.emplace_back();
  } else {
    ClassEstimator& known = estimators_[index];
    if (value < known.min_value) known.min_value = value;
    if (value > known.max_value) known.max_value = value;
  }
  ClassEstimator& estimator = estimators_[index];
  // stats.Mean.update then stats.Var.update, operation for operation.
  const double old_mean = estimator.mean;
  estimator.weight += weight;
  estimator.mean += (weight / estimator.weight) * (value - estimator.mean);
  estimator.sum_of_squares += weight * (value - old_mean) * (value - estimator.mean);
  density_terms_[index] = density_terms(estimator);
}

double GaussianSplitter::conditional_probability(double value, core::ClassId label) const {
  for (std::size_t index = 0; index < estimators_.size(); ++index) {
    if (estimators_[index].label != label) continue;
    const DensityTerms& terms = density_terms_[index];
    if (terms.variance == 0.0) return 0.0;
    // CPython raises negative bases to an integral power as |base|; glibc's pow agrees.
    const double deviation = std::fabs(value - estimators_[index].mean);
    return std::exp(python_pow(deviation, 2.0) / terms.minus_two_variance) / terms.normalizer;
  }
  return 0.0;
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
  density_terms_.clear();
  std::uint64_t num_classes = 0;
  if (!in.read(num_classes)) return false;
  for (std::uint64_t i = 0; i < num_classes; ++i) {
    ClassEstimator estimator{};
    if (!in.read(estimator.label) || !in.read(estimator.min_value) ||
        !in.read(estimator.max_value) || !in.read(estimator.weight) || !in.read(estimator.mean) ||
        !in.read(estimator.sum_of_squares))
      return false;
    estimators_.push_back(estimator);
    density_terms_.push_back(density_terms(estimator));
  }
  return true;
}

}  // namespace streamlearn::learners::tree
