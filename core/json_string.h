#pragma once

/// append_json_string: `text` as a JSON string literal (quoted; '"', '\\' and control characters
/// escaped; other bytes, UTF-8 included, copied as they are), appended to `out`. For the records
/// streamlearn writes by hand on hot paths (prediction records, dead letters, generated streams),
/// where nlohmann's DOM would allocate per record.

#include <string>
#include <string_view>

namespace streamlearn::core {

void append_json_string(std::string_view text, std::string& out);

}  // namespace streamlearn::core
