#pragma once

/// CategoricalHistogram: counts of the values of one categorical feature (interned as
/// core::SymbolId) over a window, with memory bounded by `max_categories` whatever the length of
/// the stream. It is the summary that CategoricalDriftStatistics compares, reference window
/// against current window (chi-square, PSI, Jensen-Shannon as Evidently computes them).
///
/// Tracked categories and the overflow bucket. The first `max_categories` distinct values get a
/// count of their own ("tracked"); once that many are tracked the histogram is full, and every
/// further value is counted in one shared overflow bucket, `overflow_count()` (Evidently has no
/// cap; the drift statistics then see the overflow values pooled as one category, a coarser
/// partition with fewer degrees of freedom). A tracked category stays tracked when remove()
/// brings its count back to 0, so a sliding window never reassigns slots and the overflow bucket
/// always means "every value not tracked". Invariant: while the histogram is not full, a value it
/// does not track has count 0; once full, its count is in the overflow bucket.
///
/// Reference and current must agree on what they track. Build the current window's histogram
/// with `with_categories_of(reference)`: it tracks the reference's categories first, in the same
/// slots, with the same cap, and adds new ones only while there is room (if the reference is
/// full, so is the current one, and both overflow buckets hold exactly the untracked values).
/// `check_aligned()` states the general rule (a category tracked on one side only is fine when
/// the other side is not full, because its count there is then known to be 0) and
/// CategoricalDriftStatistics and merge() refuse histograms that break it.
///
/// Cost: add/remove O(1) expected (one hash look-up); memory O(max_categories). Nothing is
/// allocated per value except when a category starts being tracked (at most max_categories
/// times). Not thread-safe.
///
///     CategoricalHistogram reference(CategoricalHistogram::Params{.max_categories = 100});
///     for (core::SymbolId value : reference_values) reference.add(value);
///     CategoricalHistogram current = CategoricalHistogram::with_categories_of(reference);
///     current.add(value);     // a new value enters the current window
///     current.remove(old);    // and the oldest leaves it (sliding window)
///     auto statistics = CategoricalDriftStatistics::compare(reference, current);

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"
#include "core/symbol_table.h"

namespace streamlearn::monitors {

class CategoricalHistogram {
 public:
  struct Params {
    /// Distinct categories counted separately, >= 1; later ones share the overflow bucket.
    std::uint32_t max_categories = 100;
  };

  /// Default Params.
  CategoricalHistogram();
  explicit CategoricalHistogram(Params params);
  /// An empty histogram for the window to compare with `reference`: same Params, tracking the
  /// reference's categories in the same order (and full if the reference is), all counts 0.
  static CategoricalHistogram with_categories_of(const CategoricalHistogram& reference);

  const Params& params() const { return params_; }

  /// Starts tracking `value` with a count of 0 if it is not tracked and there is room (no-op
  /// otherwise): keeps several histograms of one window aligned slot for slot.
  void track(core::SymbolId value);
  /// Counts one occurrence of `value`.
  void add(core::SymbolId value);
  /// Counts `count` occurrences of `value` at once (restoring a saved profile).
  void add(core::SymbolId value, std::uint64_t count);
  /// Counts values known only as untracked (restoring a saved profile); makes the histogram full.
  void add_overflow(std::uint64_t count);
  /// Uncounts one occurrence of `value` that add() counted earlier (the value leaving a sliding
  /// window). Removing a value that is not in the window is a programmer error (SL_CHECK); an
  /// untracked value of a full histogram is taken from the overflow bucket.
  void remove(core::SymbolId value);
  /// Adds the counts of `other`. Fails, leaving this histogram unchanged, when the two are not
  /// aligned (check_aligned). Categories of `other` this one does not track are tracked while
  /// there is room, then go to the overflow bucket. A non-empty overflow bucket of `other` makes
  /// this histogram full: its values are unknown, so no new category may be tracked after it.
  core::Status merge(const CategoricalHistogram& other);
  /// Sets every count and the overflow bucket to 0; tracked categories stay tracked, so the
  /// histogram stays aligned with the one it was built from.
  void clear();

  /// OK when the counts of this histogram and `other` can be compared category by category: for
  /// every category tracked by one side only, the other side is not full, so its count there is
  /// known to be 0 rather than hidden in its overflow bucket. Two full histograms must therefore
  /// track the same categories. The error names the first offending category id.
  core::Status check_aligned(const CategoricalHistogram& other) const;

  /// Number of values counted (tracked categories plus the overflow bucket).
  std::uint64_t total() const { return total_; }
  /// Count of `value` if tracked, else 0 (for a full histogram its count is in the overflow).
  std::uint64_t count(core::SymbolId value) const;
  bool tracks(core::SymbolId value) const { return slot_of_.contains(value); }
  /// Values counted in the overflow bucket because the histogram was full.
  std::uint64_t overflow_count() const { return overflow_count_; }
  /// True once no new category can be tracked: max_categories are tracked, or a merge brought in
  /// an overflow bucket.
  bool full() const { return full_; }
  /// Tracked categories in slot order, and their counts (parallel vectors).
  const std::vector<core::SymbolId>& categories() const { return categories_; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }

  void save(core::StateWriter& out) const;
  /// Restores what save() wrote; fails (leaving this histogram unchanged) on a truncated or
  /// corrupt state or one saved with another max_categories.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  /// The slot of `value`, tracking it if there is room; -1 when full and untracked.
  std::int64_t slot_for_add(core::SymbolId value);

  Params params_;
  std::vector<core::SymbolId> categories_;
  std::vector<std::uint64_t> counts_;
  std::unordered_map<core::SymbolId, std::uint32_t> slot_of_;
  std::uint64_t overflow_count_ = 0;
  std::uint64_t total_ = 0;
  bool full_ = false;
};

}  // namespace streamlearn::monitors
