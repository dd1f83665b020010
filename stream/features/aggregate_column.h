#pragma once

/// AggregateColumn: one aggregate of a window (`mean(amount)`) for every key, as a column of
/// aggregate cells addressed by index. The window kinds (pane_window.h, session_window.h,
/// count_window.h, unbounded_window.h) decide which cells exist, which values go into which cell
/// and which cells make up the window a feature reads; the column knows only the aggregate. One
/// implementation per aggregate type (a template over the `Aggregate` concept of
/// stream/aggregates/aggregate.h) behind this interface, so every window kind serves every
/// aggregate, and cells are stored contiguously by type (a mean is 24 bytes, not a variant's 100).
///
/// Inputs are what the event holds in the aggregate's field: a number, a categorical value (only
/// `count(field)` and `nunique` read those: nunique by a 64-bit hash of the value's text, so its
/// sketch does not depend on the order names were interned in), or nothing. Not thread-safe.

#include <cstdint>
#include <memory>
#include <span>

#include "core/state_io.h"
#include "core/status.h"
#include "stream/aggregates/aggregate_spec.h"

namespace streamlearn::stream::features {

/// The value an event holds in one aggregate's field.
struct ColumnInput {
  enum class Kind : std::uint8_t { kAbsent, kNumber, kCategory };
  Kind kind = Kind::kAbsent;
  double number = 0.0;       // kNumber
  std::uint64_t hash = 0;    // kCategory: a hash of the value's text
};

class AggregateColumn {
 public:
  virtual ~AggregateColumn() = default;

  /// Makes the column of one aggregate.
  static std::unique_ptr<AggregateColumn> make(const aggregates::AggregateSpec& spec);

  /// Grows (or shrinks) to `cells` cells; new cells are empty.
  virtual void resize(std::size_t cells) = 0;
  /// Empties one cell.
  virtual void reset(std::size_t cell) = 0;
  virtual void update(std::size_t cell, const ColumnInput& input) = 0;
  /// cell `into` becomes the aggregate of itself followed by cell `later`.
  virtual void merge(std::size_t into, std::size_t later) = 0;
  /// The value of the cells merged in order (earliest part of the stream first); over no cell,
  /// the value of an empty aggregate (0 for count and sum, NaN otherwise).
  virtual double value(std::span<const std::uint32_t> cells) = 0;

  /// Whether revert() exists (count windows slide by it; otherwise they recompute).
  virtual bool revertible() const = 0;
  /// Removes an input update() added to the cell earlier; only when revertible().
  virtual void revert(std::size_t cell, const ColumnInput& input) = 0;
  /// The value of an aggregate of these inputs, in order, computed afresh.
  virtual double value_of(std::span<const ColumnInput> inputs) = 0;
  /// Whether the cell summarises as many values as an aggregate of these inputs would (a check
  /// on loaded state that revert() will take out).
  virtual bool count_matches(std::size_t cell, std::span<const ColumnInput> inputs) = 0;

  virtual void save(std::size_t cell, core::StateWriter& out) const = 0;
  [[nodiscard]] virtual core::Status load(std::size_t cell, core::StateReader& in) = 0;
  /// Bytes per cell, not counting what a cell allocates (sketch buckets, exact sets).
  virtual std::size_t cell_bytes() const = 0;
};

}  // namespace streamlearn::stream::features
