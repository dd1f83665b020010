#include "stream/features/count_window.h"

#include <cmath>

namespace streamlearn::stream::features {

CountWindow::CountWindow(const WindowSpec& spec)
    : WindowState(spec), size_events_(static_cast<std::uint32_t>(spec.size_events)) {}

void CountWindow::reserve_slots(std::size_t slots) {
  if (slots <= rings_.size()) return;
  rings_.resize(slots);
  inputs_.resize(slots * size_events_ * columns_.size());
  for (auto& column : columns_) column->resize(slots);
}

void CountWindow::clear(std::uint32_t slot) {
  rings_[slot] = Ring{};
  for (auto& column : columns_) column->reset(slot);
}

const ColumnInput& CountWindow::input(std::uint32_t slot, std::uint32_t i, std::size_t c) const {
  const std::size_t position = (rings_[slot].oldest + i) % size_events_;
  return inputs_[(std::size_t{slot} * size_events_ + position) * columns_.size() + c];
}

void CountWindow::gather(std::uint32_t slot, std::size_t c) {
  gathered_.clear();
  for (std::uint32_t i = 0; i < rings_[slot].size; ++i) gathered_.push_back(input(slot, i, c));
}

void CountWindow::update(std::uint32_t slot, std::int64_t /*time_ms*/,
                         std::int64_t /*watermark_ms*/, std::span<const ColumnInput> inputs) {
  Ring& ring = rings_[slot];
  if (ring.size == size_events_) {
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (columns_[c]->revertible()) columns_[c]->revert(slot, input(slot, 0, c));
    ring.oldest = (ring.oldest + 1) % size_events_;
    --ring.size;
  }
  const std::size_t position = (ring.oldest + ring.size) % size_events_;
  ColumnInput* row = &inputs_[(std::size_t{slot} * size_events_ + position) * columns_.size()];
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    row[c] = inputs[c];
    if (columns_[c]->revertible()) columns_[c]->update(slot, inputs[c]);
  }
  ++ring.size;
}

void CountWindow::read(std::uint32_t slot, std::int64_t /*time_ms*/, std::span<double> values) {
  const std::uint32_t cell[1] = {slot};
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c]->revertible()) {
      values[c] = columns_[c]->value(cell);
      continue;
    }
    gather(slot, c);
    values[c] = columns_[c]->value_of(gathered_);
  }
}

CountWindow::Format CountWindow::format() const {
  return {"CountWindow", kStateVersion, {static_cast<std::int64_t>(size_events_)}};
}

void CountWindow::save_slot(std::uint32_t slot, core::StateWriter& out) const {
  out.write(rings_[slot].size);
  for (std::uint32_t i = 0; i < rings_[slot].size; ++i) {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      // Only the part of the input its kind uses, so equal states save equal bytes.
      const ColumnInput& event = input(slot, i, c);
      out.write(event.kind);
      if (event.kind == ColumnInput::Kind::kNumber) out.write(event.number);
      if (event.kind == ColumnInput::Kind::kCategory) out.write(event.hash);
    }
  }
  for (std::size_t c = 0; c < columns_.size(); ++c)
    if (columns_[c]->revertible()) columns_[c]->save(slot, out);
}

core::Status CountWindow::load_slot(std::uint32_t slot, core::StateReader& in) {
  Ring& ring = rings_[slot];
  if (!in.read(ring.size)) return in.status("CountWindow");
  if (ring.size > size_events_) {
    in.fail();
    return in.status("CountWindow");
  }
  ring.oldest = 0;
  ColumnInput* row = &inputs_[std::size_t{slot} * size_events_ * columns_.size()];
  for (std::size_t i = 0; i < ring.size * columns_.size(); ++i) {
    ColumnInput& event = row[i];
    event = ColumnInput{};
    if (!in.read(event.kind)) return in.status("CountWindow");
    bool valid = event.kind == ColumnInput::Kind::kAbsent;
    if (event.kind == ColumnInput::Kind::kNumber)
      valid = in.read(event.number) && std::isfinite(event.number);
    if (event.kind == ColumnInput::Kind::kCategory) valid = in.read(event.hash);
    if (!valid) {
      in.fail();
      return in.status("CountWindow");
    }
  }
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (!columns_[c]->revertible()) continue;
    SL_RETURN_IF_ERROR(columns_[c]->load(slot, in));
    // revert() takes each input out again: the cell must hold exactly these.
    gather(slot, c);
    if (!columns_[c]->count_matches(slot, gathered_)) {
      in.fail();
      return in.status("CountWindow");
    }
  }
  return core::Status::ok();
}

std::size_t CountWindow::bytes_per_key() const {
  std::size_t bytes = sizeof(Ring) + size_events_ * columns_.size() * sizeof(ColumnInput);
  for (const auto& column : columns_)
    if (column->revertible()) bytes += column->cell_bytes();
  return bytes;
}

}  // namespace streamlearn::stream::features
