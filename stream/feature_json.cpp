#include "stream/feature_json.h"

#include "core/json_string.h"

namespace streamlearn::stream {
void write_features_json(const Event& event, const core::FeatureVector& x,
                         const core::FeatureSpace& space, std::string& out) {
  out.clear();
  out += "{\"id\":";
  core::append_json_string_or_null(event.id, out);
  out += ",\"key\":";
  core::append_json_string_or_null(event.key, out);
  out += ",\"event_time\":";
  if (event.event_time_ms == Event::kNoTime)
    out += "null";
  else
    core::append_json_number(event.event_time_ms, out);
  out += ",\"features\":{";
  bool first = true;
  for (const core::NumericFeature& feature : x.numeric()) {
    if (!first) out += ',';
    first = false;
    core::append_json_string(space.feature_name(feature.id), out);
    out += ':';
    core::append_json_number(feature.value, out);
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
