#pragma once

/// SessionWindow: per key, sessions of events less than `gap` apart in event time: an event at t
/// spans [t, t + gap), and a session is the union of overlapping spans, [first, last + gap). An
/// arriving event joins the sessions its span overlaps, merging them when it bridges two (in time
/// order, so first and last keep their meaning), or starts one. A feature at time t reads the
/// session(s) the span of t overlaps: after its update, an event's own session.
///
/// An event is late when its own span has closed (t + gap + lateness <= watermark), Flink's rule.
/// A session is kept while an event that is not late can still join it (last + 2 gap + lateness
/// > watermark), so a feature always sums every accepted event of its session.
///
/// Cost per event: a scan of the key's open sessions (usually one), one update per aggregate, and
/// a merge per aggregate when sessions join. Memory: 24 bytes per open session plus its cells,
/// and a vector (24 bytes) per key.
///
/// Saved per key: its sessions in time order, each as first and last event time and cells; load()
/// gives them new cells and checks they are ordered and apart by at least `gap`.

#include "stream/features/window_state.h"

namespace streamlearn::stream::features {

class SessionWindow final : public WindowState {
 public:
  explicit SessionWindow(const WindowSpec& spec);

  void reserve_slots(std::size_t slots) override;
  void clear(std::uint32_t slot) override;
  void update(std::uint32_t slot, std::int64_t time_ms, std::int64_t watermark_ms,
              std::span<const ColumnInput> inputs) override;
  void read(std::uint32_t slot, std::int64_t time_ms, std::span<double> values) override;
  bool late(std::int64_t time_ms, std::int64_t watermark_ms) const override;
  bool closed(std::int64_t latest_ms, std::int64_t watermark_ms) const override;
  bool time_in_range(std::int64_t time_ms) const override;
  std::size_t bytes_per_key() const override;

 protected:
  Format format() const override;
  void save_slot(std::uint32_t slot, core::StateWriter& out) const override;
  [[nodiscard]] core::Status load_slot(std::uint32_t slot, core::StateReader& in) override;

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  struct Session {
    std::int64_t first_ms;
    std::int64_t last_ms;
    std::uint32_t cell;
  };

  std::uint32_t new_cell();
  void free_cell(std::uint32_t cell);
  bool overlaps(const Session& session, std::int64_t time_ms) const {
    return session.first_ms < time_ms + gap_ms_ && time_ms < session.last_ms + gap_ms_;
  }

  std::int64_t gap_ms_;
  std::int64_t lateness_ms_;
  std::vector<std::vector<Session>> sessions_;  // by slot, by first_ms
  std::vector<std::uint32_t> free_cells_;
  std::size_t num_cells_ = 0;
  std::vector<std::uint32_t> read_cells_;
};

}  // namespace streamlearn::stream::features
