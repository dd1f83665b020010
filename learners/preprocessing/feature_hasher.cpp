#include "learners/preprocessing/feature_hasher.h"

#include <cmath>
#include <limits>

#include "core/check.h"
#include "core/param_writer.h"
#include "core/xxhash64.h"

namespace streamlearn::learners {

FeatureHasher::FeatureHasher(Params params, core::FeatureSpace* features)
    : params_(std::move(params)), features_(features), cols_(params_.cols, features) {
  SL_CHECK(features_ != nullptr);
  SL_CHECK(params_.buckets >= 1 && params_.buckets <= kMaxBuckets);
}

std::unique_ptr<Transformer> FeatureHasher::create(core::ParamReader& reader,
                                                   core::FeatureSpace* features) {
  Params params;
  params.cols = reader.names("cols");
  bool valid = true;
  const std::int64_t buckets = reader.integer("buckets", params.buckets);
  if (buckets < 1 || buckets > kMaxBuckets) {
    reader.reject("buckets", "must be an integer from 1 to 2^32, got " + std::to_string(buckets));
    valid = false;
  } else {
    params.buckets = buckets;
  }
  const std::int64_t seed = reader.integer("seed", 0);
  if (seed < 0) {
    reader.reject("seed", "must be an integer >= 0, got " + std::to_string(seed));
    valid = false;
  } else {
    params.seed = static_cast<std::uint64_t>(seed);
  }
  if (features == nullptr) {
    reader.error(
        "'hash' creates features: build the model with the pipeline's FeatureSpace, "
        "LearnerRegistry::build(expression, &features)");
    valid = false;
  }
  if (!valid) return nullptr;
  return std::make_unique<FeatureHasher>(std::move(params), features);
}

std::uint64_t FeatureHasher::bucket(std::string_view name) const {
  const std::uint64_t hash = core::xxhash64(name, params_.seed);
  const auto buckets = static_cast<std::uint64_t>(params_.buckets);
  return std::has_single_bit(buckets) ? hash & (buckets - 1) : hash % buckets;
}

std::string FeatureHasher::describe() const {
  const Params defaults;
  core::ParamWriter writer("hash");
  if (!params_.cols.empty()) writer.text("cols", FeatureSelection::expression(params_.cols), "");
  if (params_.buckets != defaults.buckets) {
    // Powers of two are written as such, the way they are usually given.
    const auto buckets = static_cast<std::uint64_t>(params_.buckets);
    writer.text("buckets",
                std::has_single_bit(buckets) && buckets >= 1024
                    ? "2^" + std::to_string(std::countr_zero(buckets))
                    : std::to_string(buckets),
                "");
  }
  writer.integer("seed", static_cast<std::int64_t>(params_.seed), 0);
  return writer.expression();
}

std::unique_ptr<Transformer> FeatureHasher::clone() const {
  return std::make_unique<FeatureHasher>(params_, features_);
}

core::FeatureId FeatureHasher::output_of(core::FeatureId input) const {
  if (input < output_by_input_.size() && output_by_input_[input] != kUnmapped)
    return output_by_input_[input];
  // First sight of this input: hash its name, find or intern its bucket's feature.
  const std::uint64_t index = bucket(features_->feature_name(input));
  auto it = output_by_bucket_.find(index);
  if (it == output_by_bucket_.end())
    it =
        output_by_bucket_.emplace(index, features_->feature("hash_" + std::to_string(index))).first;
  if (input >= output_by_input_.size()) output_by_input_.resize(input + 1, kUnmapped);
  output_by_input_[input] = it->second;
  return it->second;
}

void FeatureHasher::add(core::FeatureId output, double value, FeatureVector& out) const {
  if (output >= slot_.size()) slot_.resize(output + 1, 0);
  std::uint32_t& slot = slot_[output];
  if (slot == 0) {
    out.add_numeric(output, value);
    slot = static_cast<std::uint32_t>(out.numeric().size());
  } else {
    out.mutable_numeric()[slot - 1].value += value;
  }
}

void FeatureHasher::transform_one(const FeatureVector& x, FeatureVector& out) const {
  out.clear();
  for (const core::CategoricalFeature& feature : x.categorical()) {
    if (cols_.contains(feature.id)) {
      add(output_of(feature.indicator), 1.0, out);
    } else {
      out.add_categorical(feature.id, feature.value, feature.indicator);
    }
  }
  for (const core::NumericFeature& feature : x.numeric()) {
    if (cols_.contains(feature.id)) {
      add(output_of(feature.id), feature.value, out);
    } else {
      out.add_numeric(feature.id, feature.value);
    }
  }
  // Forget this event's slots (only the hashed entries have one) and keep sums finite.
  std::vector<core::NumericFeature>& numeric = out.mutable_numeric();
  for (std::size_t i = 0; i < numeric.size(); ++i) {
    core::NumericFeature& feature = numeric[i];
    if (feature.id >= slot_.size() || slot_[feature.id] != i + 1) continue;
    slot_[feature.id] = 0;
    if (!std::isfinite(feature.value)) {
      feature.value = feature.value > 0 ? std::numeric_limits<double>::max()
                                        : std::numeric_limits<double>::lowest();
    }
  }
}

void FeatureHasher::save(core::StateWriter& out) const { out.write<std::uint32_t>(1); }

core::Status FeatureHasher::load(core::StateReader& in) {
  if (in.expect_version(1)) return core::Status::ok();
  return in.status("hash");
}

}  // namespace streamlearn::learners
