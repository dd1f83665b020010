#include "learners/preprocessing/one_hot_encoder.h"

#include <bit>
#include <charconv>
#include <string_view>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::learners {

std::size_t OneHotEncoder::KeyHash::operator()(const Key& key) const noexcept {
  // A 64-bit mix (the splitmix64 finalizer) of both fields: the bits of nearby numbers differ
  // only in their low mantissa bits, which a plain xor would hash to neighbouring buckets.
  std::uint64_t h = key.bits ^ (std::uint64_t{key.feature} * 0x9E3779B97F4A7C15ULL);
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  return static_cast<std::size_t>(h ^ (h >> 31));
}

OneHotEncoder::OneHotEncoder(Params params, core::FeatureSpace* features)
    : params_(std::move(params)), features_(features), cols_(params_.cols, features) {
  SL_CHECK(features_ != nullptr);
}

std::unique_ptr<Transformer> OneHotEncoder::create(core::ParamReader& reader,
                                                   core::FeatureSpace* features) {
  Params params;
  params.cols = reader.names("cols");
  if (features == nullptr) {
    reader.error(
        "'one_hot' creates features: build the model with the pipeline's FeatureSpace, "
        "LearnerRegistry::build(expression, &features)");
    return nullptr;
  }
  return std::make_unique<OneHotEncoder>(std::move(params), features);
}

std::string OneHotEncoder::describe() const {
  core::ParamWriter writer("one_hot");
  if (!params_.cols.empty()) writer.text("cols", FeatureSelection::expression(params_.cols), "");
  return writer.expression();
}

std::unique_ptr<Transformer> OneHotEncoder::clone() const {
  return std::make_unique<OneHotEncoder>(params_, features_);
}

void OneHotEncoder::transform_one(const FeatureVector& x, FeatureVector& out) const {
  out.clear();
  for (const core::CategoricalFeature& feature : x.categorical())
    out.add_categorical(feature.id, feature.value, feature.indicator);
  for (const core::NumericFeature& feature : x.numeric()) {
    if (!cols_.contains(feature.id)) {
      out.add_numeric(feature.id, feature.value);
      continue;
    }
    const double number = feature.value + 0.0;  // -0 + 0 is +0: one category for zero
    const Key key{feature.id, std::bit_cast<std::uint64_t>(number)};
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      // 32 characters hold any double's shortest form, so to_chars cannot fail.
      char text[32];
      const auto result = std::to_chars(text, text + sizeof(text), number);
      const core::SymbolId value = features_->value(std::string_view(text, result.ptr - text));
      it = cache_.emplace(key, Category{value, features_->indicator(feature.id, value)}).first;
    }
    out.add_categorical(feature.id, it->second.value, it->second.indicator);
  }
}

void OneHotEncoder::save(core::StateWriter& out) const { out.write<std::uint32_t>(1); }

core::Status OneHotEncoder::load(core::StateReader& in) {
  if (in.expect_version(1)) return core::Status::ok();
  return in.status("one_hot");
}

}  // namespace streamlearn::learners
