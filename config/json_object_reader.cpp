#include "config/json_object_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

namespace streamlearn::config {

using monitors::WindowLength;

JsonObjectReader::JsonObjectReader(const Json& object, std::string path,
                                   std::vector<std::string>& errors)
    : object_(object), path_(std::move(path)), errors_(errors) {
  if (!object_.is_object()) error("", "must be an object");
}

std::optional<std::string> JsonObjectReader::text(const std::string& key) {
  const Json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) return error(key, "must be a string"), std::nullopt;
  return value->get<std::string>();
}

std::optional<std::string> JsonObjectReader::name(const std::string& key) {
  const Json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_string() || value->get_ref<const std::string&>().empty())
    return error(key, "must be a non-empty string"), std::nullopt;
  return value->get<std::string>();
}

std::optional<double> JsonObjectReader::number(const std::string& key) {
  const Json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_number()) return error(key, "must be a number"), std::nullopt;
  return value->get<double>();
}

std::optional<std::int64_t> JsonObjectReader::count(const std::string& key, std::int64_t min,
                                                    std::int64_t max) {
  const Json* value = find(key);
  if (!value) return std::nullopt;
  // An unsigned integer beyond int64 is out of range, not a wrapped negative number.
  const bool in_range = value->is_number_integer() &&
                        !(value->is_number_unsigned() &&
                          value->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) &&
                        value->get<std::int64_t>() >= min && value->get<std::int64_t>() <= max;
  if (!in_range)
    return error(key,
                 "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)),
           std::nullopt;
  return value->get<std::int64_t>();
}

std::optional<bool> JsonObjectReader::boolean(const std::string& key) {
  const Json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_boolean()) return error(key, "must be true or false"), std::nullopt;
  return value->get<bool>();
}

std::optional<WindowLength> JsonObjectReader::length(const std::string& key) {
  const Json* value = find(key);
  if (!value) return std::nullopt;
  if (value->is_number_integer() && value->get<std::int64_t>() >= 0)
    return WindowLength::events(value->get<std::int64_t>());
  if (value->is_string()) {
    auto parsed = WindowLength::parse(value->get<std::string>());
    if (parsed) return *parsed;
    return error(key, parsed.status().message()), std::nullopt;
  }
  return error(key, "must be a count of events (5000) or an event-time span (\"10m\")"),
         std::nullopt;
}

std::optional<std::vector<std::string>> JsonObjectReader::names(const std::string& key,
                                                                std::size_t min_size) {
  const Json* value = find(key);
  if (!value) return std::nullopt;
  const bool valid = value->is_array() && value->size() >= min_size &&
                     std::all_of(value->begin(), value->end(), [](const Json& element) {
                       return element.is_string() && !element.get_ref<const std::string&>().empty();
                     });
  if (!valid)
    return error(key, std::string(min_size > 0 ? "must be a non-empty array" : "must be an array") +
                          " of non-empty strings"),
           std::nullopt;
  std::vector<std::string> result;
  for (const Json& element : *value) result.push_back(element.get<std::string>());
  return result;
}

const JsonObjectReader::Json* JsonObjectReader::child(const std::string& key) { return find(key); }

void JsonObjectReader::error(const std::string& key, const std::string& what) {
  errors_.push_back((key.empty() ? path_ : path_of(key)) + ": " + what);
}

void JsonObjectReader::finish() {
  if (!object_.is_object()) return;
  for (const auto& [key, value] : object_.items()) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string allowed;
    for (const std::string& known : known_) allowed += (allowed.empty() ? "" : ", ") + known;
    errors_.push_back(path_of(key) + ": unknown key; allowed here: " + allowed);
  }
}

core::Result<JsonObjectReader::Json> JsonObjectReader::parse_document(std::string_view json_text,
                                                                      std::string_view source) {
  try {
    return Json::parse(json_text);
  } catch (const Json::parse_error& error) {
    return core::Status::error(std::string(source) + ": not valid JSON: " + error.what());
  }
}

core::Status JsonObjectReader::report(std::string_view source,
                                      const std::vector<std::string>& errors) {
  if (errors.empty()) return core::Status::ok();
  std::string message = std::string(source) + ": invalid configuration (" +
                        std::to_string(errors.size()) + " error" + (errors.size() > 1 ? "s" : "") +
                        "):";
  for (const std::string& error : errors) {
    message += "\n  ";
    for (const char c : error) {
      message += c;
      if (c == '\n') message += "  ";
    }
  }
  return core::Status::error(message);
}

const JsonObjectReader::Json* JsonObjectReader::find(const std::string& key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
  if (!object_.is_object()) return nullptr;
  auto found = object_.find(key);
  return found == object_.end() ? nullptr : &*found;
}

core::Result<std::string> JsonObjectReader::read_file(const std::string& path) {
  std::ifstream file(path);
  if (!file)
    return core::Status::error("cannot read configuration '" + path +
                               "': check that the file exists and is readable");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace streamlearn::config
