#include "connectors/kafka/kafka_settings.h"

#include <charconv>

namespace streamlearn::connectors {
namespace {

constexpr std::string_view kTimestampPrefix = "timestamp:";

/// The milliseconds of "timestamp:MS", or nothing when `text` is not of that form.
bool parse_timestamp(std::string_view text, std::int64_t& ms) {
  if (text.substr(0, kTimestampPrefix.size()) != kTimestampPrefix) return false;
  const std::string_view digits = text.substr(kTimestampPrefix.size());
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
  return error == std::errc() && end == digits.data() + digits.size() && !digits.empty() && ms >= 0;
}

}  // namespace

core::Result<StartPosition> StartPosition::parse(std::string_view text) {
  if (text == "committed") return StartPosition{Kind::kCommitted, 0};
  if (text == "earliest") return StartPosition{Kind::kEarliest, 0};
  if (text == "latest") return StartPosition{Kind::kLatest, 0};
  std::int64_t ms = 0;
  if (parse_timestamp(text, ms)) return StartPosition{Kind::kTimestamp, ms};
  return core::Status::error("'" + std::string(text) +
                             "' is not a start position: use committed, earliest, latest or "
                             "timestamp:MS (milliseconds since the epoch)");
}

std::string StartPosition::describe() const {
  switch (kind) {
    case Kind::kCommitted:
      return "committed";
    case Kind::kEarliest:
      return "earliest";
    case Kind::kLatest:
      return "latest";
    case Kind::kTimestamp:
      return std::string(kTimestampPrefix) + std::to_string(timestamp_ms);
  }
  return "committed";
}

core::Result<StopCondition> StopCondition::parse(std::string_view text) {
  if (text == "never") return StopCondition{Kind::kNever, 0};
  if (text == "end") return StopCondition{Kind::kEnd, 0};
  std::int64_t ms = 0;
  if (parse_timestamp(text, ms)) return StopCondition{Kind::kTimestamp, ms};
  return core::Status::error("'" + std::string(text) +
                             "' is not a stop condition: use never, end (each partition's end "
                             "offset when the run starts) or timestamp:MS");
}

std::string StopCondition::describe() const {
  switch (kind) {
    case Kind::kNever:
      return "never";
    case Kind::kEnd:
      return "end";
    case Kind::kTimestamp:
      return std::string(kTimestampPrefix) + std::to_string(timestamp_ms);
  }
  return "never";
}

}  // namespace streamlearn::connectors
