#pragma once

/// Target: the label of an event (a class or a real value) or a model's point prediction, or
/// nothing (an unlabelled event; a model that cannot predict yet).

#include <cstdint>

#include "core/class_set.h"

namespace streamlearn::core {

struct Target {
  enum class Kind : std::uint8_t { kNone, kClass, kValue };

  Kind kind = Kind::kNone;
  ClassId class_id = 0;
  double value = 0.0;

  static Target none() { return {}; }
  static Target of_class(ClassId id) { return {Kind::kClass, id, 0.0}; }
  static Target of_value(double v) { return {Kind::kValue, 0, v}; }

  bool has_value() const { return kind != Kind::kNone; }
  bool is_class() const { return kind == Kind::kClass; }
  bool operator==(const Target& other) const {
    return kind == other.kind && class_id == other.class_id && value == other.value;
  }
};

}  // namespace streamlearn::core
