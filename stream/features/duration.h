#pragma once

/// Durations as configurations write them: a whole number and a unit, `250ms`, `30s`, `5m`, `1h`,
/// `7d`. parse_duration_ms() reads one (a bare number is refused: say the unit);
/// format_duration() writes the shortest exact form back (`3600000` -> `1h`, `90000` -> `90s`).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace streamlearn::stream::features {

/// Milliseconds of `text`, which must be positive unless `allow_zero`; the error quotes the text
/// and lists the units.
core::Result<std::int64_t> parse_duration_ms(std::string_view text, bool allow_zero = false);
std::string format_duration(std::int64_t ms);

}  // namespace streamlearn::stream::features
