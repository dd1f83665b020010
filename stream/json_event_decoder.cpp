#include "stream/json_event_decoder.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "stream/field_role.h"
#include "stream/label_cache.h"
#include "stream/parsed_number.h"

namespace streamlearn::stream {
namespace {

namespace ondemand = simdjson::ondemand;

struct FieldInfo {
  FieldRole role = FieldRole::kFeature;
  core::FeatureId feature = 0;  // for kFeature, and the name of a key or entity field
  std::int32_t default_index = -1;  // a feature with a default: its index in Impl::defaults
};

/// A schema default, interned once.
struct ResolvedDefault {
  core::FeatureId feature = 0;
  bool numeric = true;
  double number = 0.0;
  core::SymbolId symbol = 0;
  core::FeatureId indicator = 0;
};

struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const noexcept {
    return std::hash<std::string_view>{}(name);
  }
};

// unordered_map nodes do not move, so the by-position cache can point at entries.
using FieldMap = std::unordered_map<std::string, FieldInfo, NameHash, std::equal_to<>>;
using FieldEntry = FieldMap::value_type;

Rejection reject(RejectReason reason, std::string message) {
  return Rejection{reason, std::move(message)};
}

Rejection malformed(simdjson::error_code error) {
  return reject(RejectReason::kMalformedRecord,
                std::string("invalid JSON: ") + simdjson::error_message(error));
}

std::string field_prefix(const FieldEntry& field) { return "field '" + field.first + "': "; }

// The text of a scalar as written (simdjson's raw token may carry trailing blanks).
std::string_view raw_text(ondemand::value& value) {
  return internal::trim_blanks(value.raw_json_token());
}

// Why a token that simdjson would not read as a double (or could not type at all), or a numeric
// string that is not finite, was refused: NaN/Infinity (Python writes them) and 1e999 get their
// own reasons; anything else is broken JSON.
Rejection number_problem(const FieldEntry& field, std::string_view raw) {
  switch (parse_number(raw).kind) {
    case ParsedNumber::Kind::kNonFinite:
      return reject(RejectReason::kNonFinite,
                    field_prefix(field) + quote_for_message(raw) + " is not a finite number");
    case ParsedNumber::Kind::kOutOfRange:
      return reject(RejectReason::kOutOfRange,
                    field_prefix(field) + quote_for_message(raw) + " is too large for a double");
    case ParsedNumber::Kind::kNumber:
    case ParsedNumber::Kind::kNotANumber:
      break;
  }
  return reject(RejectReason::kMalformedRecord,
                field_prefix(field) + quote_for_message(raw) + " is not a valid JSON value");
}

std::string_view type_name(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::array:
      return "an array";
    case ondemand::json_type::object:
      return "an object";
    case ondemand::json_type::number:
      return "a number";
    case ondemand::json_type::string:
      return "a string";
    case ondemand::json_type::boolean:
      return "a boolean";
    case ondemand::json_type::null:
      return "null";
  }
  return "a value";
}

}  // namespace

struct JsonEventDecoder::Impl {
  Impl(const EventSchema& event_schema, core::FeatureSpace& feature_space,
       core::ClassSet& class_set)
      : schema(event_schema), space(&feature_space), classes(&class_set) {
    for (const FieldDefault& field_default : schema.defaults) {
      ResolvedDefault resolved;
      resolved.feature = space->feature(field_default.field);
      resolved.numeric = field_default.numeric;
      resolved.number = field_default.number;
      if (!field_default.numeric) {
        resolved.symbol = space->value(field_default.text);
        resolved.indicator = space->indicator(resolved.feature, resolved.symbol);
      }
      defaults.push_back(resolved);
    }
    default_seen.resize(defaults.size());
  }

  void apply_defaults(Event& event) const;

  std::optional<Rejection> decode(std::string_view bytes, Event& event);
  const FieldEntry& resolve(std::string_view name, std::size_t position);
  std::optional<Rejection> decode_feature(const FieldEntry& field, ondemand::value& value,
                                          Event& event);
  std::optional<Rejection> decode_target(const FieldEntry& field, ondemand::value& value,
                                         Event& event);
  std::optional<Rejection> decode_time(const FieldEntry& field, ondemand::value& value,
                                       Event& event);
  std::optional<Rejection> decode_text(const FieldEntry& field, ondemand::value& value,
                                       std::string& out);

  EventSchema schema;
  core::FeatureSpace* space;
  core::ClassSet* classes;
  LabelCache labels;
  ondemand::parser parser;
  std::unique_ptr<char[]> padded;  // the record copied, followed by SIMDJSON_PADDING bytes
  std::size_t padded_capacity = 0;
  FieldMap fields;
  std::vector<const FieldEntry*> by_position;  // the field met at each position last time
  std::vector<ResolvedDefault> defaults;
  std::vector<std::uint8_t> default_seen;  // per default: the record gave the feature a value
  std::string entity_text;                 // an entity field's text, reused
};

void JsonEventDecoder::Impl::apply_defaults(Event& event) const {
  for (std::size_t i = 0; i < defaults.size(); ++i) {
    if (default_seen[i]) continue;
    const ResolvedDefault& fill = defaults[i];
    if (fill.numeric) {
      event.features.add_numeric(fill.feature, fill.number);
    } else {
      event.features.add_categorical(fill.feature, fill.symbol, fill.indicator);
    }
  }
}

const FieldEntry& JsonEventDecoder::Impl::resolve(std::string_view name, std::size_t position) {
  if (position < by_position.size()) {
    const FieldEntry* expected = by_position[position];
    if (expected != nullptr && expected->first == name) return *expected;
  }
  auto it = fields.find(name);
  if (it == fields.end()) {
    FieldInfo info{field_role(schema, name), 0, -1};
    if (info.role == FieldRole::kKey || info.role == FieldRole::kEntity)
      info.feature = space->feature(name);
    if (info.role == FieldRole::kFeature) {
      info.feature = space->feature(name);
      for (std::size_t i = 0; i < defaults.size(); ++i)
        if (defaults[i].feature == info.feature) info.default_index = static_cast<std::int32_t>(i);
    }
    it = fields.emplace(std::string(name), info).first;
  }
  if (position >= by_position.size()) by_position.resize(position + 1, nullptr);
  by_position[position] = &*it;
  return *it;
}

std::optional<Rejection> JsonEventDecoder::Impl::decode(std::string_view bytes, Event& event) {
  event.clear();
  const std::size_t needed = bytes.size() + simdjson::SIMDJSON_PADDING;
  if (padded_capacity < needed) {
    padded_capacity = std::max(needed, 2 * padded_capacity);
    padded = std::make_unique<char[]>(padded_capacity);
  }
  std::memcpy(padded.get(), bytes.data(), bytes.size());
  std::memset(padded.get() + bytes.size(), 0, simdjson::SIMDJSON_PADDING);

  ondemand::document document;
  simdjson::error_code error =
      parser.iterate(padded.get(), bytes.size(), padded_capacity).get(document);
  if (error) return malformed(error);
  ondemand::object object;
  if ((error = document.get_object().get(object))) {
    if (error == simdjson::INCORRECT_TYPE) {
      return reject(RejectReason::kMalformedRecord, "the record is not a JSON object");
    }
    return malformed(error);
  }
  bool target_seen = false;
  bool time_seen = false;
  std::fill(default_seen.begin(), default_seen.end(), std::uint8_t{0});
  std::size_t position = 0;
  for (auto field_result : object) {
    ondemand::field field;
    if ((error = std::move(field_result).get(field))) return malformed(error);
    std::string_view name;
    if ((error = field.unescaped_key().get(name))) return malformed(error);
    const FieldEntry& entry = resolve(name, position++);
    ondemand::value& value = field.value();
    std::optional<Rejection> rejection;
    switch (entry.second.role) {
      case FieldRole::kFeature: {
        const std::size_t before = event.features.size();
        rejection = decode_feature(entry, value, event);
        // A null value leaves the feature missing, so its default applies.
        if (entry.second.default_index >= 0 && event.features.size() > before)
          default_seen[static_cast<std::size_t>(entry.second.default_index)] = 1;
        break;
      }
      case FieldRole::kTarget:
        target_seen = true;
        rejection = decode_target(entry, value, event);
        break;
      case FieldRole::kKey:
        rejection = decode_text(entry, value, event.key);
        if (!rejection && !event.key.empty())
          event.features.add_key(entry.second.feature, event.key);
        break;
      case FieldRole::kEntity:
        rejection = decode_text(entry, value, entity_text);
        if (!rejection && !entity_text.empty())
          event.features.add_key(entry.second.feature, entity_text);
        break;
      case FieldRole::kId:
        rejection = decode_text(entry, value, event.id);
        break;
      case FieldRole::kTime:
        time_seen = true;
        rejection = decode_time(entry, value, event);
        break;
      case FieldRole::kIgnored:
        break;  // On-Demand skips the value when the loop moves on.
    }
    if (rejection) return rejection;
  }
  // On-Demand stops after the object; anything but blanks left means a second value or junk.
  if (!document.current_location().error()) {
    return reject(RejectReason::kMalformedRecord,
                  "invalid JSON: unexpected text after the object (one object per record)");
  }
  if (!schema.target.empty() && !target_seen && !schema.target_optional) {
    return reject(RejectReason::kMissingTarget,
                  "no field '" + schema.target + "' (the target) in the record");
  }
  // A label record (no feature values) needs no time: it is matched by id.
  if (!schema.time_field.empty() && !time_seen && !event.features.empty()) {
    return reject(RejectReason::kBadEventTime,
                  "no field '" + schema.time_field + "' (the time field) in the record");
  }
  // A record without feature values is a label record (id and label): defaults stay out of it.
  if (!defaults.empty() && !event.features.empty()) apply_defaults(event);
  return std::nullopt;
}

std::optional<Rejection> JsonEventDecoder::Impl::decode_feature(const FieldEntry& field,
                                                                ondemand::value& value,
                                                                Event& event) {
  const core::FeatureId feature = field.second.feature;
  ondemand::json_type type;
  if (value.type().get(type)) return number_problem(field, raw_text(value));
  switch (type) {
    case ondemand::json_type::number: {
      double number = 0.0;
      if (value.get_double().get(number)) return number_problem(field, raw_text(value));
      event.features.add_numeric(feature, number);
      return std::nullopt;
    }
    case ondemand::json_type::string: {
      std::string_view text;
      if (simdjson::error_code error = value.get_string().get(text)) return malformed(error);
      const core::SymbolId symbol = space->value(text);
      event.features.add_categorical(feature, symbol, space->indicator(feature, symbol));
      return std::nullopt;
    }
    case ondemand::json_type::boolean: {
      bool flag = false;
      if (value.get_bool().get(flag)) return number_problem(field, raw_text(value));
      event.features.add_numeric(feature, flag ? 1.0 : 0.0);
      return std::nullopt;
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) return number_problem(field, raw_text(value));
      return std::nullopt;  // a missing feature
    }
    case ondemand::json_type::array:
    case ondemand::json_type::object:
      break;
  }
  return reject(RejectReason::kBadFieldType,
                field_prefix(field) + "is " + std::string(type_name(type)) +
                    "; features must be numbers, strings, booleans or null (list the field under "
                    "ignore to skip it)");
}

std::optional<Rejection> JsonEventDecoder::Impl::decode_target(const FieldEntry& field,
                                                               ondemand::value& value,
                                                               Event& event) {
  ondemand::json_type type;
  if (value.type().get(type)) return number_problem(field, raw_text(value));
  if (type == ondemand::json_type::null) {
    if (schema.target_optional) return std::nullopt;  // an unlabelled event
    return reject(RejectReason::kMissingTarget, field_prefix(field) + "the target is null");
  }
  const bool want_class = schema.target_kind == TargetKind::kClass;
  switch (type) {
    case ondemand::json_type::number: {
      double number = 0.0;
      if (value.get_double().get(number)) return number_problem(field, raw_text(value));
      event.label = want_class ? core::Target::of_class(labels.intern(*classes, raw_text(value)))
                               : core::Target::of_value(number);
      return std::nullopt;
    }
    case ondemand::json_type::string: {
      std::string_view text;
      if (simdjson::error_code error = value.get_string().get(text)) return malformed(error);
      if (text.empty()) {
        return reject(RejectReason::kMissingTarget, field_prefix(field) + "the target is empty");
      }
      if (want_class) {
        event.label = core::Target::of_class(labels.intern(*classes, text));
        return std::nullopt;
      }
      const ParsedNumber number = parse_number(text);
      if (number.kind == ParsedNumber::Kind::kNumber) {
        event.label = core::Target::of_value(number.value);
        return std::nullopt;
      }
      if (number.kind != ParsedNumber::Kind::kNotANumber) return number_problem(field, text);
      return reject(RejectReason::kBadTarget, field_prefix(field) + quote_for_message(text) +
                                                  " is not a number (the target is numeric)");
    }
    case ondemand::json_type::boolean: {
      bool flag = false;
      if (value.get_bool().get(flag)) return number_problem(field, raw_text(value));
      if (want_class) {
        event.label = core::Target::of_class(labels.intern(*classes, flag ? "true" : "false"));
        return std::nullopt;
      }
      break;
    }
    case ondemand::json_type::null:
    case ondemand::json_type::array:
    case ondemand::json_type::object:
      break;
  }
  return reject(RejectReason::kBadTarget,
                field_prefix(field) + "the target is " + std::string(type_name(type)) +
                    (want_class ? "; a class target must be a string, number or boolean"
                                : "; a regression target must be a number"));
}

std::optional<Rejection> JsonEventDecoder::Impl::decode_time(const FieldEntry& field,
                                                             ondemand::value& value, Event& event) {
  ondemand::json_type type;
  if (value.type().get(type)) return number_problem(field, raw_text(value));
  std::optional<std::int64_t> time_ms;
  if (type == ondemand::json_type::number) {
    std::int64_t integer = 0;
    if (!value.get_int64().get(integer)) time_ms = integer;
  } else if (type == ondemand::json_type::string) {
    std::string_view text;
    if (simdjson::error_code error = value.get_string().get(text)) return malformed(error);
    time_ms = parse_integer(text);
  }
  if (time_ms) {
    event.event_time_ms = *time_ms;
    return std::nullopt;
  }
  const bool composite = type == ondemand::json_type::object || type == ondemand::json_type::array;
  const std::string shown =
      composite ? std::string(type_name(type)) : quote_for_message(raw_text(value));
  return reject(RejectReason::kBadEventTime,
                field_prefix(field) + shown +
                    " is not an event time (an integer number of milliseconds since the epoch)");
}

std::optional<Rejection> JsonEventDecoder::Impl::decode_text(const FieldEntry& field,
                                                             ondemand::value& value,
                                                             std::string& out) {
  ondemand::json_type type;
  if (value.type().get(type)) return number_problem(field, raw_text(value));
  switch (type) {
    case ondemand::json_type::string: {
      std::string_view text;
      if (simdjson::error_code error = value.get_string().get(text)) return malformed(error);
      out.assign(text);
      return std::nullopt;
    }
    case ondemand::json_type::number:
    case ondemand::json_type::boolean:
      out.assign(raw_text(value));
      return std::nullopt;
    case ondemand::json_type::null:
      out.clear();
      return std::nullopt;
    case ondemand::json_type::array:
    case ondemand::json_type::object:
      break;
  }
  return reject(RejectReason::kBadFieldType,
                field_prefix(field) + "is " + std::string(type_name(type)) +
                    "; a key or id must be a string, number or boolean");
}

JsonEventDecoder::JsonEventDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonEventDecoder::JsonEventDecoder(JsonEventDecoder&&) noexcept = default;
JsonEventDecoder& JsonEventDecoder::operator=(JsonEventDecoder&&) noexcept = default;
JsonEventDecoder::~JsonEventDecoder() = default;

core::Result<JsonEventDecoder> JsonEventDecoder::create(const EventSchema& schema,
                                                        core::FeatureSpace& space,
                                                        core::ClassSet& classes) {
  SL_RETURN_IF_ERROR(check_field_roles(schema));
  return JsonEventDecoder(std::make_unique<Impl>(schema, space, classes));
}

std::optional<Rejection> JsonEventDecoder::decode(std::string_view bytes, Event& event) {
  return impl_->decode(bytes, event);
}

}  // namespace streamlearn::stream
