#pragma once

/// UnboundedWindow: per key one aggregate cell over its whole history (River's Agg and TargetAgg
/// without a window). Cost per event: one update per aggregate; memory: one cell per aggregate
/// per key. Keys go only by ttl or max_keys. Saved per key: its cells.

#include "stream/features/window_state.h"

namespace streamlearn::stream::features {

class UnboundedWindow final : public WindowState {
 public:
  explicit UnboundedWindow(const WindowSpec& spec) : WindowState(spec) {}

  void reserve_slots(std::size_t slots) override;
  void clear(std::uint32_t slot) override;
  void update(std::uint32_t slot, std::int64_t time_ms, std::int64_t watermark_ms,
              std::span<const ColumnInput> inputs) override;
  void read(std::uint32_t slot, std::int64_t time_ms, std::span<double> values) override;
  std::size_t bytes_per_key() const override;

 protected:
  Format format() const override { return {"UnboundedWindow", kStateVersion, {}}; }
  void save_slot(std::uint32_t slot, core::StateWriter& out) const override {
    save_cell(slot, out);
  }
  [[nodiscard]] core::Status load_slot(std::uint32_t slot, core::StateReader& in) override {
    return load_cell(slot, in);
  }

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  std::size_t slots_ = 0;
};

}  // namespace streamlearn::stream::features
