#include "learners/naive_bayes/gaussian_nb.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace streamlearn::learners {
namespace {

constexpr double kTau = 2 * std::numbers::pi;  // Python's math.tau

// scipy.special.logsumexp as of scipy 1.14, which River 0.21.1's predict_proba_one calls:
// log(sum(exp(a - max))) + max. (scipy 1.15 moved the largest term out of the sum and into a
// log1p; the River reference results were produced with the older formula: they match it to the
// last bit on the SEA stream, and to one unit in the last place on Agrawal, where numpy's
// vectorized exp and log differ from the C library's.)
double log_sum_exp(const std::vector<double>& values) {
  const double maximum = *std::max_element(values.begin(), values.end());
  double sum = 0.0;
  for (double value : values) sum += std::exp(value - maximum);
  return std::log(sum) + maximum;
}

}  // namespace

void GaussianNB::Gaussian::refresh_density() {
  const double variance = count > 1 ? sum_squares / (count - 1) : 0.0;
  neg_two_variance = -2 * variance;
  normalizer = variance != 0 ? std::sqrt(kTau * variance) : 0.0;
}

double GaussianNB::Gaussian::density(double x) const {
  if (normalizer == 0) return 0.0;
  // River squares with `(x - mu) ** 2`, i.e. the C library's pow(), which rounds differently from
  // the exact product about once in a thousand calls; that last bit never shows in the reference
  // metrics and pow() would halve the prediction speed, so this uses the product.
  const double deviation = x - mean;
  return std::exp(deviation * deviation / neg_two_variance) / normalizer;
}

std::unique_ptr<Learner> GaussianNB::create(core::ParamReader&) {
  return std::make_unique<GaussianNB>(Params{});
}

std::unique_ptr<Learner> GaussianNB::clone() const { return std::make_unique<GaussianNB>(params_); }

void GaussianNB::learn_one(const FeatureVector& x, const Target& y) {
  if (!y.is_class()) return;
  const core::ClassId label = y.class_id;
  if (label >= class_counts_.size()) {
    class_counts_.resize(label + 1, 0);
    gaussians_.resize(label + 1);
  }
  if (class_counts_[label] == 0) class_order_.push_back(label);
  ++class_counts_[label];
  ++total_count_;

  std::vector<Gaussian>& gaussians = gaussians_[label];
  core::for_each_numeric(x, [&gaussians](core::FeatureId id, double value) {
    if (id >= gaussians.size()) gaussians.resize(id + 1);
    Gaussian& g = gaussians[id];
    // stats.Mean and stats.Var(ddof=1) with weight 1, in River's exact arithmetic.
    const double old_mean = g.mean;
    g.count += 1;
    g.mean += (1 / g.count) * (value - g.mean);
    g.sum_squares += (value - old_mean) * (value - g.mean);
    g.refresh_density();
  });
}

void GaussianNB::predict_proba_one(const FeatureVector& x, ClassProbabilities& out) {
  if (class_order_.empty()) {
    out.clear();
    return;
  }
  log_likelihoods_.resize(class_order_.size());
  const double total = static_cast<double>(total_count_);
  for (std::size_t k = 0; k < class_order_.size(); ++k) {
    const core::ClassId label = class_order_[k];
    const std::vector<Gaussian>& gaussians = gaussians_[label];
    double sum = 0.0;
    core::for_each_numeric(x, [&](core::FeatureId id, double value) {
      const double pdf = id < gaussians.size() ? gaussians[id].density(value) : 0.0;
      sum += std::log(1e-9 + pdf);
    });
    log_likelihoods_[k] = std::log(static_cast<double>(class_counts_[label]) / total) + sum;
  }
  const double normalizer = log_sum_exp(log_likelihoods_);
  out.reset(class_counts_.size());
  for (std::size_t k = 0; k < class_order_.size(); ++k)
    out[class_order_[k]] = std::exp(log_likelihoods_[k] - normalizer);
}

void GaussianNB::save(core::StateWriter& out) const {
  out.write<std::uint32_t>(1);
  out.write(total_count_);
  out.write_vector(class_counts_);
  out.write_vector(class_order_);
  for (const std::vector<Gaussian>& gaussians : gaussians_) out.write_vector(gaussians);
}

core::Status GaussianNB::load(core::StateReader& in) {
  std::uint64_t total = 0;
  std::vector<std::uint64_t> counts;
  std::vector<core::ClassId> order;
  if (in.expect_version(1) && in.read(total) && in.read_vector(counts) && in.read_vector(order)) {
    std::vector<std::vector<Gaussian>> gaussians(counts.size());
    bool ok = true;
    for (auto& per_class : gaussians) ok = ok && in.read_vector(per_class);
    // The class order must list exactly the classes with a count, and the counts must add up.
    std::uint64_t sum = 0, learned = 0;
    for (std::uint64_t count : counts) {
      sum += count;
      learned += count > 0 ? 1 : 0;
    }
    ok = ok && sum == total && learned == order.size();
    std::vector<bool> listed(counts.size(), false);
    for (core::ClassId label : order) {
      ok = ok && label < counts.size() && counts[label] > 0 && !listed[label];
      if (ok) listed[label] = true;
    }
    if (ok) {
      total_count_ = total;
      class_counts_ = std::move(counts);
      class_order_ = std::move(order);
      gaussians_ = std::move(gaussians);
      return core::Status::ok();
    }
    in.fail();
  }
  return in.status("gaussian_nb");
}

}  // namespace streamlearn::learners
