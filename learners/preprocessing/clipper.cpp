#include "learners/preprocessing/clipper.h"

#include <algorithm>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::learners {

Clipper::Clipper(Params params, core::FeatureSpace* features)
    : params_(std::move(params)), features_(features), cols_(params_.cols, features) {
  SL_CHECK(params_.min <= params_.max);
}

std::unique_ptr<Transformer> Clipper::create(core::ParamReader& reader,
                                             core::FeatureSpace* features) {
  Params params;
  params.min = reader.number("min", params.min);
  params.max = reader.number("max", params.max);
  params.cols = FeatureSelection::read(reader, "cols", "clip", features);
  bool valid = params.cols.empty() || features != nullptr;
  if (params.min > params.max) {
    reader.reject("min",
                  "must be at most max, got min=" + core::ParamWriter::format_number(params.min) +
                      " > max=" + core::ParamWriter::format_number(params.max));
    valid = false;
  }
  if (!valid) return nullptr;
  return std::make_unique<Clipper>(std::move(params), features);
}

std::string Clipper::describe() const {
  const Params defaults;
  core::ParamWriter writer("clip");
  writer.number("min", params_.min, defaults.min);
  writer.number("max", params_.max, defaults.max);
  if (!params_.cols.empty()) writer.text("cols", FeatureSelection::expression(params_.cols), "");
  return writer.expression();
}

std::unique_ptr<Transformer> Clipper::clone() const {
  return std::make_unique<Clipper>(params_, features_);
}

void Clipper::transform_one(const FeatureVector& x, FeatureVector& out) const {
  out.clear();
  for (const core::NumericFeature& feature : x.numeric()) {
    out.add_numeric(feature.id, cols_.contains(feature.id)
                                    ? std::clamp(feature.value, params_.min, params_.max)
                                    : feature.value);
  }
  for (const core::CategoricalFeature& feature : x.categorical())
    out.add_categorical(feature.id, feature.value, feature.indicator);
}

void Clipper::save(core::StateWriter& out) const { out.write<std::uint32_t>(1); }

core::Status Clipper::load(core::StateReader& in) {
  if (in.expect_version(1)) return core::Status::ok();
  return in.status("clip");
}

}  // namespace streamlearn::learners
