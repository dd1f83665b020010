#include "learners/preprocessing/signed_log1p.h"

#include <cmath>

#include "core/param_writer.h"

namespace streamlearn::learners {

SignedLog1p::SignedLog1p(Params params, core::FeatureSpace* features)
    : params_(std::move(params)), features_(features), cols_(params_.cols, features) {}

std::unique_ptr<Transformer> SignedLog1p::create(core::ParamReader& reader,
                                                 core::FeatureSpace* features) {
  Params params;
  params.cols = FeatureSelection::read(reader, "cols", "log1p", features);
  if (!params.cols.empty() && features == nullptr) return nullptr;
  return std::make_unique<SignedLog1p>(std::move(params), features);
}

double SignedLog1p::apply(double x) { return std::copysign(std::log1p(std::abs(x)), x); }

std::string SignedLog1p::describe() const {
  core::ParamWriter writer("log1p");
  if (!params_.cols.empty()) writer.text("cols", FeatureSelection::expression(params_.cols), "");
  return writer.expression();
}

std::unique_ptr<Transformer> SignedLog1p::clone() const {
  return std::make_unique<SignedLog1p>(params_, features_);
}

void SignedLog1p::transform_one(const FeatureVector& x, FeatureVector& out) const {
  out.clear();
  for (const core::NumericFeature& feature : x.numeric())
    out.add_numeric(feature.id, cols_.contains(feature.id) ? apply(feature.value) : feature.value);
  for (const core::CategoricalFeature& feature : x.categorical())
    out.add_categorical(feature.id, feature.value, feature.indicator);
}

void SignedLog1p::save(core::StateWriter& out) const { out.write<std::uint32_t>(1); }

core::Status SignedLog1p::load(core::StateReader& in) {
  if (in.expect_version(1)) return core::Status::ok();
  return in.status("log1p");
}

}  // namespace streamlearn::learners
