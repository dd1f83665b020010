#include "core/symbol_table.h"

namespace streamlearn::core {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

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

void SymbolTable::save(StateWriter& out) const {
  out.write(kStateVersion);
  out.write<std::uint64_t>(names_.size());
  for (const std::string& name : names_) out.write_string(name);
}

Status SymbolTable::load(StateReader& in, std::string_view what) {
  std::uint64_t count = 0;
  if (!in.expect_version(kStateVersion) || !in.read(count)) return in.status(what);
  // Read and check everything before interning anything, so that a failure changes nothing.
  SymbolTable added;
  for (std::uint64_t id = 0; id < count; ++id) {
    std::string name;
    if (!in.read_string(name)) return in.status(what);
    if (id < names_.size()) {
      if (name != names_[id])
        return Status::error(std::string(what) + ": id " + std::to_string(id) + " is '" +
                             names_[id] + "' in this pipeline but '" + name +
                             "' in the checkpoint: the configuration changed since the "
                             "checkpoint was saved; restore it with the same configuration, or "
                             "start without it");
      continue;
    }
    // A name saved twice cannot come from save(): the state is corrupt.
    if (find(name) || added.find(name)) {
      in.fail();
      return in.status(what);
    }
    added.intern(name);
  }
  if (count < names_.size())
    return Status::error(std::string(what) + ": this pipeline has " +
                         std::to_string(names_.size()) + " before the checkpoint is restored, "
                         "the checkpoint only " + std::to_string(count) +
                         ": the configuration changed since the checkpoint was saved; restore it "
                         "with the same configuration, or start without it");
  for (const std::string& name : added.names_) intern(name);
  return Status::ok();
}

}  // namespace streamlearn::core
