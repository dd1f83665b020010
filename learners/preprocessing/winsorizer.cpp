#include "learners/preprocessing/winsorizer.h"

#include <algorithm>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::learners {

Winsorizer::Winsorizer(Params params, core::FeatureSpace* features)
    : params_(std::move(params)), features_(features), cols_(params_.cols, features) {
  SL_CHECK(0 < params_.lower && params_.lower < params_.upper && params_.upper < 1);
}

std::unique_ptr<Transformer> Winsorizer::create(core::ParamReader& reader,
                                                core::FeatureSpace* features) {
  Params params;
  params.lower = reader.number("lower", params.lower);
  params.upper = reader.number("upper", params.upper);
  params.cols = FeatureSelection::read(reader, "cols", "winsorize", features);
  bool valid = params.cols.empty() || features != nullptr;
  if (!(0 < params.lower && params.lower < params.upper && params.upper < 1)) {
    reader.reject("lower", "the quantiles must satisfy 0 < lower < upper < 1, got lower=" +
                               core::ParamWriter::format_number(params.lower) +
                               " and upper=" + core::ParamWriter::format_number(params.upper));
    valid = false;
  }
  if (!valid) return nullptr;
  return std::make_unique<Winsorizer>(std::move(params), features);
}

const P2Quantile* Winsorizer::lower_quantile(core::FeatureId id) const {
  if (id >= slot_by_id_.size() || slot_by_id_[id] == kUnlearned) return nullptr;
  return &bounds_[slot_by_id_[id] - 1].lower;
}

const P2Quantile* Winsorizer::upper_quantile(core::FeatureId id) const {
  if (id >= slot_by_id_.size() || slot_by_id_[id] == kUnlearned) return nullptr;
  return &bounds_[slot_by_id_[id] - 1].upper;
}

std::string Winsorizer::describe() const {
  const Params defaults;
  core::ParamWriter writer("winsorize");
  writer.number("lower", params_.lower, defaults.lower);
  writer.number("upper", params_.upper, defaults.upper);
  if (!params_.cols.empty()) writer.text("cols", FeatureSelection::expression(params_.cols), "");
  return writer.expression();
}

std::unique_ptr<Transformer> Winsorizer::clone() const {
  return std::make_unique<Winsorizer>(params_, features_);
}

void Winsorizer::learn_one(const FeatureVector& x) {
  for (const core::NumericFeature& feature : x.numeric()) {
    if (!cols_.contains(feature.id)) continue;
    if (feature.id >= slot_by_id_.size()) slot_by_id_.resize(feature.id + 1, kUnlearned);
    std::uint32_t& slot = slot_by_id_[feature.id];
    if (slot == kUnlearned) {
      bounds_.push_back({P2Quantile(params_.lower), P2Quantile(params_.upper)});
      slot = static_cast<std::uint32_t>(bounds_.size());
    }
    Bounds& bounds = bounds_[slot - 1];
    bounds.lower.update(feature.value);
    bounds.upper.update(feature.value);
  }
}

void Winsorizer::transform_one(const FeatureVector& x, FeatureVector& out) const {
  out.clear();
  const std::size_t size = slot_by_id_.size();
  for (const core::NumericFeature& feature : x.numeric()) {
    double value = feature.value;
    if (feature.id < size && slot_by_id_[feature.id] != kUnlearned) {
      const Bounds& bounds = bounds_[slot_by_id_[feature.id] - 1];
      const double low = bounds.lower.value(), high = bounds.upper.value();
      value = std::clamp(value, std::min(low, high), std::max(low, high));
    }
    out.add_numeric(feature.id, value);
  }
  for (const core::CategoricalFeature& feature : x.categorical())
    out.add_categorical(feature.id, feature.value, feature.indicator);
}

void Winsorizer::save(core::StateWriter& out) const {
  out.write<std::uint32_t>(1);
  out.write_vector(slot_by_id_);
  out.write_vector(bounds_);
}

core::Status Winsorizer::load(core::StateReader& in) {
  std::vector<std::uint32_t> slot_by_id;
  std::vector<Bounds> bounds;
  if (in.expect_version(1) && in.read_vector(slot_by_id) && in.read_vector(bounds)) {
    // Every slot must point into bounds, and every estimator estimate this transformer's
    // quantiles: anything else is a corrupt or foreign state.
    const bool consistent =
        std::all_of(slot_by_id.begin(), slot_by_id.end(),
                    [&](std::uint32_t slot) { return slot <= bounds.size(); }) &&
        std::all_of(bounds.begin(), bounds.end(), [&](const Bounds& b) {
          return b.lower.q() == params_.lower && b.upper.q() == params_.upper;
        });
    if (!consistent) in.fail();
  }
  if (core::Status status = in.status("winsorize"); !status.is_ok()) return status;
  slot_by_id_ = std::move(slot_by_id);
  bounds_ = std::move(bounds);
  return core::Status::ok();
}

}  // namespace streamlearn::learners
