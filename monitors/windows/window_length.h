#pragma once

/// WindowLength: how long a monitoring window (or a cooldown) lasts, either a number of events or
/// a span of event time. Written as in the configuration and on the command line: a plain integer
/// is a count of events ("5000"); an integer with a unit is event time ("250ms", "30s", "10m",
/// "1h", "1d"). Event time is never processing time.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::monitors {

struct WindowLength {
  enum class Unit : std::uint8_t { kEvents, kMilliseconds };

  Unit unit = Unit::kEvents;
  std::int64_t amount = 0;

  static WindowLength events(std::int64_t count) { return {Unit::kEvents, count}; }
  static WindowLength milliseconds(std::int64_t span) { return {Unit::kMilliseconds, span}; }

  /// Parses "5000" or "30s" style text; the error says what is allowed.
  static core::Result<WindowLength> parse(std::string_view text);

  bool by_time() const { return unit == Unit::kMilliseconds; }
  bool is_zero() const { return amount == 0; }
  /// The text parse() reads back: "5000" or the largest exact unit, "90s", "2h".
  std::string describe() const;

  /// Writes the unit and the amount: a monitor saves its settings with its state, so that loading
  /// the state into a monitor with other settings is refused.
  void save(core::StateWriter& out) const {
    out.write(static_cast<std::uint8_t>(unit));
    out.write(amount);
  }

  bool operator==(const WindowLength&) const = default;
};

}  // namespace streamlearn::monitors
