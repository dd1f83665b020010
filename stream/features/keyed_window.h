#pragma once

/// KeyedWindow: a window kept for every key: the KeyTable of keys, the WindowState of the spec's
/// kind, the watermark (the largest event time seen minus out_of_order), and the bounds on state:
/// a key whose windows have all closed is dropped (nothing it held can be read again), a key idle
/// for `ttl` in event time is dropped, and beyond `max_keys` the least recently updated key is
/// evicted. All three are counted. Keys are dropped from the least recently updated end, as the
/// watermark advances. Not thread-safe.
///
/// save() writes the largest event time seen, the closed and expired counts, the KeyTable (keys
/// as text, oldest first) and the WindowState of those keys in the same order.

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string_view>

#include "core/state_io.h"
#include "core/status.h"
#include "stream/features/key_table.h"
#include "stream/features/window_spec.h"
#include "stream/features/window_state.h"

namespace streamlearn::stream::features {

class KeyedWindow {
 public:
  static constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

  struct Counters {
    std::uint64_t closed = 0;   // keys dropped because all their windows closed (lossless)
    std::uint64_t expired = 0;  // keys dropped after `ttl` without an event
    std::uint64_t evicted = 0;  // keys evicted beyond max_keys
  };

  explicit KeyedWindow(const WindowSpec& spec);

  /// Advances the watermark with an event time, and drops the keys that closed or expired.
  void observe(std::int64_t time_ms);
  /// The largest event time seen minus out_of_order; kNoTime before any.
  std::int64_t watermark_ms() const {
    return latest_ms_ == kNoTime ? kNoTime : latest_ms_ - out_of_order_ms_;
  }
  std::int64_t latest_ms() const { return latest_ms_; }
  /// Whether an event at time_ms is late (never for count and unbounded windows).
  bool late(std::int64_t time_ms) const;

  /// Adds one event's inputs (one per aggregate) under `key` at time_ms; returns the key's slot.
  std::uint32_t update(std::string_view key, std::int64_t time_ms,
                       std::span<const ColumnInput> inputs);
  /// The values of the window of `slot` that an event at time_ms reads.
  void read_slot(std::uint32_t slot, std::int64_t time_ms, std::span<double> values) {
    state_->read(slot, time_ms, values);
  }
  /// The same for a key; false, with the values of empty aggregates, when the window holds
  /// nothing for it.
  bool read(std::string_view key, std::int64_t time_ms, std::span<double> values);

  std::size_t num_keys() const { return keys_.size(); }
  std::size_t num_aggregates() const { return state_->num_columns(); }
  Counters counters() const {
    return {counters_.closed, counters_.expired, keys_.evicted()};
  }
  std::size_t bytes_per_key() const { return state_->bytes_per_key(); }

  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a window built from the same spec that has seen no event
  /// (WindowOperator::load builds one). On failure the window is unusable: drop it.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  std::int64_t out_of_order_ms_;
  std::int64_t ttl_ms_;
  KeyTable keys_;
  std::unique_ptr<WindowState> state_;
  std::int64_t latest_ms_ = kNoTime;
  Counters counters_;
};

}  // namespace streamlearn::stream::features
