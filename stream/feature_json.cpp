#include "stream/feature_json.h"

#include <charconv>

#include "core/json_string.h"

namespace streamlearn::stream {
namespace {

void append_optional_string(std::string_view text, std::string& out) {
  if (text.empty())
    out += "null";
  else
    core::append_json_string(text, out);
}

template <typename Number>
void append_number(Number value, std::string& out) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

}  // namespace

void write_features_json(const Event& event, const core::FeatureVector& x,
                         const core::FeatureSpace& space, std::string& out) {
  out.clear();
  out += "{\"id\":";
  append_optional_string(event.id, out);
  out += ",\"key\":";
  append_optional_string(event.key, out);
  out += ",\"event_time\":";
  if (event.event_time_ms == Event::kNoTime)
    out += "null";
  else
    append_number(event.event_time_ms, out);
  out += ",\"features\":{";
  bool first = true;
  for (const core::NumericFeature& feature : x.numeric()) {
    if (!first) out += ',';
    first = false;
    core::append_json_string(space.feature_name(feature.id), out);
    out += ':';
    append_number(feature.value, out);
  }
  for (const core::CategoricalFeature& feature : x.categorical()) {
    if (!first) out += ',';
    first = false;
    core::append_json_string(space.feature_name(feature.id), out);
    out += ':';
    core::append_json_string(space.value_text(feature.value), out);
  }
  out += "}}";
}

}  // namespace streamlearn::stream
