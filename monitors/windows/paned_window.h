#pragma once

/// PanedWindow<Summary>: the current window of a monitor, sliding or tumbling, by event count or
/// by event time, in memory bounded by size / step summaries whatever the stream's rate or length.
///
/// The window of `size` advances by `step` (tumbling when step == size); step must divide size.
/// It is kept as k = size / step panes, each the Summary of one step, in a ring; when a pane
/// closes and k panes have elapsed, the window (the k panes merged) is handed to the caller,
/// which computes its statistics. So a sliding window is evaluated every step, not every event:
/// the slicing of Flink's sliding windows, which lets any mergeable summary (a histogram, a mean)
/// slide without storing the events.
///
/// By count, pane j holds events j*step .. (j+1)*step - 1 of those observed, and the window is
/// handed over right after the event that completes a pane. By event time, pane j covers
/// [j*step, (j+1)*step) ms since the epoch (aligned as Flink's, so windows do not depend on when
/// the stream started); a pane closes when the first event of a later pane arrives (the watermark
/// is the largest event time seen, no out-of-orderness allowance), and the window is handed over
/// before that event is placed. An event older than the oldest pane still kept is late: counted,
/// not placed. An event without a time in a time window is counted as untimed, not placed. Panes
/// skipped by a gap in event time are empty; only the window ending at the last closed pane is
/// handed over.
///
/// Summary needs clear() and merge(const Summary&) (returning void or core::Status, which must be
/// ok: the summaries of a window are built aligned). Cost per observation O(1) plus the summary's
/// add; per closed window O(k) merges. save()/load() (with Summary's save and load) restore the
/// window exactly; the owner checks that the loaded summaries fit its reference. Not thread-safe.
///
/// Example:
///   PanedWindow<NumericHistogram> window(WindowLength::events(5000), WindowLength::events(1000),
///                                       reference.empty_copy());
///   window.observe(position, time_ms, [&](NumericHistogram& pane) { pane.add(x); },
///                  [&](const NumericHistogram& current, const WindowBounds& bounds) { ... });

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/check.h"
#include "core/state_io.h"
#include "core/status.h"
#include "monitors/windows/window_bounds.h"
#include "monitors/windows/window_length.h"

namespace streamlearn::monitors {

template <typename Summary>
class PanedWindow {
 public:
  PanedWindow(WindowLength size, WindowLength step, const Summary& empty)
      : size_(size),
        step_(step),
        num_panes_(static_cast<std::size_t>(size.amount / step.amount)),
        panes_(num_panes_, empty),
        bounds_(num_panes_),
        merged_(empty) {
    SL_CHECK(size.unit == step.unit);
    SL_CHECK_LT(0, step.amount);
    SL_CHECK_EQ(size.amount % step.amount, 0);
  }

  /// Places one observation: closes the panes it ends (calling on_window(summary, bounds) when a
  /// whole window closed), then calls add(pane) with the pane it belongs to, unless it is late or
  /// untimed.
  template <typename Add, typename OnWindow>
  void observe(std::uint64_t position, std::int64_t time_ms, Add&& add, OnWindow&& on_window) {
    if (!step_.by_time()) {
      add(panes_[current_slot_]);
      bounds_[current_slot_].include(position, time_ms);
      if (++events_in_pane_ == step_.amount) {
        events_in_pane_ = 0;
        close_pane(on_window);
      }
      return;
    }
    if (time_ms == WindowBounds::kNoTime) {
      ++untimed_;
      return;
    }
    const std::int64_t pane = floor_divide(time_ms, step_.amount);
    if (!started_) {
      started_ = true;
      pane_ = pane;
      first_pane_ = pane;
      current_slot_ = slot_of(pane_);
    }
    if (pane > pane_) {
      close_pane(on_window);
      // The panes between the one closed and the event's start empty; the ring holds k of them.
      const std::int64_t to_clear = std::min<std::int64_t>(pane - pane_, num_panes_);
      for (std::int64_t j = pane - to_clear + 1; j <= pane; ++j) clear_slot(slot_of(j));
      pane_ = pane;
      current_slot_ = slot_of(pane_);
    } else if (pane <= pane_ - static_cast<std::int64_t>(num_panes_)) {
      ++late_;
      return;
    }
    const std::size_t slot = pane == pane_ ? current_slot_ : slot_of(pane);
    add(panes_[slot]);
    bounds_[slot].include(position, time_ms);
  }

  /// Drops every pane, e.g. after the reference was renewed.
  void reset() {
    for (std::size_t slot = 0; slot < num_panes_; ++slot) clear_slot(slot);
    started_ = false;
    pane_ = 0;
    first_pane_ = 0;
    current_slot_ = 0;
    events_in_pane_ = 0;
  }

  /// One of the summaries; a caller that keeps them aligned (the same categories tracked) asks it
  /// what all of them hold.
  const Summary& any_summary() const { return merged_; }

  /// Applies f to every summary the window keeps (e.g. to track a new category in all of them).
  template <typename F>
  void for_each_summary(F&& f) {
    for (Summary& pane : panes_) f(pane);
    f(merged_);
  }
  template <typename F>
  void for_each_summary(F&& f) const {
    for (const Summary& pane : panes_) f(pane);
    f(merged_);
  }

  /// Saves the panes (summaries and bounds), the position in the ring and the counters; the
  /// size and step are configuration.
  void save(core::StateWriter& out) const {
    out.write(kStateVersion);
    out.write<std::uint64_t>(num_panes_);
    for (std::size_t slot = 0; slot < num_panes_; ++slot) {
      out.write(bounds_[slot]);
      panes_[slot].save(out);
    }
    merged_.save(out);
    out.write_bool(started_);
    out.write(pane_);
    out.write(first_pane_);
    out.write<std::uint64_t>(current_slot_);
    out.write(events_in_pane_);
    out.write(late_);
    out.write(untimed_);
  }

  /// Restores what save() wrote into a window of the same size and step; on failure (another
  /// shape, a truncated or corrupt state) the window is unchanged.
  [[nodiscard]] core::Status load(core::StateReader& in) {
    constexpr std::string_view kWhat = "monitoring window";
    PanedWindow loaded = *this;
    std::uint64_t num_panes = 0;
    if (!in.expect_version(kStateVersion) || !in.read(num_panes)) return in.status(kWhat);
    if (num_panes != num_panes_)
      return core::Status::error(
          "monitoring window: the checkpoint's window has " + std::to_string(num_panes) +
          " panes, this one " + std::to_string(num_panes_) +
          ": its window or step changed since the checkpoint was saved");
    for (std::size_t slot = 0; slot < num_panes_; ++slot) {
      if (!in.read(loaded.bounds_[slot])) return in.status(kWhat);
      SL_RETURN_IF_ERROR(loaded.panes_[slot].load(in));
    }
    SL_RETURN_IF_ERROR(loaded.merged_.load(in));
    std::uint64_t current_slot = 0;
    if (!in.read_bool(loaded.started_) || !in.read(loaded.pane_) || !in.read(loaded.first_pane_) ||
        !in.read(current_slot) || !in.read(loaded.events_in_pane_) || !in.read(loaded.late_) ||
        !in.read(loaded.untimed_))
      return in.status(kWhat);
    // Pane numbers stay far from the int64 limits (event times are milliseconds since the epoch),
    // so the arithmetic on them cannot overflow; the slot must be the current pane's.
    const bool valid =
        current_slot < num_panes_ && loaded.pane_ >= -kMaxPane && loaded.pane_ <= kMaxPane &&
        loaded.first_pane_ >= -kMaxPane && loaded.first_pane_ <= loaded.pane_ &&
        loaded.events_in_pane_ >= 0 && loaded.events_in_pane_ < step_.amount &&
        (!step_.by_time() || !loaded.started_ ||
         slot_of(loaded.pane_) == static_cast<std::size_t>(current_slot));
    if (!valid) {
      in.fail();
      return in.status(kWhat);
    }
    loaded.current_slot_ = static_cast<std::size_t>(current_slot);
    *this = std::move(loaded);
    return core::Status::ok();
  }

  WindowLength size() const { return size_; }
  WindowLength step() const { return step_; }
  std::size_t num_panes() const { return num_panes_; }
  std::uint64_t late() const { return late_; }
  std::uint64_t untimed() const { return untimed_; }

 private:
  static constexpr std::uint32_t kStateVersion = 1;
  static constexpr std::int64_t kMaxPane = std::int64_t{1} << 61;

  static std::int64_t floor_divide(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
  }
  std::size_t slot_of(std::int64_t pane) const {
    const std::int64_t k = static_cast<std::int64_t>(num_panes_);
    return static_cast<std::size_t>(((pane % k) + k) % k);
  }
  void clear_slot(std::size_t slot) {
    panes_[slot].clear();
    bounds_[slot] = WindowBounds{};
  }

  template <typename OnWindow>
  void close_pane(OnWindow& on_window) {
    const bool whole_window =
        pane_ - first_pane_ + 1 >= static_cast<std::int64_t>(num_panes_);
    if (whole_window) {
      const Summary* window = &panes_[0];
      WindowBounds bounds = bounds_[0];
      if (num_panes_ > 1) {
        merged_.clear();
        bounds = WindowBounds{};
        for (std::size_t slot = 0; slot < num_panes_; ++slot) {
          merge(merged_, panes_[slot]);
          bounds.merge(bounds_[slot]);
        }
        window = &merged_;
      }
      if (bounds.count > 0) on_window(*window, bounds);
    }
    if (!step_.by_time()) {
      ++pane_;
      current_slot_ = current_slot_ + 1 == num_panes_ ? 0 : current_slot_ + 1;
      clear_slot(current_slot_);
    }
  }

  static void merge(Summary& into, const Summary& from) {
    if constexpr (std::is_same_v<decltype(into.merge(from)), core::Status>) {
      const core::Status status = into.merge(from);
      SL_CHECK(status.is_ok());
    } else {
      into.merge(from);
    }
  }

  WindowLength size_;
  WindowLength step_;
  std::size_t num_panes_;
  std::vector<Summary> panes_;
  std::vector<WindowBounds> bounds_;
  Summary merged_;
  bool started_ = false;
  std::int64_t pane_ = 0;        // the current (newest) pane's number
  std::int64_t first_pane_ = 0;  // the first pane's number since the last reset
  std::size_t current_slot_ = 0;  // slot_of(pane_), kept to spare a division per event
  std::int64_t events_in_pane_ = 0;
  std::uint64_t late_ = 0;
  std::uint64_t untimed_ = 0;
};

}  // namespace streamlearn::monitors
