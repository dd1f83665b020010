#include "stream/features/session_window.h"

#include <algorithm>

namespace streamlearn::stream::features {

SessionWindow::SessionWindow(const WindowSpec& spec)
    : WindowState(spec), gap_ms_(spec.gap_ms), lateness_ms_(spec.lateness_ms) {}

void SessionWindow::reserve_slots(std::size_t slots) {
  if (slots > sessions_.size()) sessions_.resize(slots);
}

void SessionWindow::clear(std::uint32_t slot) {
  for (const Session& session : sessions_[slot]) free_cell(session.cell);
  sessions_[slot].clear();
}

std::uint32_t SessionWindow::new_cell() {
  if (!free_cells_.empty()) {
    const std::uint32_t cell = free_cells_.back();
    free_cells_.pop_back();
    return cell;
  }
  const auto cell = static_cast<std::uint32_t>(num_cells_);
  // Grow the columns geometrically, not by one cell at a time.
  if (num_cells_ == 0 || (num_cells_ & (num_cells_ - 1)) == 0)
    for (auto& column : columns_) column->resize(std::max<std::size_t>(2 * num_cells_, 16));
  ++num_cells_;
  return cell;
}

void SessionWindow::free_cell(std::uint32_t cell) {
  for (auto& column : columns_) column->reset(cell);
  free_cells_.push_back(cell);
}

void SessionWindow::update(std::uint32_t slot, std::int64_t time_ms, std::int64_t watermark_ms,
                           std::span<const ColumnInput> inputs) {
  std::vector<Session>& sessions = sessions_[slot];
  // Sessions no event can join any more go first.
  std::erase_if(sessions, [&](const Session& session) {
    if (session.last_ms + 2 * gap_ms_ + lateness_ms_ > watermark_ms) return false;
    free_cell(session.cell);
    return true;
  });
  auto first = std::find_if(sessions.begin(), sessions.end(),
                            [&](const Session& session) { return overlaps(session, time_ms); });
  if (first == sessions.end()) {
    const auto at = std::find_if(sessions.begin(), sessions.end(), [&](const Session& session) {
      return session.first_ms > time_ms;
    });
    first = sessions.insert(at, Session{time_ms, time_ms, new_cell()});
  } else {
    auto last = first + 1;
    for (; last != sessions.end() && overlaps(*last, time_ms); ++last) {
      for (auto& column : columns_) column->merge(first->cell, last->cell);
      first->last_ms = last->last_ms;
      free_cell(last->cell);
    }
    sessions.erase(first + 1, last);
    first->first_ms = std::min(first->first_ms, time_ms);
    first->last_ms = std::max(first->last_ms, time_ms);
  }
  for (std::size_t c = 0; c < columns_.size(); ++c) columns_[c]->update(first->cell, inputs[c]);
}

void SessionWindow::read(std::uint32_t slot, std::int64_t time_ms, std::span<double> values) {
  read_cells_.clear();
  for (const Session& session : sessions_[slot])
    if (overlaps(session, time_ms)) read_cells_.push_back(session.cell);
  for (std::size_t c = 0; c < columns_.size(); ++c) values[c] = columns_[c]->value(read_cells_);
}

bool SessionWindow::late(std::int64_t time_ms, std::int64_t watermark_ms) const {
  return time_ms + gap_ms_ + lateness_ms_ <= watermark_ms;
}

bool SessionWindow::closed(std::int64_t latest_ms, std::int64_t watermark_ms) const {
  return latest_ms + 2 * gap_ms_ + lateness_ms_ <= watermark_ms;
}

bool SessionWindow::time_in_range(std::int64_t time_ms) const {
  // closed() and update() compute t + 2 gap + lateness, overlaps() t + gap.
  std::int64_t end = 0;
  return !__builtin_add_overflow(time_ms, gap_ms_, &end) &&
         !__builtin_add_overflow(end, gap_ms_, &end) &&
         !__builtin_add_overflow(end, lateness_ms_, &end);
}

SessionWindow::Format SessionWindow::format() const {
  return {"SessionWindow", kStateVersion, {gap_ms_, lateness_ms_}};
}

void SessionWindow::save_slot(std::uint32_t slot, core::StateWriter& out) const {
  out.write<std::uint64_t>(sessions_[slot].size());
  for (const Session& session : sessions_[slot]) {
    out.write(session.first_ms);
    out.write(session.last_ms);
    save_cell(session.cell, out);
  }
}

core::Status SessionWindow::load_slot(std::uint32_t slot, core::StateReader& in) {
  std::uint64_t num_sessions = 0;
  if (!in.read(num_sessions)) return in.status("SessionWindow");
  std::vector<Session>& sessions = sessions_[slot];
  for (std::uint64_t i = 0; i < num_sessions; ++i) {
    Session session{0, 0, 0};
    if (!in.read(session.first_ms) || !in.read(session.last_ms)) return in.status("SessionWindow");
    // As update() keeps them: in time order, each span [first, last + gap) apart from the next.
    const bool valid = session.first_ms <= session.last_ms && time_in_range(session.last_ms) &&
                       (sessions.empty() || sessions.back().last_ms + gap_ms_ <= session.first_ms);
    if (!valid) {
      in.fail();
      return in.status("SessionWindow");
    }
    session.cell = new_cell();
    sessions.push_back(session);
    SL_RETURN_IF_ERROR(load_cell(session.cell, in));
  }
  return core::Status::ok();
}

std::size_t SessionWindow::bytes_per_key() const {
  std::size_t cell = 0;
  for (const auto& column : columns_) cell += column->cell_bytes();
  return sizeof(std::vector<Session>) + sizeof(Session) + cell;
}

}  // namespace streamlearn::stream::features
