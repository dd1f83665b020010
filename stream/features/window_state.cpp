#include "stream/features/window_state.h"

#include <string>

#include "stream/features/count_window.h"
#include "stream/features/pane_window.h"
#include "stream/features/session_window.h"
#include "stream/features/unbounded_window.h"

namespace streamlearn::stream::features {

WindowState::WindowState(const WindowSpec& spec) {
  for (const aggregates::AggregateSpec& aggregate : spec.aggregates)
    columns_.push_back(AggregateColumn::make(aggregate));
}

void WindowState::save(std::span<const std::uint32_t> slots, core::StateWriter& out) const {
  const Format kind = format();
  out.write(kind.version);
  out.write_vector(kind.shape);
  out.write<std::uint32_t>(static_cast<std::uint32_t>(columns_.size()));
  for (const std::uint32_t slot : slots) save_slot(slot, out);
}

core::Status WindowState::load(std::size_t num_slots, core::StateReader& in) {
  const Format kind = format();
  std::vector<std::int64_t> shape;
  std::uint32_t num_columns = 0;
  if (!in.expect_version(kind.version) || !in.read_vector(shape) || !in.read(num_columns))
    return in.status(kind.name);
  if (shape != kind.shape || num_columns != columns_.size()) {
    in.fail();
    return core::Status::error(std::string(kind.name) +
                               ": the saved state is of a window with other parameters or "
                               "aggregates than this one");
  }
  reserve_slots(num_slots);
  for (std::size_t slot = 0; slot < num_slots; ++slot)
    SL_RETURN_IF_ERROR(load_slot(static_cast<std::uint32_t>(slot), in));
  return core::Status::ok();
}

void WindowState::save_cell(std::size_t cell, core::StateWriter& out) const {
  for (const auto& column : columns_) column->save(cell, out);
}

core::Status WindowState::load_cell(std::size_t cell, core::StateReader& in) {
  for (auto& column : columns_) SL_RETURN_IF_ERROR(column->load(cell, in));
  return core::Status::ok();
}

std::unique_ptr<WindowState> WindowState::make(const WindowSpec& spec) {
  switch (spec.kind) {
    case WindowKind::kTumbling:
    case WindowKind::kHopping:
      return std::make_unique<PaneWindow>(spec);
    case WindowKind::kSession:
      return std::make_unique<SessionWindow>(spec);
    case WindowKind::kCount:
      return std::make_unique<CountWindow>(spec);
    case WindowKind::kUnbounded:
      return std::make_unique<UnboundedWindow>(spec);
  }
  return nullptr;
}

}  // namespace streamlearn::stream::features
