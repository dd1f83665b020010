#include "core/json_string.h"

#include <cstdio>

namespace streamlearn::core {
namespace {

// The escape of a character that cannot appear as it is in a JSON string.
void append_escape(unsigned char c, std::string& out) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
    }
  }
}

}  // namespace

void append_json_string(std::string_view text, std::string& out) {
  out += '"';
  // Runs of characters that need no escape are appended at once.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    append_escape(c, out);
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

}  // namespace streamlearn::core
