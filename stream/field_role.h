#pragma once

/// FieldRole: the part a named field of a record plays under an EventSchema, resolved once per
/// column (CSV) or once per distinct field name (JSON) so that decoding a record compares no
/// names. Shared by the decoders so that both read a schema the same way.

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "stream/event_schema.h"

namespace streamlearn::stream {

enum class FieldRole : std::uint8_t { kFeature, kTarget, kKey, kEntity, kId, kTime, kIgnored };

/// The role of the field called `name`; kFeature when the schema names it nowhere.
FieldRole field_role(const EventSchema& schema, std::string_view name);

/// What a role is called in messages ("target", "key field", ...).
std::string_view field_role_name(FieldRole role);

/// Every field the schema gives two roles (target and key, ignored and time, ...), reported at
/// once; ok when there are none.
core::Status check_field_roles(const EventSchema& schema);

}  // namespace streamlearn::stream
