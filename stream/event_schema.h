#pragma once

/// EventSchema: which fields of a record play which role. Every other field is a feature: numeric
/// when its value is a number, categorical otherwise. Every member has an initializer, so a
/// designated initializer may name only the fields it sets (`{.target = "label"}`) without
/// -Wmissing-field-initializers.

#include <string>
#include <vector>

namespace streamlearn::stream {

enum class TargetKind { kClass, kValue };

/// The value a feature takes when a record does not carry it (or carries null), so that records
/// of older producers, written before the feature existed, still decode. Applied only to records
/// that carry at least one feature: a record with no feature fields is a label record.
struct FieldDefault {
  std::string field{};
  bool numeric = true;
  double number = 0.0;  // when numeric
  std::string text{};   // when categorical
};

struct EventSchema {
  std::string target{};  // label field; empty for unlabelled streams
  TargetKind target_kind = TargetKind::kClass;
  /// Optional. The event key (predictions are keyed by it; windows without `by` group by it),
  /// kept as text and never interned, like an entity.
  std::string key_field{};
  /// Fields that identify something (a user, a card, a device) rather than describe it: kept as
  /// text on the event (FeatureVector key fields), never features and never interned, so endless
  /// new ids cost nothing once their windows expire. Windows group by them (`by=user`).
  std::vector<std::string> entities{};
  std::string id_field{};             // optional
  std::string time_field{};           // optional; milliseconds since the epoch (integer)
  std::vector<std::string> ignore{};  // fields that are neither features nor roles
  std::vector<FieldDefault> defaults{};  // features missing from a record (JSON records only)
  /// A record without a target is an unlabelled event (its label may come later) rather than a
  /// rejected one.
  bool target_optional = false;
};

}  // namespace streamlearn::stream
