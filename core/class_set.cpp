#include "core/class_set.h"

#include <array>

namespace streamlearn::core {
namespace {

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

}  // namespace streamlearn::core
