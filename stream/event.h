#pragma once

/// Event: one decoded record of a stream. A reusable buffer: decoders fill the same Event for every
/// record (clear() keeps capacity), so decoding allocates nothing per event in steady state.

#include <cstdint>
#include <limits>
#include <string>

#include "core/feature_vector.h"
#include "core/target.h"

namespace streamlearn::stream {

struct Event {
  static constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

  std::string key;                     // partitioning / windowing key; empty when none
  std::string id;                      // matches delayed labels to predictions; empty when none
  std::int64_t event_time_ms = kNoTime;
  core::FeatureVector features;
  core::Target label;

  void clear() {
    key.clear();
    id.clear();
    event_time_ms = kNoTime;
    features.clear();
    label = core::Target::none();
  }
};

}  // namespace streamlearn::stream
