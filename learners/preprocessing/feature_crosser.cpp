#include "learners/preprocessing/feature_crosser.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/check.h"

namespace streamlearn::learners {

FeatureCrosser::FeatureCrosser(Params params, core::FeatureSpace* features)
    : params_(std::move(params)),
      features_(features),
      cols_(params_.cols, features),
      factor_ids_(params_.cols.size()),
      factor_values_(params_.cols.size()),
      found_(params_.cols.size()) {
  SL_CHECK(features_ != nullptr);
  SL_CHECK(params_.cols.size() >= 2);
}

std::unique_ptr<Transformer> FeatureCrosser::create(core::ParamReader& reader,
                                                    core::FeatureSpace* features) {
  Params params;
  params.cols = reader.names("cols");
  bool valid = params.cols.size() >= 2;
  if (params.cols.size() == 1 || !reader.given("cols")) {
    reader.reject("cols",
                  "required: two or more features to cross, e.g. "
                  "cross(cols=[country, amount])");
  }
  if (features == nullptr) {
    reader.error(
        "'cross' creates features: build the model with the pipeline's FeatureSpace, "
        "LearnerRegistry::build(expression, &features)");
    valid = false;
  }
  if (!valid) return nullptr;
  return std::make_unique<FeatureCrosser>(std::move(params), features);
}

std::string FeatureCrosser::describe() const {
  return "cross(cols=" + FeatureSelection::expression(params_.cols) + ")";
}

std::unique_ptr<Transformer> FeatureCrosser::clone() const {
  return std::make_unique<FeatureCrosser>(params_, features_);
}

core::FeatureId FeatureCrosser::cross_of_factors() const {
  const std::size_t count = factor_ids_.size();
  std::uint32_t node = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t key = (std::uint64_t{node} << 32) | factor_ids_[i];
    auto it = children_.find(key);
    if (it == children_.end()) {
      std::uint32_t child;
      if (i + 1 < count) {
        child = nodes_++;
      } else {
        // A new combination: its name is the factors' names joined with '*'.
        std::string name;
        for (std::size_t j = 0; j < count; ++j) {
          if (j > 0) name += '*';
          name += features_->feature_name(factor_ids_[j]);
        }
        child = features_->feature(name);
      }
      it = children_.emplace(key, child).first;
    }
    node = it->second;
  }
  return node;
}

void FeatureCrosser::transform_one(const FeatureVector& x, FeatureVector& out) const {
  out = x;
  std::fill(found_.begin(), found_.end(), 0);
  std::size_t missing = found_.size();
  for (const core::NumericFeature& feature : x.numeric()) {
    const std::size_t col = cols_.position(feature.id);
    if (col == FeatureSelection::kNotSelected || found_[col]) continue;
    found_[col] = 1;
    factor_ids_[col] = feature.id;
    factor_values_[col] = feature.value;
    --missing;
  }
  for (const core::CategoricalFeature& feature : x.categorical()) {
    const std::size_t col = cols_.position(feature.id);
    if (col == FeatureSelection::kNotSelected || found_[col]) continue;
    found_[col] = 1;
    factor_ids_[col] = feature.indicator;
    factor_values_[col] = 1.0;
    --missing;
  }
  if (missing != 0) return;
  double product = 1.0;
  for (const double value : factor_values_) product *= value;
  // Finite factors give a NaN product only as Inf * 0: the exact product is then 0.
  if (std::isnan(product)) {
    product = 0.0;
  } else if (std::isinf(product)) {
    product =
        product > 0 ? std::numeric_limits<double>::max() : std::numeric_limits<double>::lowest();
  }
  out.add_numeric(cross_of_factors(), product);
}

void FeatureCrosser::save(core::StateWriter& out) const { out.write<std::uint32_t>(1); }

core::Status FeatureCrosser::load(core::StateReader& in) {
  if (in.expect_version(1)) return core::Status::ok();
  return in.status("cross");
}

}  // namespace streamlearn::learners
