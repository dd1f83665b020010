#include "stream/prediction_json.h"

#include <charconv>
#include <cstdio>

namespace streamlearn::stream {
namespace {

void append_string(std::string_view text, std::string& out) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_optional_string(std::string_view text, std::string& out) {
  if (text.empty()) {
    out += "null";
  } else {
    append_string(text, out);
  }
}

template <typename Number>
void append_number(Number value, std::string& out) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

}  // namespace

void write_prediction_json(const Event& event, const Prediction& prediction,
                           const SourceRecord& origin, const core::ClassSet& classes,
                           std::string& out) {
  out.clear();
  out += "{\"id\":";
  append_optional_string(event.id, out);
  out += ",\"key\":";
  append_optional_string(event.key, out);
  out += ",\"event_time\":";
  if (event.event_time_ms == Event::kNoTime) {
    out += "null";
  } else {
    append_number(event.event_time_ms, out);
  }
  out += ",\"model_version\":";
  append_number(prediction.model_version, out);
  out += ",\"prediction\":";
  // A model may predict before the stream has named any class (a logistic regression answers
  // 0.5 / 0.5 untrained, while the first labels are still pending): unnamed classes are left out.
  if (prediction.value.is_class() && prediction.value.class_id < classes.size()) {
    append_string(classes.name(prediction.value.class_id), out);
  } else if (prediction.value.kind == core::Target::Kind::kValue) {
    append_number(prediction.value.value, out);  // decoders and models keep values finite
  } else {
    out += "null";
  }
  if (prediction.value.kind != core::Target::Kind::kValue) {
    out += ",\"probabilities\":{";
    const auto& values = prediction.proba.values();
    for (std::size_t id = 0; id < values.size() && id < classes.size(); ++id) {
      if (id > 0) out += ',';
      append_string(classes.name(static_cast<core::ClassId>(id)), out);
      out += ':';
      append_number(values[id], out);
    }
    out += '}';
  }
  out += ",\"source\":{\"topic\":";
  append_string(origin.topic, out);
  out += ",\"partition\":";
  append_number(origin.partition, out);
  out += ",\"offset\":";
  append_number(origin.offset, out);
  out += "}}";
}

}  // namespace streamlearn::stream
