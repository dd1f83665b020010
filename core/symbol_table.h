#pragma once

/// SymbolTable interns strings to dense 32-bit ids (0, 1, 2, ... in order of first appearance).
/// Look-ups by string_view do not allocate; only a never-seen string allocates, once. Used for
/// feature names, categorical values and class labels, so the hot path handles integers.
/// Not thread-safe.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::core {

using SymbolId = std::uint32_t;

class SymbolTable {
 public:
  SymbolTable() = default;
  SymbolTable(const SymbolTable& other);
  SymbolTable& operator=(const SymbolTable& other);
  SymbolTable(SymbolTable&&) noexcept = default;
  SymbolTable& operator=(SymbolTable&&) noexcept = default;

  /// The id of `text`, adding it if new.
  SymbolId intern(std::string_view text);
  /// The id of `text` if it is known.
  std::optional<SymbolId> find(std::string_view text) const;
  /// The text of a known id.
  const std::string& name(SymbolId id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

  /// Saves every name in id order.
  void save(StateWriter& out) const;
  /// Restores what save() wrote into a table that may already hold names (interned while the
  /// pipeline was built, before its checkpoint is restored): those must be the saved table's
  /// first names, with the same ids, else the configuration changed and the error says so,
  /// naming `what` ("feature names"); the other saved names are interned after them in order, so
  /// every id is the saved one. Names already held keep their addresses. On failure the table is
  /// unchanged.
  [[nodiscard]] Status load(StateReader& in, std::string_view what);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  // The deque keeps string addresses stable, so the map can key on views into it.
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, SymbolId, Hash, std::equal_to<>> ids_;
};

}  // namespace streamlearn::core
