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
///
/// save() writes, for the slots it is given in order, what each kind holds per key (panes and
/// their tags, sessions, the ring of last inputs, cells), after the kind's format version and
/// shape (the parameters its layout follows) and the number of columns; load() checks those and
/// refills slots 0, 1, ... of a state built from the same spec. Scratch buffers and the layout of
/// cells (free lists, spare capacity) are rebuilt, not saved: they change no value.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"
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
  /// Whether the kind's arithmetic on a key's latest event time (closed(); for sessions, also on
  /// a session's last time) cannot overflow at time_ms. A stream cannot have produced other
  /// times, so load() refuses them as corrupt.
  virtual bool time_in_range(std::int64_t time_ms) const {
    (void)time_ms;
    return true;
  }
  /// Bytes of state per key, not counting what aggregates allocate.
  virtual std::size_t bytes_per_key() const = 0;

  std::size_t num_columns() const { return columns_.size(); }

  /// Writes the state of `slots`, in this order (KeyTable::slots_oldest_first()).
  void save(std::span<const std::uint32_t> slots, core::StateWriter& out) const;
  /// Restores what save() wrote for `num_slots` keys into slots 0 to num_slots - 1 of a state
  /// built from the same spec that holds no key yet. On failure the state is unusable: load into
  /// a fresh one and drop it (KeyedWindow::load does).
  [[nodiscard]] core::Status load(std::size_t num_slots, core::StateReader& in);

 protected:
  explicit WindowState(const WindowSpec& spec);

  /// What save() writes first: the kind's name (for errors), its format version, and the
  /// parameters its per-key layout depends on.
  struct Format {
    const char* name;
    std::uint32_t version;
    std::vector<std::int64_t> shape;
  };
  virtual Format format() const = 0;
  virtual void save_slot(std::uint32_t slot, core::StateWriter& out) const = 0;
  [[nodiscard]] virtual core::Status load_slot(std::uint32_t slot, core::StateReader& in) = 0;

  /// Every column's aggregate in one cell.
  void save_cell(std::size_t cell, core::StateWriter& out) const;
  [[nodiscard]] core::Status load_cell(std::size_t cell, core::StateReader& in);

  std::vector<std::unique_ptr<AggregateColumn>> columns_;
};

}  // namespace streamlearn::stream::features
