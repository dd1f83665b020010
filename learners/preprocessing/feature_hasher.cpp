#include "learners/preprocessing/feature_hasher.h"

#include <bit>
#include <cmath>
#include <limits>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::learners {
namespace {

// The five primes of XXH64.
constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

// Little-endian reads byte by byte, so the hash is the same on every host.
std::uint64_t read64(const unsigned char* p) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

std::uint64_t read32(const unsigned char* p) {
  std::uint64_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

std::uint64_t mix_lane(std::uint64_t accumulator, std::uint64_t lane) {
  accumulator += lane * kPrime2;
  accumulator = std::rotl(accumulator, 31);
  return accumulator * kPrime1;
}

std::uint64_t merge(std::uint64_t accumulator, std::uint64_t lane_accumulator) {
  accumulator ^= mix_lane(0, lane_accumulator);
  return accumulator * kPrime1 + kPrime4;
}

}  // namespace

std::uint64_t FeatureHasher::xxhash64(std::string_view text, std::uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* const end = p + text.size();
  std::uint64_t accumulator;
  if (text.size() >= 32) {
    // Four lanes over 32-byte stripes.
    std::uint64_t v1 = seed + kPrime1 + kPrime2, v2 = seed + kPrime2, v3 = seed,
                  v4 = seed - kPrime1;
    for (; end - p >= 32; p += 32) {
      v1 = mix_lane(v1, read64(p));
      v2 = mix_lane(v2, read64(p + 8));
      v3 = mix_lane(v3, read64(p + 16));
      v4 = mix_lane(v4, read64(p + 24));
    }
    accumulator = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
    accumulator = merge(accumulator, v1);
    accumulator = merge(accumulator, v2);
    accumulator = merge(accumulator, v3);
    accumulator = merge(accumulator, v4);
  } else {
    accumulator = seed + kPrime5;
  }
  accumulator += static_cast<std::uint64_t>(text.size());
  for (; end - p >= 8; p += 8) {
    accumulator ^= mix_lane(0, read64(p));
    accumulator = std::rotl(accumulator, 27) * kPrime1 + kPrime4;
  }
  if (end - p >= 4) {
    accumulator ^= read32(p) * kPrime1;
    accumulator = std::rotl(accumulator, 23) * kPrime2 + kPrime3;
    p += 4;
  }
  for (; p < end; ++p) {
    accumulator ^= *p * kPrime5;
    accumulator = std::rotl(accumulator, 11) * kPrime1;
  }
  // The final avalanche.
  accumulator ^= accumulator >> 33;
  accumulator *= kPrime2;
  accumulator ^= accumulator >> 29;
  accumulator *= kPrime3;
  accumulator ^= accumulator >> 32;
  return accumulator;
}

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
  const std::uint64_t hash = xxhash64(name, params_.seed);
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
