#include "monitors/windows/window_length.h"

#include <array>
#include <charconv>
#include <utility>

namespace streamlearn::monitors {
namespace {

constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> kUnits = {{
    {"d", 86'400'000},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1'000},
    {"ms", 1},
}};

}  // namespace

core::Result<WindowLength> WindowLength::parse(std::string_view text) {
  std::int64_t amount = 0;
  const char* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, amount);
  const std::string_view unit(rest, static_cast<std::size_t>(end - rest));
  const auto invalid = [&] {
    return core::Status::error("invalid window length '" + std::string(text) +
                               "': write a count of events (\"5000\") or an event-time span, a "
                               "non-negative integer with a unit ms, s, m, h or d (\"10m\")");
  };
  if (error != std::errc() || rest == text.data() || amount < 0) return invalid();
  if (unit.empty()) return events(amount);
  for (const auto& [name, milliseconds_per_unit] : kUnits) {
    if (unit != name) continue;
    if (amount > INT64_MAX / milliseconds_per_unit) return invalid();
    return milliseconds(amount * milliseconds_per_unit);
  }
  return invalid();
}

std::string WindowLength::describe() const {
  if (unit == Unit::kEvents) return std::to_string(amount);
  for (const auto& [name, milliseconds_per_unit] : kUnits) {
    if (amount != 0 && amount % milliseconds_per_unit == 0)
      return std::to_string(amount / milliseconds_per_unit) + std::string(name);
  }
  return std::to_string(amount) + "ms";
}

}  // namespace streamlearn::monitors
