#pragma once

/// WindowBounds: which events a window summarised: 0-based positions of its first and last event
/// among those the pipeline processed, how many it holds, and the event-time span they cover
/// (kNoTime when the events carry no time). Alerts quote the bounds of both windows compared.

#include <algorithm>
#include <cstdint>
#include <limits>

namespace streamlearn::monitors {

struct WindowBounds {
  static constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

  std::uint64_t first_event = 0;
  std::uint64_t last_event = 0;
  std::uint64_t count = 0;
  std::int64_t start_time_ms = kNoTime;
  std::int64_t end_time_ms = kNoTime;

  void include(std::uint64_t position, std::int64_t time_ms) {
    first_event = count == 0 ? position : std::min(first_event, position);
    last_event = count == 0 ? position : std::max(last_event, position);
    ++count;
    if (time_ms == kNoTime) return;
    start_time_ms = start_time_ms == kNoTime ? time_ms : std::min(start_time_ms, time_ms);
    end_time_ms = end_time_ms == kNoTime ? time_ms : std::max(end_time_ms, time_ms);
  }

  void merge(const WindowBounds& other) {
    if (other.count == 0) return;
    if (count == 0) {
      *this = other;
      return;
    }
    first_event = std::min(first_event, other.first_event);
    last_event = std::max(last_event, other.last_event);
    count += other.count;
    if (other.start_time_ms != kNoTime)
      start_time_ms = start_time_ms == kNoTime ? other.start_time_ms
                                               : std::min(start_time_ms, other.start_time_ms);
    if (other.end_time_ms != kNoTime) end_time_ms = std::max(end_time_ms, other.end_time_ms);
  }
};

}  // namespace streamlearn::monitors
