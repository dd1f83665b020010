#include "monitors/alerts/alert.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace streamlearn::monitors {
namespace {

nlohmann::ordered_json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json time_or_null(std::int64_t time_ms) {
  return time_ms == Alert::kNoTime ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(format_utc(time_ms));
}

nlohmann::ordered_json window_json(const WindowBounds& window) {
  return {{"first_event", window.first_event},
          {"last_event", window.last_event},
          {"count", window.count},
          {"start_time", time_or_null(window.start_time_ms)},
          {"end_time", time_or_null(window.end_time_ms)}};
}

}  // namespace

std::string_view alert_kind_name(AlertKind kind) {
  switch (kind) {
    case AlertKind::kConcept:
      return "concept";
    case AlertKind::kData:
      return "data";
    case AlertKind::kPrediction:
      return "prediction";
    case AlertKind::kPerformance:
      return "performance";
    case AlertKind::kPromotion:
      return "promotion";
  }
  return "data";
}

std::string format_utc(std::int64_t time_ms) {
  std::int64_t seconds = time_ms / 1000;
  std::int64_t millis = time_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[64];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

std::string to_json(const Alert& alert) {
  nlohmann::ordered_json evidence = nlohmann::ordered_json::object();
  for (const auto& [name, value] : alert.evidence) evidence[name] = number_or_null(value);
  nlohmann::ordered_json record = {
      {"id", alert.id},
      {"event_time", time_or_null(alert.event_time_ms)},
      {"wall_time", format_utc(alert.wall_time_ms)},
      {"pipeline", alert.pipeline},
      {"monitor", alert.monitor},
      {"kind", alert_kind_name(alert.kind)},
      {"feature", alert.feature.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(alert.feature)},
      {"statistic", alert.statistic},
      {"value", number_or_null(alert.value)},
      {"threshold", number_or_null(alert.threshold)},
      {"window",
       {{"reference", alert.has_reference ? window_json(alert.reference) : nlohmann::ordered_json(nullptr)},
        {"current", window_json(alert.current)}}},
      {"model_version", alert.model_version},
      {"new_model_version", alert.new_model_version},
      {"model_action", alert.model_action},
      // A promotion is the action already taken: nothing is left to recommend.
      {"action", alert.kind == AlertKind::kPromotion ? "none" : "retrain"},
      {"evidence", std::move(evidence)},
  };
  return record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace streamlearn::monitors
