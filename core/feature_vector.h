#pragma once

/// FeatureVector: the features of one event, numeric and categorical, by interned id. It is a
/// reusable buffer: clear() keeps capacity, so a decoder filling the same vector for every event
/// allocates nothing in steady state. Values are finite by construction: decoders reject NaN and
/// Inf before they get here.
///
/// Numeric models see a categorical feature as its one-hot indicator with value 1.0
/// (`for_each_numeric`), as River's OneHotEncoder and Vowpal Wabbit's namespaces do.

#include <cstdint>
#include <vector>

#include "core/feature_space.h"

namespace streamlearn::core {

struct NumericFeature {
  FeatureId id;
  double value;
};

struct CategoricalFeature {
  FeatureId id;         // the feature ("color")
  SymbolId value;       // the value ("red")
  FeatureId indicator;  // the one-hot feature ("color=red")
};

class FeatureVector {
 public:
  void clear() {
    numeric_.clear();
    categorical_.clear();
  }
  void add_numeric(FeatureId id, double value) { numeric_.push_back({id, value}); }
  void add_categorical(FeatureId id, SymbolId value, FeatureId indicator) {
    categorical_.push_back({id, value, indicator});
  }

  const std::vector<NumericFeature>& numeric() const { return numeric_; }
  const std::vector<CategoricalFeature>& categorical() const { return categorical_; }
  std::vector<NumericFeature>& mutable_numeric() { return numeric_; }
  std::size_t size() const { return numeric_.size() + categorical_.size(); }
  bool empty() const { return numeric_.empty() && categorical_.empty(); }

  /// The numeric value of a feature if present (linear scan: for tests and tools, not the hot
  /// path).
  const NumericFeature* find_numeric(FeatureId id) const {
    for (const NumericFeature& f : numeric_)
      if (f.id == id) return &f;
    return nullptr;
  }

  bool operator==(const FeatureVector& other) const;

 private:
  std::vector<NumericFeature> numeric_;
  std::vector<CategoricalFeature> categorical_;
};

inline bool FeatureVector::operator==(const FeatureVector& other) const {
  if (numeric_.size() != other.numeric_.size()) return false;
  if (categorical_.size() != other.categorical_.size()) return false;
  for (std::size_t i = 0; i < numeric_.size(); ++i)
    if (numeric_[i].id != other.numeric_[i].id || numeric_[i].value != other.numeric_[i].value)
      return false;
  for (std::size_t i = 0; i < categorical_.size(); ++i)
    if (categorical_[i].id != other.categorical_[i].id ||
        categorical_[i].value != other.categorical_[i].value)
      return false;
  return true;
}

/// Calls f(id, value) for every numeric feature, then f(indicator, 1.0) for every categorical one.
template <typename F>
inline void for_each_numeric(const FeatureVector& x, F&& f) {
  for (const NumericFeature& feature : x.numeric()) f(feature.id, feature.value);
  for (const CategoricalFeature& feature : x.categorical()) f(feature.indicator, 1.0);
}

}  // namespace streamlearn::core
