#pragma once

/// EventSchema: which fields of a record play which role. Every other field is a feature: numeric
/// when its value is a number, categorical otherwise. Every member has an initializer, so a
/// designated initializer may name only the fields it sets (`{.target = "label"}`) without
/// -Wmissing-field-initializers.

#include <string>
#include <vector>

namespace streamlearn::stream {

enum class TargetKind { kClass, kValue };

struct EventSchema {
  std::string target{};  // label field; empty for unlabelled streams
  TargetKind target_kind = TargetKind::kClass;
  std::string key_field{};            // optional
  std::string id_field{};             // optional
  std::string time_field{};           // optional; milliseconds since the epoch (integer)
  std::vector<std::string> ignore{};  // fields that are neither features nor roles
};

}  // namespace streamlearn::stream
