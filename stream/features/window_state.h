#pragma once

/// WindowState: the state of one kind of window for every key (by slot, see key_table.h) and every
/// aggregate (one AggregateColumn each): which cells exist, which cell an event's values go into,
/// and which cells make up the window that a feature at time t reads. Four kinds:
///
///   PaneWindow       tumbling and hopping windows: per key a ring of panes of `step`
///   SessionWindow    per key the sessions (events less than `gap` apart), merged as they join
///   CountWindow      per key its last N events, in arrival order
///   UnboundedWindow  per key its whole history
///
/// Time windows say when an event is late (the window it reads has closed: its end plus the
/// allowed lateness is at or before the watermark) and when a key's state can never be read again
/// (closed()). Not thread-safe.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "stream/features/aggregate_column.h"
#include "stream/features/window_spec.h"

namespace streamlearn::stream::features {

class WindowState {
 public:
  virtual ~WindowState() = default;

  /// The state of the spec's kind of window, with one column per aggregate of the spec.
  static std::unique_ptr<WindowState> make(const WindowSpec& spec);

  /// Makes room for slots [0, slots); new slots are empty.
  virtual void reserve_slots(std::size_t slots) = 0;
  /// Empties a slot (a new key, or one removed).
  virtual void clear(std::uint32_t slot) = 0;
  /// Adds one event's inputs (one per column) at time_ms; `watermark_ms` lets a kind drop parts
  /// that closed.
  virtual void update(std::uint32_t slot, std::int64_t time_ms, std::int64_t watermark_ms,
                      std::span<const ColumnInput> inputs) = 0;
  /// The value of every column over the window that an event at time_ms reads.
  virtual void read(std::uint32_t slot, std::int64_t time_ms, std::span<double> values) = 0;

  /// The value of every column over no event (0 for count and sum, NaN for the others).
  void read_empty(std::span<double> values) {
    for (std::size_t c = 0; c < columns_.size(); ++c) values[c] = columns_[c]->value({});
  }

  /// Whether an event at time_ms is late: the window it reads has closed.
  virtual bool late(std::int64_t time_ms, std::int64_t watermark_ms) const {
    (void)time_ms;
    (void)watermark_ms;
    return false;
  }
  /// Whether a key whose latest event time is `latest_ms` can never be read or updated again by
  /// an event that is not late: its state can go without changing any feature.
  virtual bool closed(std::int64_t latest_ms, std::int64_t watermark_ms) const {
    (void)latest_ms;
    (void)watermark_ms;
    return false;
  }
  /// Bytes of state per key, not counting what aggregates allocate.
  virtual std::size_t bytes_per_key() const = 0;

  std::size_t num_columns() const { return columns_.size(); }

 protected:
  explicit WindowState(const WindowSpec& spec);

  std::vector<std::unique_ptr<AggregateColumn>> columns_;
};

}  // namespace streamlearn::stream::features
