#include "stream/features/unbounded_window.h"

namespace streamlearn::stream::features {

void UnboundedWindow::reserve_slots(std::size_t slots) {
  if (slots <= slots_) return;
  slots_ = slots;
  for (auto& column : columns_) column->resize(slots);
}

void UnboundedWindow::clear(std::uint32_t slot) {
  for (auto& column : columns_) column->reset(slot);
}

void UnboundedWindow::update(std::uint32_t slot, std::int64_t /*time_ms*/,
                             std::int64_t /*watermark_ms*/, std::span<const ColumnInput> inputs) {
  for (std::size_t c = 0; c < columns_.size(); ++c) columns_[c]->update(slot, inputs[c]);
}

void UnboundedWindow::read(std::uint32_t slot, std::int64_t /*time_ms*/,
                           std::span<double> values) {
  const std::uint32_t cell[1] = {slot};
  for (std::size_t c = 0; c < columns_.size(); ++c) values[c] = columns_[c]->value(cell);
}

std::size_t UnboundedWindow::bytes_per_key() const {
  std::size_t bytes = 0;
  for (const auto& column : columns_) bytes += column->cell_bytes();
  return bytes;
}

}  // namespace streamlearn::stream::features
