#include "learners/preprocessing/min_max_scaler.h"

#include <cmath>

namespace streamlearn::learners {
namespace {

// (value - min) / (max - min) for a learned range (min <= max, both finite), never NaN or Inf.
double scale(double value, double min, double max) {
  const double range = max - min;
  if (range == 0) return 0.0;  // River's safe_div
  if (std::isfinite(range)) {
    const double scaled = (value - min) / range;
    if (std::isfinite(scaled)) return scaled;
  }
  // A range or a difference beyond the double range: halving every operand keeps them finite and
  // the quotient the same up to rounding.
  const double scaled = (value * 0.5 - min * 0.5) / (max * 0.5 - min * 0.5);
  if (std::isfinite(scaled)) return scaled;
  if (std::isnan(scaled)) return 0.0;  // a subnormal range halved to 0 over a numerator of 0
  return scaled > 0 ? std::numeric_limits<double>::max() : std::numeric_limits<double>::lowest();
}

}  // namespace

std::unique_ptr<Transformer> MinMaxScaler::create(core::ParamReader& reader) {
  (void)reader;
  return std::make_unique<MinMaxScaler>(Params{});
}

std::string MinMaxScaler::describe() const { return "min_max_scaler"; }

std::unique_ptr<Transformer> MinMaxScaler::clone() const {
  return std::make_unique<MinMaxScaler>(params_);
}

void MinMaxScaler::learn_one(const FeatureVector& x) {
  for (const core::NumericFeature& feature : x.numeric()) {
    if (feature.id >= ranges_.size()) ranges_.resize(feature.id + 1);
    Range& range = ranges_[feature.id];
    if (feature.value < range.min) range.min = feature.value;
    if (feature.value > range.max) range.max = feature.value;
  }
}

void MinMaxScaler::transform_one(const FeatureVector& x, FeatureVector& out) const {
  out.clear();
  const std::size_t size = ranges_.size();
  for (const core::NumericFeature& feature : x.numeric()) {
    // A feature never learned (min > max) maps to 0, as StandardScaler maps it.
    double scaled = 0.0;
    if (feature.id < size && ranges_[feature.id].min <= ranges_[feature.id].max)
      scaled = scale(feature.value, ranges_[feature.id].min, ranges_[feature.id].max);
    out.add_numeric(feature.id, scaled);
  }
  for (const core::CategoricalFeature& feature : x.categorical())
    out.add_categorical(feature.id, feature.value, feature.indicator);
}

void MinMaxScaler::save(core::StateWriter& out) const {
  out.write<std::uint32_t>(1);
  out.write_vector(ranges_);
}

core::Status MinMaxScaler::load(core::StateReader& in) {
  std::vector<Range> ranges;
  if (in.expect_version(1) && in.read_vector(ranges)) {
    ranges_ = std::move(ranges);
    return core::Status::ok();
  }
  return in.status("min_max_scaler");
}

}  // namespace streamlearn::learners
