#pragma once

/// CsvRowDecoder turns one CSV row (a line without its terminator) into an Event, given the
/// header row and an EventSchema. The header is read once: each column's role (feature with its
/// FeatureId, target, key, id, time, ignored) is fixed then, so decoding a row looks up no names.
///
/// Fields follow RFC 4180: comma-separated; a field that starts with '"' is quoted, may hold
/// commas, and writes a quote as '""'. A quote inside an unquoted field is an ordinary character
/// (as Python's csv module reads it). A quoted field cannot span lines: the row reader hands over
/// one line at a time, so an unterminated quote is a malformed record.
///
/// A feature field is numeric when its whole text parses as a number (parse_number:
/// blanks around it and a leading '+' are allowed), categorical otherwise, per row; an empty
/// field is a missing feature and adds nothing. A class target keeps its text exactly
/// (ClassSet::intern); a regression target must be a number. A time field must be an integer
/// (milliseconds since the epoch) and must be present in every row.
///
/// Rejected rows (reason; the message names the column and quotes the value):
///   kMalformedRecord  unterminated quote, or text after a closing quote
///   kFieldCount       more or fewer fields than the header has columns
///   kNonFinite        "nan", "inf", "-Infinity" ... in a feature or regression target
///   kOutOfRange       a number beyond the range of a double ("1e999")
///   kMissingTarget    an empty target field (only when a target is configured)
///   kBadTarget        a regression target that is not a number
///   kBadEventTime     a time field that is empty or not an integer
///
/// Cost: one pass over the row; numbers parse with parse_short_decimal (std::from_chars when it
/// declines); no allocation per row in steady state (only new categorical values, new classes, a
/// longer key/id than seen before, and rejection messages allocate). Not thread-safe; it writes to
/// the FeatureSpace and ClassSet it was built with, which must outlive it.
///
///   core::FeatureSpace space;
///   core::ClassSet classes;
///   auto decoder = CsvRowDecoder::create("x,color,label", {.target = "label"}, space, classes);
///   Event event;
///   if (auto rejection = decoder->decode("1.5,red,UP", event)) log(rejection->message);

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/status.h"
#include "stream/event.h"
#include "stream/event_schema.h"
#include "stream/field_role.h"
#include "stream/label_cache.h"
#include "stream/rejection.h"

namespace streamlearn::stream {

class CsvRowDecoder {
 public:
  /// Reads the header row. Fails, listing the columns the header has, when a configured target,
  /// key, id or time column is absent; fails on an unreadable header, a duplicate or empty column
  /// name, or a schema that gives one field two roles.
  static core::Result<CsvRowDecoder> create(std::string_view header_line, const EventSchema& schema,
                                            core::FeatureSpace& space, core::ClassSet& classes);

  /// Decodes one row into `event` (cleared first). Returns nothing when the row is accepted, else
  /// why it was rejected; `event` is then unspecified.
  [[nodiscard]] std::optional<Rejection> decode(std::string_view line, Event& event);

  std::size_t num_columns() const { return columns_.size(); }
  const std::string& column_name(std::size_t index) const { return columns_[index].name; }
  FieldRole column_role(std::size_t index) const { return columns_[index].role; }

 private:
  struct Column {
    std::string name;
    FieldRole role = FieldRole::kFeature;
    core::FeatureId feature = 0;  // for kFeature, and the name of a key or entity field
  };

  CsvRowDecoder(const EventSchema& schema, core::FeatureSpace& space, core::ClassSet& classes);

  // The fast path for the common row: no quotes, every feature a plain number. Returns false as
  // soon as anything needs the general path (quotes, categorical or missing values, anything to
  // reject), which then decodes the row from scratch, so both paths give the same event.
  bool decode_plain_row(std::string_view line, Event& event);
  // "column 'x2'" for a field the header names, "field 7" past its end.
  std::string describe_field(std::size_t index) const;
  std::optional<Rejection> decode_feature(const Column& column, std::string_view text,
                                          Event& event);
  std::optional<Rejection> decode_target(const Column& column, std::string_view text, Event& event);
  std::optional<Rejection> decode_time(const Column& column, std::string_view text, Event& event);

  TargetKind target_kind_;
  core::FeatureSpace* space_;
  core::ClassSet* classes_;
  LabelCache labels_;
  std::vector<Column> columns_;
  std::vector<std::string_view> fields_;  // reused for every row
  std::string unquoted_;                  // quoted fields with '""' inside, unescaped
};

}  // namespace streamlearn::stream
