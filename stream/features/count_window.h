#pragma once

/// CountWindow: per key its last N events, in arrival order (not event time: no watermark, no
/// lateness). A revertible aggregate (count, sum, mean, var, std) keeps one cell per key and
/// slides by update(newest) and revert(oldest); the others (min, max, first, last, nunique,
/// quantile) are computed afresh from the key's N inputs when read, so every aggregate is exact
/// over exactly the last N events.
///
/// Cost per event: O(1) per revertible aggregate, O(N) per other one. Memory per key: N x 24
/// bytes per aggregate (the inputs) plus one cell per revertible aggregate.
///
/// Saved per key: its inputs, oldest first, and the cells of the revertible aggregates (kept, not
/// recomputed: a sum slid by revert() differs in its last bits from one summed afresh). load()
/// checks that each such cell counts as many values as the inputs hold.

#include "stream/features/window_state.h"

namespace streamlearn::stream::features {

class CountWindow final : public WindowState {
 public:
  explicit CountWindow(const WindowSpec& spec);

  void reserve_slots(std::size_t slots) override;
  void clear(std::uint32_t slot) override;
  void update(std::uint32_t slot, std::int64_t time_ms, std::int64_t watermark_ms,
              std::span<const ColumnInput> inputs) override;
  void read(std::uint32_t slot, std::int64_t time_ms, std::span<double> values) override;
  std::size_t bytes_per_key() const override;

 protected:
  Format format() const override;
  void save_slot(std::uint32_t slot, core::StateWriter& out) const override;
  [[nodiscard]] core::Status load_slot(std::uint32_t slot, core::StateReader& in) override;

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  struct Ring {
    std::uint32_t oldest = 0;
    std::uint32_t size = 0;
  };
  // The input of column c in the key's i-th oldest event.
  const ColumnInput& input(std::uint32_t slot, std::uint32_t i, std::size_t c) const;
  // The inputs of column c in the key's events, oldest first, into gathered_.
  void gather(std::uint32_t slot, std::size_t c);

  std::uint32_t size_events_;
  std::vector<Ring> rings_;          // by slot
  std::vector<ColumnInput> inputs_;  // by slot, ring position, column
  std::vector<ColumnInput> gathered_;
};

}  // namespace streamlearn::stream::features
