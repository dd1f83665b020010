#pragma once

/// PaneWindow: tumbling and hopping windows as panes of `step` (tumbling: step = size). A feature
/// at time t reads the window that ends first after t, [end - size, end) with end the end of t's
/// pane: for tumbling windows the window of t, for hopping ones the last `size` at the resolution
/// of `step`. An event is late when that window has closed (end + lateness <= watermark), which
/// for tumbling windows is Flink's rule.
///
/// Per key a ring of R = size/step + ceil((out_of_order + lateness) / step) + 1 panes, each
/// tagged with its pane number: every pane an event that is not late can read or update maps to
/// its own ring position, and a position holding an older pane is emptied when reused. So a key
/// costs R x (8 + the aggregates' cells) bytes, allocated once. Cost per event: one update per
/// aggregate, and size/step - 1 merges per aggregate to read a hopping window.
///
/// Saved per key: the panes its ring holds, each as its pane number and cells, in ring order; a
/// pane goes back to the same ring position (pane number modulo the ring size).

#include "stream/features/window_state.h"

namespace streamlearn::stream::features {

class PaneWindow final : public WindowState {
 public:
  explicit PaneWindow(const WindowSpec& spec);

  void reserve_slots(std::size_t slots) override;
  void clear(std::uint32_t slot) override;
  void update(std::uint32_t slot, std::int64_t time_ms, std::int64_t watermark_ms,
              std::span<const ColumnInput> inputs) override;
  void read(std::uint32_t slot, std::int64_t time_ms, std::span<double> values) override;
  bool late(std::int64_t time_ms, std::int64_t watermark_ms) const override;
  bool closed(std::int64_t latest_ms, std::int64_t watermark_ms) const override;
  bool time_in_range(std::int64_t time_ms) const override;
  std::size_t bytes_per_key() const override;

  std::size_t ring_size() const { return ring_size_; }

 protected:
  Format format() const override;
  void save_slot(std::uint32_t slot, core::StateWriter& out) const override;
  [[nodiscard]] core::Status load_slot(std::uint32_t slot, core::StateReader& in) override;

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  std::int64_t pane_of(std::int64_t time_ms) const;
  std::size_t cell_of(std::uint32_t slot, std::int64_t pane) const;

  std::int64_t step_ms_;
  std::int64_t panes_per_window_;
  std::int64_t lateness_ms_;
  std::size_t ring_size_;
  std::vector<std::int64_t> pane_tags_;  // by cell: the pane it holds, or kNoPane
  std::vector<std::uint32_t> read_cells_;
};

}  // namespace streamlearn::stream::features
