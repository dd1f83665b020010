#include "stream/prediction_json.h"

#include "core/json_string.h"

namespace streamlearn::stream {
void write_prediction_json(const Event& event, const Prediction& prediction,
                           const SourceRecord& origin, const core::ClassSet& classes,
                           std::string& out) {
  out.clear();
  out += "{\"id\":";
  core::append_json_string_or_null(event.id, out);
  out += ",\"key\":";
  core::append_json_string_or_null(event.key, out);
  out += ",\"event_time\":";
  if (event.event_time_ms == Event::kNoTime) {
    out += "null";
  } else {
    core::append_json_number(event.event_time_ms, out);
  }
  out += ",\"model_version\":";
  core::append_json_number(prediction.model_version, out);
  out += ",\"prediction\":";
  // A model may predict before the stream has named any class (a logistic regression answers
  // 0.5 / 0.5 untrained, while the first labels are still pending): unnamed classes are left out.
  if (prediction.value.is_class() && prediction.value.class_id < classes.size()) {
    core::append_json_string(classes.name(prediction.value.class_id), out);
  } else if (prediction.value.kind == core::Target::Kind::kValue) {
    core::append_json_number(prediction.value.value, out);  // decoders and models keep values finite
  } else {
    out += "null";
  }
  if (prediction.value.kind != core::Target::Kind::kValue) {
    out += ",\"probabilities\":{";
    const auto& values = prediction.proba.values();
    for (std::size_t id = 0; id < values.size() && id < classes.size(); ++id) {
      if (id > 0) out += ',';
      core::append_json_string(classes.name(static_cast<core::ClassId>(id)), out);
      out += ':';
      core::append_json_number(values[id], out);
    }
    out += '}';
  }
  out += ",\"source\":{\"topic\":";
  core::append_json_string(origin.topic, out);
  out += ",\"partition\":";
  core::append_json_number(origin.partition, out);
  out += ",\"offset\":";
  core::append_json_number(origin.offset, out);
  out += "}}";
}

}  // namespace streamlearn::stream
