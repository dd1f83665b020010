#pragma once

/// ClassSet interns class labels to dense ClassIds. Ids follow first appearance, with one rule
/// that makes binary problems read the same everywhere: when the first label seen is a boolean
/// spelling (0/1, false/true, no/yes, in any case), "0" and "1" take ids 0 and 1 together, and all
/// boolean spellings map onto them. Otherwise the first class seen is id 0, the next id 1, ...
/// Binary metrics and binary learners (logistic regression) treat ClassId 1 as the positive class,
/// as River treats True/1. save()/load() carry the labels across a checkpoint with the same ids.
/// Not thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/symbol_table.h"

namespace streamlearn::core {

using ClassId = std::uint32_t;

class ClassSet {
 public:
  static constexpr ClassId kPositive = 1;

  ClassId intern(std::string_view label);
  const std::string& name(ClassId id) const { return names_.name(id); }
  std::size_t size() const { return names_.size(); }
  bool boolean() const { return boolean_; }

  /// Saves the labels in id order.
  void save(StateWriter& out) const;
  /// Restores saved labels into this set, which may already hold some (interned while the
  /// pipeline was built): those must have their saved ids, else the error says the configuration
  /// changed; the rest are interned in order. On failure the set is unchanged.
  [[nodiscard]] Status load(StateReader& in);

 private:
  SymbolTable names_;
  bool boolean_ = false;
};

}  // namespace streamlearn::core
