#pragma once

/// The settings of streamlearn's Kafka clients, as the configuration and the command line give
/// them: the cluster and librdkafka properties, where a replay starts (`--from`) and where it
/// stops (`--until`). Plain values; the source and the sinks read them.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace streamlearn::connectors {

/// librdkafka properties as name/value pairs, applied in order (a later one wins).
using KafkaProperties = std::vector<std::pair<std::string, std::string>>;

struct KafkaConnection {
  std::string bootstrap_servers{};
  KafkaProperties properties{};  // for every client (consumer and producers)
};

/// Where consumption starts on each assigned partition.
struct StartPosition {
  enum class Kind : std::uint8_t { kCommitted, kEarliest, kLatest, kTimestamp };
  Kind kind = Kind::kCommitted;  // committed offset of the group; earliest when it has none
  std::int64_t timestamp_ms = 0;  // kTimestamp: the first record at or after it

  /// "committed", "earliest", "latest" or "timestamp:MS"; the error lists them.
  static core::Result<StartPosition> parse(std::string_view text);
  std::string describe() const;
  bool operator==(const StartPosition&) const = default;
};

/// Where consumption stops (the run then finishes as on SIGTERM).
struct StopCondition {
  enum class Kind : std::uint8_t { kNever, kEnd, kTimestamp };
  Kind kind = Kind::kNever;
  std::int64_t timestamp_ms = 0;  // kTimestamp: stop a partition at its first later record

  /// "never", "end" (each partition's end offset as of its assignment) or "timestamp:MS".
  static core::Result<StopCondition> parse(std::string_view text);
  std::string describe() const;
  bool operator==(const StopCondition&) const = default;
};

}  // namespace streamlearn::connectors
