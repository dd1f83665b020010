#pragma once

/// RollingWindow<T>: a ring buffer of the last `capacity` observations, the storage half of River's
/// utils.Rolling. An aggregate keeps its metrics in sync with it: when the window is full it
/// reverts the oldest observation, updates with the new one, then push()es it (River's order:
/// revert first).
///
/// Memory grows with the observations pushed, up to `capacity` elements, and never after: once
/// full, push() overwrites in place, so steady state allocates nothing. Cost O(1) per push. Not
/// thread-safe.

#include <cstddef>
#include <vector>

#include "core/check.h"

namespace streamlearn::monitors {

template <typename T>
class RollingWindow {
 public:
  /// `capacity` must be positive.
  explicit RollingWindow(std::size_t capacity) : capacity_(capacity) { SL_CHECK(capacity > 0); }

  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  bool full() const { return items_.size() == capacity_; }

  /// The observation that the next push() will evict when the window is full.
  const T& oldest() const {
    SL_DCHECK(!empty());
    return items_[next_];
  }

  /// Appends `item`, overwriting the oldest one when the window is full.
  void push(const T& item) {
    if (!full()) {
      items_.push_back(item);
      return;
    }
    items_[next_] = item;
    next_ = next_ + 1 == capacity_ ? 0 : next_ + 1;
  }

  void clear() {
    items_.clear();
    next_ = 0;
  }

  /// Calls `visit(item)` from the oldest observation to the newest.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t i = next_; i < items_.size(); ++i) visit(items_[i]);
    for (std::size_t i = 0; i < next_; ++i) visit(items_[i]);
  }

 private:
  std::size_t capacity_;
  std::vector<T> items_;
  std::size_t next_ = 0;  // index of the oldest item; stays 0 until the window is full
};

}  // namespace streamlearn::monitors
