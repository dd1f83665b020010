#pragma once

/// JsonEventDecoder turns one JSON object (a line of a JSON Lines file, or a Kafka message
/// payload) into an Event, under an EventSchema. It parses with simdjson On-Demand; simdjson
/// stays behind a pimpl so that this header is cheap to include.
///
/// Field values: a number is a numeric feature; a string a categorical feature (its text, even
/// when it spells a number: the JSON type decides); true/false are numeric 1/0; null is a missing
/// feature. A nested object or array is rejected with kBadFieldType naming the field, rather than
/// silently dropped, so that a schema change upstream is seen; list such fields under
/// EventSchema::ignore to skip them (ignored values are not inspected).
///
/// Roles: a class target may be a string, number (its text as written, "1.0" stays "1.0") or
/// boolean; a regression target a number or a string holding one; the time field an integer or
/// a string holding one (milliseconds since the epoch); key and id a string, number or boolean
/// (their text), null for none. A configured target or time field must be present and not null,
/// except that with EventSchema::target_optional an absent or null target is an unlabelled event.
///
/// Defaults (EventSchema::defaults) fill the features a record leaves out or sets to null, so that
/// records of older producers decode under a newer schema; they are appended after the record's
/// own features. A record with no feature values at all (only roles: an id and a label, say) is
/// a label record: it gets no defaults and needs no time field.
///
/// Rejected records (reason; the message names the field and quotes its value):
///   kMalformedRecord  invalid JSON, not an object, or text after the object
///   kNonFinite        NaN / Infinity / -Infinity (not JSON, but Python's json module writes them)
///   kOutOfRange       a number beyond the range of a double (1e999)
///   kBadFieldType     an object or array as a feature, key or id
///   kMissingTarget    no target field, or null (only when a target is configured)
///   kBadTarget        a target of the wrong type (a regression target that is not a number)
///   kBadEventTime     a time field that is absent, null or not an integer
///
/// Field names are resolved through a cache (name -> role and FeatureId) checked first against
/// the field seen at the same position in the previous record, so records with a stable layout
/// cost one comparison per field and allocate nothing in steady state. The input needs no
/// padding: it is copied into a reused padded buffer. Not thread-safe; the FeatureSpace and
/// ClassSet must outlive the decoder.
///
///   auto decoder = JsonEventDecoder::create({.target = "label"}, space, classes);
///   Event event;
///   if (auto rejection = decoder->decode(R"({"x": 1.5, "color": "red", "label": "UP"})", event))
///     log(rejection->message);

#include <memory>
#include <optional>
#include <string_view>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/status.h"
#include "stream/event.h"
#include "stream/event_schema.h"
#include "stream/rejection.h"

namespace streamlearn::stream {

class JsonEventDecoder {
 public:
  /// Fails when the schema gives one field two roles.
  static core::Result<JsonEventDecoder> create(const EventSchema& schema, core::FeatureSpace& space,
                                               core::ClassSet& classes);

  JsonEventDecoder(JsonEventDecoder&&) noexcept;
  JsonEventDecoder& operator=(JsonEventDecoder&&) noexcept;
  ~JsonEventDecoder();

  /// Decodes one JSON object into `event` (cleared first). Returns nothing when the record is
  /// accepted, else why it was rejected; `event` is then unspecified.
  [[nodiscard]] std::optional<Rejection> decode(std::string_view bytes, Event& event);

 private:
  struct Impl;
  explicit JsonEventDecoder(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace streamlearn::stream
