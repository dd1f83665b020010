#pragma once

/// SelectedValue: the aggregates that keep one of the window's values, chosen by a rule: Min and
/// Max (River's stats.Min / stats.Max), First and Last. Exact; of nothing, NaN. One class for the
/// four, so that they cannot drift apart; each is an alias with its rule:
///
///   Min    the smallest value; between equal values (0.0 and -0.0) the earliest is kept
///   Max    the largest value; between equal values the earliest is kept
///   First  the earliest value, in the order of update() calls and of merge(later) (the window
///          feeds values in arrival order, or in event-time order where it sorts them)
///   Last   the latest value, in that order
///
/// Not revertible: once the kept value leaves, the next one is unknown without the values (a
/// sliding window runs them on panes or two stacks and merges). merge(later) applies the same
/// rule to the later part's value, so merging the parts of a stream in order gives the value of
/// the whole. Cost: O(1) per update and merge, 16 bytes, nothing allocated. Not thread-safe.
///
///     Min min;
///     for (double x : {3.0, -1.0, 2.0}) min.update(x);
///     min.value();  // -1.0 (Max: 3.0, First: 3.0, Last: 2.0)

#include <cmath>
#include <cstdint>
#include <limits>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::stream::aggregates {

/// Rule: static bool replaces(double candidate, double kept) -- whether a later value takes the
/// place of the one kept; static constexpr const char* kName, for messages.
template <typename Rule>
class SelectedValue {
 public:
  static constexpr bool kRevertible = false;

  void update(double x) {
    if (count_ == 0 || Rule::replaces(x, value_)) value_ = x;
    ++count_;
  }
  void merge(const SelectedValue& later) {
    if (later.count_ == 0) return;
    if (count_ == 0 || Rule::replaces(later.value_, value_)) value_ = later.value_;
    count_ += later.count_;
  }

  double value() const { return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : value_; }
  std::uint64_t count() const { return count_; }

  void save(core::StateWriter& out) const {
    out.write(kStateVersion);
    out.write(count_);
    out.write(value_);
  }
  [[nodiscard]] core::Status load(core::StateReader& in) {
    SelectedValue loaded;
    if (in.expect_version(kStateVersion) && in.read(loaded.count_) && in.read(loaded.value_)) {
      if (std::isfinite(loaded.value_)) {
        *this = loaded;
      } else {
        in.fail();
      }
    }
    return in.status(Rule::kName);
  }

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  std::uint64_t count_ = 0;
  double value_ = 0.0;
};

struct Smaller {
  static constexpr const char* kName = "Min";
  static bool replaces(double candidate, double kept) { return candidate < kept; }
};
struct Larger {
  static constexpr const char* kName = "Max";
  static bool replaces(double candidate, double kept) { return candidate > kept; }
};
struct Earlier {
  static constexpr const char* kName = "First";
  static bool replaces(double, double) { return false; }
};
struct Later {
  static constexpr const char* kName = "Last";
  static bool replaces(double, double) { return true; }
};

using Min = SelectedValue<Smaller>;
using Max = SelectedValue<Larger>;
using First = SelectedValue<Earlier>;
using Last = SelectedValue<Later>;

}  // namespace streamlearn::stream::aggregates
