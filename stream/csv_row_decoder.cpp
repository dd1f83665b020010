#include "stream/csv_row_decoder.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

#include "stream/parsed_number.h"

namespace streamlearn::stream {
namespace {

Rejection reject(RejectReason reason, std::string message) {
  return Rejection{reason, std::move(message)};
}

// The rejection of a number that parse_number found non-finite or out of range.
Rejection reject_number(const std::string& column_name, std::string_view text,
                        ParsedNumber::Kind kind) {
  const bool non_finite = kind == ParsedNumber::Kind::kNonFinite;
  return reject(non_finite ? RejectReason::kNonFinite : RejectReason::kOutOfRange,
                "column '" + column_name + "': " + quote_for_message(text) +
                    (non_finite ? " is not a finite number" : " is too large for a double"));
}

// A quoting error found while splitting, in the field with this 0-based index.
struct QuoteError {
  enum class Kind : std::uint8_t { kUnterminated, kTextAfterQuote };
  Kind kind;
  std::size_t field_index;
};

std::string describe(const QuoteError& error) {
  return error.kind == QuoteError::Kind::kUnterminated
             ? ": quoted field has no closing quote (a quoted field cannot span lines)"
             : ": unexpected text after the closing quote (write a quote inside a quoted field "
               "as \"\")";
}

// Splits a CSV line into fields, RFC 4180 style. Views point into `line`, or into `unquoted`
// for quoted fields that contain '""'; `unquoted` must have capacity for line.size() bytes so
// that appending never moves what earlier views point at.
std::optional<QuoteError> split_fields(std::string_view line, std::vector<std::string_view>& fields,
                                       std::string& unquoted) {
  fields.clear();
  unquoted.clear();
  const char* cursor = line.data();
  const char* const end = cursor + line.size();
  while (true) {
    if (cursor == end || *cursor != '"') {
      // The fast path: an unquoted field runs to the next comma.
      const auto* comma = static_cast<const char*>(
          std::memchr(cursor, ',', static_cast<std::size_t>(end - cursor)));
      if (comma == nullptr) {
        fields.emplace_back(cursor, static_cast<std::size_t>(end - cursor));
        return std::nullopt;
      }
      fields.emplace_back(cursor, static_cast<std::size_t>(comma - cursor));
      cursor = comma + 1;
      continue;
    }
    // A quoted field. Without '""' inside it is a view into the line; with, it is unescaped.
    const char* const start = ++cursor;
    const char* quote =
        static_cast<const char*>(std::memchr(cursor, '"', static_cast<std::size_t>(end - cursor)));
    if (quote != nullptr && (quote + 1 == end || quote[1] != '"')) {
      fields.emplace_back(start, static_cast<std::size_t>(quote - start));
      cursor = quote + 1;
    } else {
      const std::size_t unquoted_begin = unquoted.size();
      while (quote != nullptr && quote + 1 < end && quote[1] == '"') {
        unquoted.append(cursor, quote + 1);  // the text and one quote
        cursor = quote + 2;
        quote = static_cast<const char*>(
            std::memchr(cursor, '"', static_cast<std::size_t>(end - cursor)));
      }
      if (quote == nullptr) return QuoteError{QuoteError::Kind::kUnterminated, fields.size()};
      unquoted.append(cursor, quote);
      fields.emplace_back(unquoted.data() + unquoted_begin, unquoted.size() - unquoted_begin);
      cursor = quote + 1;
    }
    if (cursor == end) return std::nullopt;
    if (*cursor != ',') return QuoteError{QuoteError::Kind::kTextAfterQuote, fields.size() - 1};
    ++cursor;
  }
}

std::string join(const std::vector<std::string_view>& names) {
  std::string joined;
  for (std::string_view name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

}  // namespace

CsvRowDecoder::CsvRowDecoder(const EventSchema& schema, core::FeatureSpace& space,
                             core::ClassSet& classes)
    : target_kind_(schema.target_kind), space_(&space), classes_(&classes) {}

core::Result<CsvRowDecoder> CsvRowDecoder::create(std::string_view header_line,
                                                  const EventSchema& schema,
                                                  core::FeatureSpace& space,
                                                  core::ClassSet& classes) {
  SL_RETURN_IF_ERROR(check_field_roles(schema));
  CsvRowDecoder decoder(schema, space, classes);
  std::vector<std::string_view> names;
  std::string unquoted;
  unquoted.reserve(header_line.size());
  if (const auto error = split_fields(header_line, names, unquoted)) {
    return core::Status::error("cannot read the CSV header: field " +
                               std::to_string(error->field_index + 1) + describe(*error));
  }
  std::vector<std::string> errors;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      errors.push_back("column " + std::to_string(i + 1) +
                       " has an empty name in the header; name it (or write the file without "
                       "an index column)");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (!names[i].empty() && names[j] == names[i]) {
        errors.push_back("column '" + std::string(names[i]) + "' appears twice in the header (" +
                         std::to_string(j + 1) + " and " + std::to_string(i + 1) + ")");
      }
    }
  }
  const std::pair<FieldRole, const std::string*> configured[] = {
      {FieldRole::kTarget, &schema.target},
      {FieldRole::kKey, &schema.key_field},
      {FieldRole::kId, &schema.id_field},
      {FieldRole::kTime, &schema.time_field}};
  const auto check_column = [&](FieldRole role, const std::string& field) {
    if (field.empty()) return;
    bool found = false;
    for (std::string_view name : names) found = found || name == field;
    if (!found) {
      errors.push_back("the header has no column '" + field + "' (configured as the " +
                       std::string(field_role_name(role)) + ")");
    }
  };
  for (const auto& [role, field] : configured) check_column(role, *field);
  for (const std::string& entity : schema.entities) check_column(FieldRole::kEntity, entity);
  if (!errors.empty()) {
    std::string message;
    for (const std::string& error : errors) message += (message.empty() ? "" : "; ") + error;
    return core::Status::error(message + "; the columns are: " + join(names));
  }
  for (std::string_view name : names) {
    Column column{std::string(name), field_role(schema, name), 0};
    if (column.role == FieldRole::kFeature || column.role == FieldRole::kKey ||
        column.role == FieldRole::kEntity)
      column.feature = space.feature(name);
    decoder.columns_.push_back(std::move(column));
  }
  decoder.fields_.reserve(names.size() + 1);
  return decoder;
}

std::string CsvRowDecoder::describe_field(std::size_t index) const {
  if (index < columns_.size()) return "column '" + columns_[index].name + "'";
  return "field " + std::to_string(index + 1);
}

bool CsvRowDecoder::decode_plain_row(std::string_view line, Event& event) {
  const char* cursor = line.data();
  const char* const end = cursor + line.size();
  const std::size_t count = columns_.size();
  for (std::size_t i = 0; i < count; ++i) {
    const Column& column = columns_[i];
    const bool last = i + 1 == count;
    if (column.role == FieldRole::kFeature) {
      // Both parsers stop at the comma, so the field is parsed without being delimited first.
      double value = 0;
      const char* next = stream::internal::parse_short_decimal(cursor, end, value);
      if (next == nullptr) {
        const auto parsed = std::from_chars(cursor, end, value);
        if (parsed.ec != std::errc() || parsed.ptr == cursor || !std::isfinite(value)) return false;
        next = parsed.ptr;
      }
      if (last ? next != end : (next == end || *next != ',')) return false;
      event.features.add_numeric(column.feature, value);
      cursor = next + 1;
      continue;
    }
    // Role fields (labels, keys, ids) are short: a plain scan beats a call to memchr.
    const char* comma = cursor;
    while (comma != end && *comma != ',') ++comma;
    if (last == (comma != end)) return false;  // the wrong number of fields
    const std::string_view text(cursor, static_cast<std::size_t>(comma - cursor));
    if (!text.empty() && text.front() == '"') return false;
    switch (column.role) {
      case FieldRole::kTarget:
        if (decode_target(column, text, event)) return false;
        break;
      case FieldRole::kKey:
        event.key.assign(text);
        if (!text.empty()) event.features.add_key(column.feature, text);
        break;
      case FieldRole::kEntity:
        if (!text.empty()) event.features.add_key(column.feature, text);
        break;
      case FieldRole::kId:
        event.id.assign(text);
        break;
      case FieldRole::kTime:
        if (decode_time(column, text, event)) return false;
        break;
      case FieldRole::kFeature:
      case FieldRole::kIgnored:
        break;
    }
    cursor = comma + 1;
  }
  return true;
}

std::optional<Rejection> CsvRowDecoder::decode(std::string_view line, Event& event) {
  event.clear();
  if (decode_plain_row(line, event)) return std::nullopt;
  event.clear();
  if (unquoted_.capacity() < line.size()) unquoted_.reserve(line.size());
  if (const auto error = split_fields(line, fields_, unquoted_)) {
    return reject(RejectReason::kMalformedRecord,
                  describe_field(error->field_index) + describe(*error));
  }
  if (fields_.size() != columns_.size()) {
    return reject(RejectReason::kFieldCount,
                  "expected " + std::to_string(columns_.size()) + " fields (the header has " +
                      std::to_string(columns_.size()) + " columns), found " +
                      std::to_string(fields_.size()));
  }
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    const std::string_view text = fields_[i];
    switch (column.role) {
      case FieldRole::kFeature:
        if (text.empty()) break;  // a missing feature
        if (auto rejection = decode_feature(column, text, event)) return rejection;
        break;
      case FieldRole::kTarget:
        if (auto rejection = decode_target(column, text, event)) return rejection;
        break;
      case FieldRole::kKey:
        event.key.assign(text);
        if (!text.empty()) event.features.add_key(column.feature, text);
        break;
      case FieldRole::kEntity:
        if (!text.empty()) event.features.add_key(column.feature, text);
        break;
      case FieldRole::kId:
        event.id.assign(text);
        break;
      case FieldRole::kTime:
        if (auto rejection = decode_time(column, text, event)) return rejection;
        break;
      case FieldRole::kIgnored:
        break;
    }
  }
  return std::nullopt;
}

std::optional<Rejection> CsvRowDecoder::decode_feature(const Column& column, std::string_view text,
                                                       Event& event) {
  const ParsedNumber number = parse_number(text);
  switch (number.kind) {
    case ParsedNumber::Kind::kNumber:
      event.features.add_numeric(column.feature, number.value);
      return std::nullopt;
    case ParsedNumber::Kind::kNotANumber: {
      const core::SymbolId value = space_->value(text);
      event.features.add_categorical(column.feature, value,
                                     space_->indicator(column.feature, value));
      return std::nullopt;
    }
    case ParsedNumber::Kind::kNonFinite:
    case ParsedNumber::Kind::kOutOfRange:
      break;
  }
  return reject_number(column.name, text, number.kind);
}

std::optional<Rejection> CsvRowDecoder::decode_target(const Column& column, std::string_view text,
                                                      Event& event) {
  if (text.empty()) {
    return reject(RejectReason::kMissingTarget,
                  "column '" + column.name + "': the target is empty");
  }
  if (target_kind_ == TargetKind::kClass) {
    event.label = core::Target::of_class(labels_.intern(*classes_, text));
    return std::nullopt;
  }
  const ParsedNumber number = parse_number(text);
  switch (number.kind) {
    case ParsedNumber::Kind::kNumber:
      event.label = core::Target::of_value(number.value);
      return std::nullopt;
    case ParsedNumber::Kind::kNotANumber:
      return reject(RejectReason::kBadTarget, "column '" + column.name +
                                                  "': " + quote_for_message(text) +
                                                  " is not a number (the target is numeric)");
    case ParsedNumber::Kind::kNonFinite:
    case ParsedNumber::Kind::kOutOfRange:
      break;
  }
  return reject_number(column.name, text, number.kind);
}

std::optional<Rejection> CsvRowDecoder::decode_time(const Column& column, std::string_view text,
                                                    Event& event) {
  if (const std::optional<std::int64_t> time_ms = parse_integer(text)) {
    event.event_time_ms = *time_ms;
    return std::nullopt;
  }
  return reject(RejectReason::kBadEventTime,
                "column '" + column.name + "': " + quote_for_message(text) +
                    " is not an event time (an integer number of milliseconds since the epoch)");
}

}  // namespace streamlearn::stream
