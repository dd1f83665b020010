#include "stream/features/duration.h"

#include <array>
#include <charconv>
#include <limits>

namespace streamlearn::stream::features {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};
// Longest suffix first where one is the end of another ("ms" before "s").
constexpr std::array<Unit, 5> kUnits = {{{"ms", 1},
                                          {"s", 1000},
                                          {"m", 60'000},
                                          {"h", 3'600'000},
                                          {"d", 86'400'000}}};

}  // namespace

core::Result<std::int64_t> parse_duration_ms(std::string_view text, bool allow_zero) {
  const auto fail = [&](std::string_view why) {
    return core::Status::error("'" + std::string(text) + "' is not a duration: " +
                               std::string(why) +
                               " (write a whole number and a unit: ms, s, m, h or d, as in 30s "
                               "or 1h)");
  };
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return fail("it does not start with a number");
  const std::string_view suffix = text.substr(digits);
  if (suffix.empty()) return fail("it has no unit");
  for (const Unit& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    std::int64_t count = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + digits, count);
    if (error != std::errc() || end != text.data() + digits ||
        count > std::numeric_limits<std::int64_t>::max() / unit.ms)
      return fail("it is too long");
    if (count == 0 && !allow_zero) return fail("it must be positive");
    return count * unit.ms;
  }
  return fail("unknown unit '" + std::string(suffix) + "'");
}

std::string format_duration(std::int64_t ms) {
  if (ms == 0) return "0s";
  for (auto unit = kUnits.rbegin(); unit != kUnits.rend(); ++unit)
    if (ms % unit->ms == 0) return std::to_string(ms / unit->ms) + std::string(unit->suffix);
  return std::to_string(ms) + "ms";
}

}  // namespace streamlearn::stream::features
