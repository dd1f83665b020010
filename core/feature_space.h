#pragma once

/// FeatureSpace owns the interned names of one pipeline: feature names, categorical values and
/// the one-hot indicator features ("color=red") derived from them. Everything downstream of
/// decoding works with the dense ids it hands out, so learners index plain arrays.
/// save()/load() carry every interned name, value and indicator across a checkpoint, with the same
/// ids. Not thread-safe: one per pipeline.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/symbol_table.h"

namespace streamlearn::core {

using FeatureId = std::uint32_t;

class FeatureSpace {
 public:
  /// The id of a feature name, adding it if new.
  FeatureId feature(std::string_view name) { return features_.intern(name); }
  /// The id of a categorical value, adding it if new.
  SymbolId value(std::string_view text) { return values_.intern(text); }
  /// The id of the indicator feature "name=value" for one categorical value. Allocation-free
  /// once the pair has been seen.
  FeatureId indicator(FeatureId feature, SymbolId value);

  const std::string& feature_name(FeatureId id) const { return features_.name(id); }
  const std::string& value_text(SymbolId id) const { return values_.name(id); }
  std::optional<FeatureId> find_feature(std::string_view name) const {
    return features_.find(name);
  }
  std::size_t num_features() const { return features_.size(); }
  std::size_t num_values() const { return values_.size(); }

  /// Saves the feature names and categorical values in id order and the indicators.
  void save(StateWriter& out) const;
  /// Restores a saved space into this one, which may already hold names (the model expression
  /// interns some when it is built, before the checkpoint is restored): those must have their
  /// saved ids, else the error says the configuration changed; the rest are interned in order,
  /// so every id is the saved one. Names already held keep their addresses. On failure (that, or
  /// a truncated or corrupt state) the space is unchanged.
  [[nodiscard]] Status load(StateReader& in);

 private:
  SymbolTable features_;
  SymbolTable values_;
  std::unordered_map<std::uint64_t, FeatureId> indicators_;
};

}  // namespace streamlearn::core
