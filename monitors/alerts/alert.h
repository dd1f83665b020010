#pragma once

/// Alert: the record a monitor emits when its alert policy fires, telling a person or a system to
/// retrain, with the evidence attached. Its JSON form (to_json) is a stable, documented schema
/// (README.md, "Alert records"); new fields may be added, none renamed or removed.
///
/// Positions are 0-based counts of the events the pipeline processed; times are milliseconds since
/// the Unix epoch (event time from the events, wall time from the system clock), kNoTime when the
/// events carry no time.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "monitors/windows/window_bounds.h"

namespace streamlearn::monitors {

enum class AlertKind {
  kConcept,      // a concept-drift detector on the model's error stream
  kData,         // data drift of an input feature or of the label
  kPrediction,   // drift of the model's predictions
  kPerformance,  // a model metric crossed its threshold
  kPromotion,    // a challenger replaced the serving model (stream/challenger.h)
};

std::string_view alert_kind_name(AlertKind kind);

struct Alert {
  static constexpr std::int64_t kNoTime = WindowBounds::kNoTime;

  /// "<pipeline>/<monitor>/<sequence number>": unique within a run of a pipeline.
  std::string id;
  std::int64_t event_time_ms = kNoTime;  // of the event that completed the evidence
  std::int64_t wall_time_ms = 0;
  std::string pipeline;
  std::string monitor;
  AlertKind kind = AlertKind::kData;
  std::string feature;  // empty when the monitor watches no single feature
  std::string statistic;
  double value = 0.0;
  /// NaN when the statistic has no threshold (a drift detector's own test).
  double threshold = 0.0;
  bool has_reference = false;
  WindowBounds reference;
  WindowBounds current;
  /// The model version that produced the evidence, and the one serving after the alert's action.
  std::uint64_t model_version = 1;
  std::uint64_t new_model_version = 1;
  /// What the pipeline did: "none", "reset" (a fresh model), "swap" (the background model) or
  /// "promotion" (the challenger).
  std::string model_action = "none";
  /// Every statistic the monitor computed at the alert, the alerting one included.
  std::vector<std::pair<std::string, double>> evidence;
};

/// The alert as one line of JSON (no newline). Non-finite numbers become null.
std::string to_json(const Alert& alert);

/// Milliseconds since the Unix epoch as ISO 8601 UTC with milliseconds, "2026-11-21T09:30:00.000Z".
std::string format_utc(std::int64_t time_ms);

}  // namespace streamlearn::monitors
