#include "core/class_set.h"

#include <array>

namespace streamlearn::core {
namespace {

constexpr std::uint32_t kStateVersion = 1;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char ca = a[i];
    if (ca >= 'A' && ca <= 'Z') ca = static_cast<char>(ca - 'A' + 'a');
    if (ca != b[i]) return false;
  }
  return true;
}

// Returns 0 or 1 for a boolean spelling, -1 otherwise.
int boolean_value(std::string_view label) {
  static constexpr std::array<std::string_view, 4> kFalse = {"0", "false", "no", "0.0"};
  static constexpr std::array<std::string_view, 4> kTrue = {"1", "true", "yes", "1.0"};
  for (std::string_view spelling : kFalse)
    if (equals_ignoring_case(label, spelling)) return 0;
  for (std::string_view spelling : kTrue)
    if (equals_ignoring_case(label, spelling)) return 1;
  return -1;
}

}  // namespace

ClassId ClassSet::intern(std::string_view label) {
  if (auto known = names_.find(label)) return *known;
  const int as_boolean = boolean_value(label);
  if (names_.size() == 0 && as_boolean >= 0) {
    boolean_ = true;
    names_.intern("0");
    names_.intern("1");
  }
  if (boolean_ && as_boolean >= 0) return static_cast<ClassId>(as_boolean);
  return names_.intern(label);
}

void ClassSet::save(StateWriter& out) const {
  out.write(kStateVersion);
  out.write_bool(boolean_);
  names_.save(out);
}

Status ClassSet::load(StateReader& in) {
  bool boolean = false;
  if (!in.expect_version(kStateVersion) || !in.read_bool(boolean)) return in.status("class labels");
  if (names_.size() > 0 && boolean != boolean_)
    return Status::error(std::string("class labels: this pipeline's labels are ") +
                         (boolean_ ? "" : "not ") + "boolean, the checkpoint's are " +
                         (boolean ? "" : "not ") +
                         "boolean: the configuration changed since the checkpoint was saved; "
                         "restore it with the same configuration, or start without it");
  SymbolTable names = names_;
  SL_RETURN_IF_ERROR(names.load(in, "class labels"));
  // Boolean labels are "0" and "1" at ids 0 and 1 (intern() relies on it).
  if (boolean && (names.size() < 2 || names.name(0) != "0" || names.name(1) != "1")) {
    in.fail();
    return in.status("class labels");
  }
  for (std::size_t id = names_.size(); id < names.size(); ++id)
    names_.intern(names.name(static_cast<ClassId>(id)));
  boolean_ = boolean;
  return Status::ok();
}

}  // namespace streamlearn::core
