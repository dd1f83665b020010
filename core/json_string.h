#pragma once

/// append_json_string: `text` as a JSON string literal (quoted; '"', '\\' and control characters
/// escaped; other bytes, UTF-8 included, copied as they are), appended to `out`. For the records
/// streamlearn writes by hand on hot paths (prediction records, dead letters, generated streams),
/// where nlohmann's DOM would allocate per record.

#include <charconv>
#include <string>
#include <string_view>

namespace streamlearn::core {

void append_json_string(std::string_view text, std::string& out);

/// The same, or `null` when `text` is empty (an event without an id or a key).
inline void append_json_string_or_null(std::string_view text, std::string& out) {
  if (text.empty())
    out += "null";
  else
    append_json_string(text, out);
}

/// A finite number (or an integer) in its shortest round-trip form, so a reader gets it back
/// exactly.
template <typename Number>
void append_json_number(Number value, std::string& out) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

}  // namespace streamlearn::core
