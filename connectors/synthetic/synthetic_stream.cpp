#include "connectors/synthetic/synthetic_stream.h"

namespace streamlearn::connectors {

std::uint64_t SyntheticStream::derive_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

core::FeatureId SyntheticStream::add_numeric_column(std::string_view name) {
  const core::FeatureId id = features_.feature(name);
  columns_.push_back({std::string(name), id, false});
  return id;
}

core::FeatureId SyntheticStream::add_categorical_column(std::string_view name) {
  const core::FeatureId id = features_.feature(name);
  columns_.push_back({std::string(name), id, true});
  return id;
}

}  // namespace streamlearn::connectors
