#pragma once

/// JsonObjectReader: typed reads of one JSON object's keys for the configuration parsers,
/// collecting errors (each with its JSON path, what is wrong and what is allowed) instead of
/// stopping at the first; finish() reports the keys nobody asked for, naming the allowed ones.
/// Internal to config/: it exposes nlohmann/json, so only config/*.cpp include it (the public
/// headers of config/ stay free of it).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "monitors/windows/window_length.h"

namespace streamlearn::config {

class JsonObjectReader {
 public:
  using Json = nlohmann::json;

  /// Reads `object`, found at JSON path `path` ("$", "$.source"); errors go to `errors`. An
  /// `object` that is not a JSON object is an error, and every read then finds nothing.
  JsonObjectReader(const Json& object, std::string path, std::vector<std::string>& errors);

  std::optional<std::string> text(const std::string& key);
  /// A string that is not empty (a name: a topic, a field, a group).
  std::optional<std::string> name(const std::string& key);
  std::optional<double> number(const std::string& key);
  std::optional<std::int64_t> count(const std::string& key, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(const std::string& key);
  /// A count of events (a JSON integer or "5000") or an event-time span ("10m").
  std::optional<monitors::WindowLength> length(const std::string& key);
  /// An array of non-empty strings, with at least `min_size` of them.
  std::optional<std::vector<std::string>> names(const std::string& key, std::size_t min_size);
  /// The value of `key` for a nested reader or a custom check; nullptr when absent.
  const Json* child(const std::string& key);

  /// Whether the value read is a JSON object (when not, the constructor reported it).
  bool is_object() const { return object_.is_object(); }
  std::string path_of(const std::string& key) const { return path_ + "." + key; }
  std::vector<std::string>& errors() { return errors_; }
  /// Records an error at `key` (at the object itself when `key` is empty).
  void error(const std::string& key, const std::string& what);
  /// Reports every key of the object that no read asked for.
  void finish();

  /// Parses a whole document; the error names `source` and says where the JSON breaks.
  static core::Result<Json> parse_document(std::string_view json_text, std::string_view source);
  /// The text of the configuration file at `path`; the error says what to check.
  static core::Result<std::string> read_file(const std::string& path);
  /// The Status of a document with `errors`: ok when there are none, else
  /// `<source>: invalid configuration (N errors):` and one indented line per error (the lines of a
  /// multi-line error indented once more).
  static core::Status report(std::string_view source, const std::vector<std::string>& errors);

 private:
  const Json* find(const std::string& key);

  const Json& object_;
  std::string path_;
  std::vector<std::string>& errors_;
  std::vector<std::string> known_;
};

}  // namespace streamlearn::config
