#include "core/feature_space.h"

#include <algorithm>
#include <vector>

namespace streamlearn::core {
namespace {

constexpr std::uint32_t kStateVersion = 1;

std::uint64_t pair_key(FeatureId feature, SymbolId value) {
  return (std::uint64_t{feature} << 32) | value;
}

}  // namespace

FeatureId FeatureSpace::indicator(FeatureId feature, SymbolId value) {
  const std::uint64_t pair = pair_key(feature, value);
  if (auto it = indicators_.find(pair); it != indicators_.end()) return it->second;
  std::string name = features_.name(feature);
  name += '=';
  name += values_.name(value);
  const FeatureId id = features_.intern(name);
  indicators_.emplace(pair, id);
  return id;
}

void FeatureSpace::save(StateWriter& out) const {
  out.write(kStateVersion);
  features_.save(out);
  values_.save(out);
  // In key order, so that equal spaces save equal bytes whatever their hash maps' history.
  std::vector<std::pair<std::uint64_t, FeatureId>> indicators(indicators_.begin(),
                                                              indicators_.end());
  std::sort(indicators.begin(), indicators.end());
  out.write<std::uint64_t>(indicators.size());
  for (const auto& [pair, id] : indicators) {
    out.write(pair);
    out.write(id);
  }
}

Status FeatureSpace::load(StateReader& in) {
  if (!in.expect_version(kStateVersion)) return in.status("feature space");
  // Loaded into copies first: a failure leaves this space as it was.
  SymbolTable features = features_;
  SymbolTable values = values_;
  SL_RETURN_IF_ERROR(features.load(in, "feature names"));
  SL_RETURN_IF_ERROR(values.load(in, "categorical values"));
  std::uint64_t count = 0;
  if (!in.read(count)) return in.status("feature space");
  std::unordered_map<std::uint64_t, FeatureId> indicators = indicators_;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t pair = 0;
    FeatureId id = 0;
    if (!in.read(pair) || !in.read(id)) return in.status("feature space");
    const auto feature = static_cast<FeatureId>(pair >> 32);
    const auto value = static_cast<SymbolId>(pair & 0xFFFF'FFFFu);
    // An indicator is the feature named "feature=value": anything else is a corrupt state.
    const bool valid = feature < features.size() && value < values.size() &&
                       id < features.size() &&
                       features.name(id) == features.name(feature) + '=' + values.name(value);
    const auto [it, added] = indicators.emplace(pair, id);
    if (!valid || (!added && it->second != id)) {
      in.fail();
      return in.status("feature space");
    }
  }
  for (std::size_t id = features_.size(); id < features.size(); ++id)
    features_.intern(features.name(static_cast<FeatureId>(id)));
  for (std::size_t id = values_.size(); id < values.size(); ++id)
    values_.intern(values.name(static_cast<SymbolId>(id)));
  indicators_ = std::move(indicators);
  return Status::ok();
}

}  // namespace streamlearn::core
