#pragma once

/// Count: how many values the window holds (River's stats.Count). Exact; update, revert and merge
/// are integer additions. The count of nothing is 0. See aggregate.h for the interface every
/// aggregate shares.
///
/// Cost: O(1) per update, revert and merge, 8 bytes, nothing allocated. Not thread-safe.
///
///     Count count;
///     count.update(12.5);
///     count.update(3.0);
///     count.revert(12.5);
///     count.value();  // 1.0

#include <cstdint>

#include "core/check.h"
#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::stream::aggregates {

class Count {
 public:
  static constexpr bool kRevertible = true;

  void update(double /*x*/) { ++count_; }
  /// Removes one value; the count must be positive.
  void revert(double /*x*/) {
    SL_DCHECK(count_ > 0);
    --count_;
  }
  void merge(const Count& later) { count_ += later.count_; }

  double value() const { return static_cast<double>(count_); }
  std::uint64_t count() const { return count_; }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  std::uint64_t count_ = 0;
};

}  // namespace streamlearn::stream::aggregates
