#include "stream/features/pane_window.h"

#include <limits>

namespace streamlearn::stream::features {
namespace {

constexpr std::int64_t kNoPane = std::numeric_limits<std::int64_t>::min();

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

PaneWindow::PaneWindow(const WindowSpec& spec)
    : WindowState(spec),
      step_ms_(spec.step_ms),
      panes_per_window_(spec.size_ms / spec.step_ms),
      lateness_ms_(spec.lateness_ms),
      ring_size_(static_cast<std::size_t>(
          panes_per_window_ + ceil_div(spec.out_of_order_ms + spec.lateness_ms, spec.step_ms) +
          1)) {}

void PaneWindow::reserve_slots(std::size_t slots) {
  const std::size_t cells = slots * ring_size_;
  if (cells <= pane_tags_.size()) return;
  pane_tags_.resize(cells, kNoPane);
  for (auto& column : columns_) column->resize(cells);
}

void PaneWindow::clear(std::uint32_t slot) {
  for (std::size_t i = 0; i < ring_size_; ++i) {
    const std::size_t cell = slot * ring_size_ + i;
    if (pane_tags_[cell] == kNoPane) continue;
    pane_tags_[cell] = kNoPane;
    for (auto& column : columns_) column->reset(cell);
  }
}

std::int64_t PaneWindow::pane_of(std::int64_t time_ms) const {
  return floor_div(time_ms, step_ms_);
}

std::size_t PaneWindow::cell_of(std::uint32_t slot, std::int64_t pane) const {
  const auto ring = static_cast<std::int64_t>(ring_size_);
  return slot * ring_size_ + static_cast<std::size_t>(((pane % ring) + ring) % ring);
}

void PaneWindow::update(std::uint32_t slot, std::int64_t time_ms, std::int64_t /*watermark_ms*/,
                        std::span<const ColumnInput> inputs) {
  const std::int64_t pane = pane_of(time_ms);
  const std::size_t cell = cell_of(slot, pane);
  if (pane_tags_[cell] != pane) {
    // An older pane that no event can read any more (see the ring size), or an empty position.
    if (pane_tags_[cell] != kNoPane)
      for (auto& column : columns_) column->reset(cell);
    pane_tags_[cell] = pane;
  }
  for (std::size_t c = 0; c < columns_.size(); ++c) columns_[c]->update(cell, inputs[c]);
}

void PaneWindow::read(std::uint32_t slot, std::int64_t time_ms, std::span<double> values) {
  const std::int64_t last = pane_of(time_ms);
  read_cells_.clear();
  for (std::int64_t pane = last - panes_per_window_ + 1; pane <= last; ++pane) {
    const std::size_t cell = cell_of(slot, pane);
    if (pane_tags_[cell] == pane) read_cells_.push_back(static_cast<std::uint32_t>(cell));
  }
  for (std::size_t c = 0; c < columns_.size(); ++c) values[c] = columns_[c]->value(read_cells_);
}

bool PaneWindow::late(std::int64_t time_ms, std::int64_t watermark_ms) const {
  return (pane_of(time_ms) + 1) * step_ms_ + lateness_ms_ <= watermark_ms;
}

bool PaneWindow::closed(std::int64_t latest_ms, std::int64_t watermark_ms) const {
  // A later event that is not late reads panes from its own minus panes_per_window - 1 on.
  return (pane_of(latest_ms) + panes_per_window_) * step_ms_ + lateness_ms_ <= watermark_ms;
}

bool PaneWindow::time_in_range(std::int64_t time_ms) const {
  // closed() computes (pane_of(t) + panes_per_window) * step + lateness.
  std::int64_t end = 0;
  return !__builtin_add_overflow(pane_of(time_ms), panes_per_window_, &end) &&
         !__builtin_mul_overflow(end, step_ms_, &end) &&
         !__builtin_add_overflow(end, lateness_ms_, &end);
}

PaneWindow::Format PaneWindow::format() const {
  const auto ring_size = static_cast<std::int64_t>(ring_size_);
  return {"PaneWindow", kStateVersion, {step_ms_, panes_per_window_, lateness_ms_, ring_size}};
}

void PaneWindow::save_slot(std::uint32_t slot, core::StateWriter& out) const {
  std::uint32_t num_panes = 0;
  for (std::size_t i = 0; i < ring_size_; ++i)
    if (pane_tags_[slot * ring_size_ + i] != kNoPane) ++num_panes;
  out.write(num_panes);
  for (std::size_t i = 0; i < ring_size_; ++i) {
    const std::size_t cell = slot * ring_size_ + i;
    if (pane_tags_[cell] == kNoPane) continue;
    out.write(pane_tags_[cell]);
    save_cell(cell, out);
  }
}

core::Status PaneWindow::load_slot(std::uint32_t slot, core::StateReader& in) {
  std::uint32_t num_panes = 0;
  if (!in.read(num_panes)) return in.status("PaneWindow");
  if (num_panes > ring_size_) {
    in.fail();
    return in.status("PaneWindow");
  }
  for (std::uint32_t i = 0; i < num_panes; ++i) {
    std::int64_t pane = kNoPane;
    if (!in.read(pane)) return in.status("PaneWindow");
    // Every saved pane has a ring position of its own, as when it was saved.
    const std::size_t cell = cell_of(slot, pane);
    if (pane == kNoPane || pane_tags_[cell] != kNoPane) {
      in.fail();
      return in.status("PaneWindow");
    }
    pane_tags_[cell] = pane;
    SL_RETURN_IF_ERROR(load_cell(cell, in));
  }
  return core::Status::ok();
}

std::size_t PaneWindow::bytes_per_key() const {
  std::size_t cell = sizeof(std::int64_t);
  for (const auto& column : columns_) cell += column->cell_bytes();
  return ring_size_ * cell;
}

}  // namespace streamlearn::stream::features
