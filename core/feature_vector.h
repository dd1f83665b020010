#pragma once

/// FeatureVector: the features of one event, numeric and categorical, by interned id. It is a
/// reusable buffer: clear() keeps capacity, so a decoder filling the same vector for every event
/// allocates nothing in steady state. Values are finite by construction: decoders reject NaN and
/// Inf before they get here.
///
/// Numeric models see a categorical feature as its one-hot indicator with value 1.0
/// (`for_each_numeric`), as River's OneHotEncoder and Vowpal Wabbit's namespaces do.
///
/// Key fields travel with the features but are not features: the schema's key and entities (a
/// user, a card, a device), kept as text, never interned, so that endless new ids cost the
/// process nothing once their windows expire. Windows key by them (`by=user`); learners never see
/// them. They are here rather than on the Event so that whatever keeps an event's features for a
/// late label (a target_agg keyed by the user learns the label then) keeps them too.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

/// One key field: the field's name is interned (as a feature name); its text is held in the
/// vector's text buffer at [offset, offset + size).
struct KeyField {
  FeatureId field;
  std::uint32_t offset;
  std::uint32_t size;
};

class FeatureVector {
 public:
  void clear() {
    numeric_.clear();
    categorical_.clear();
    key_fields_.clear();
    key_text_.clear();
  }
  void add_numeric(FeatureId id, double value) { numeric_.push_back({id, value}); }
  void add_categorical(FeatureId id, SymbolId value, FeatureId indicator) {
    categorical_.push_back({id, value, indicator});
  }
  /// Adds a key field's text (copied into a buffer that clear() keeps, so no allocation per
  /// event in steady state).
  void add_key(FeatureId field, std::string_view text) {
    key_fields_.push_back({field, static_cast<std::uint32_t>(key_text_.size()),
                           static_cast<std::uint32_t>(text.size())});
    key_text_.append(text);
  }

  const std::vector<NumericFeature>& numeric() const { return numeric_; }
  const std::vector<CategoricalFeature>& categorical() const { return categorical_; }
  std::vector<NumericFeature>& mutable_numeric() { return numeric_; }
  const std::vector<KeyField>& key_fields() const { return key_fields_; }
  std::string_view key_text(const KeyField& key) const {
    return std::string_view(key_text_).substr(key.offset, key.size);
  }
  /// The text of key field `field`, if the event has it.
  std::optional<std::string_view> find_key(FeatureId field) const {
    for (const KeyField& key : key_fields_)
      if (key.field == field) return key_text(key);
    return std::nullopt;
  }
  /// The number of features (key fields are not features).
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
  std::vector<KeyField> key_fields_;
  std::string key_text_;
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
  if (key_fields_.size() != other.key_fields_.size()) return false;
  for (std::size_t i = 0; i < key_fields_.size(); ++i)
    if (key_fields_[i].field != other.key_fields_[i].field ||
        key_text(key_fields_[i]) != other.key_text(other.key_fields_[i]))
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
