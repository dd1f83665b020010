#include "core/symbol_table.h"

namespace streamlearn::core {

SymbolTable::SymbolTable(const SymbolTable& other) { *this = other; }

SymbolTable& SymbolTable::operator=(const SymbolTable& other) {
  if (this == &other) return *this;
  names_.clear();
  ids_.clear();
  for (const std::string& name : other.names_) intern(name);
  return *this;
}

SymbolId SymbolTable::intern(std::string_view text) {
  if (auto it = ids_.find(text); it != ids_.end()) return it->second;
  const auto id = static_cast<SymbolId>(names_.size());
  const std::string& stored = names_.emplace_back(text);
  ids_.emplace(std::string_view(stored), id);
  return id;
}

std::optional<SymbolId> SymbolTable::find(std::string_view text) const {
  if (auto it = ids_.find(text); it != ids_.end()) return it->second;
  return std::nullopt;
}

}  // namespace streamlearn::core
