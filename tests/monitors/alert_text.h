#pragma once

/// alert_text: every field of an Alert as one line of text, doubles as their bit patterns, so that
/// the save/load tests compare the alerts of two runs bit for bit with a readable diff.

#include <bit>
#include <cstdint>
#include <cstdio>
#include <string>

#include "monitors/alerts/alert.h"

namespace streamlearn::testing {

/// The bit pattern of a double in hex: equal texts, equal bits (NaNs included).
inline std::string bits(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(value)));
  return text;
}

inline std::string bounds_text(const monitors::WindowBounds& bounds) {
  return std::to_string(bounds.first_event) + "-" + std::to_string(bounds.last_event) + "/" +
         std::to_string(bounds.count) + "@" + std::to_string(bounds.start_time_ms) + "-" +
         std::to_string(bounds.end_time_ms);
}

inline std::string alert_text(const monitors::Alert& alert) {
  std::string text = "alert " + alert.id + " " + alert.monitor + " " + alert.feature + " " +
                     std::string(monitors::alert_kind_name(alert.kind)) + " " + alert.statistic +
                     " " + bits(alert.value) + " " + bits(alert.threshold) + " ref " +
                     (alert.has_reference ? bounds_text(alert.reference) : "none") + " cur " +
                     bounds_text(alert.current) + " t " + std::to_string(alert.event_time_ms) +
                     " wall " + std::to_string(alert.wall_time_ms) + " v" +
                     std::to_string(alert.model_version) + "->" +
                     std::to_string(alert.new_model_version) + " " + alert.model_action;
  for (const auto& [name, value] : alert.evidence) text += " " + name + "=" + bits(value);
  return text;
}

}  // namespace streamlearn::testing
