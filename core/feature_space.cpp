#include "core/feature_space.h"

namespace streamlearn::core {

FeatureId FeatureSpace::indicator(FeatureId feature, SymbolId value) {
  const std::uint64_t pair = (std::uint64_t{feature} << 32) | value;
  if (auto it = indicators_.find(pair); it != indicators_.end()) return it->second;
  std::string name = features_.name(feature);
  name += '=';
  name += values_.name(value);
  const FeatureId id = features_.intern(name);
  indicators_.emplace(pair, id);
  return id;
}

}  // namespace streamlearn::core
