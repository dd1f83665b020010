#pragma once

/// Quantile: the q-quantile of the window's values (`quantile`; River's stats.Quantile(q), which
/// estimates it with P^2 instead) from a DDSketch (C. Masson, J. E. Rim, H. K. Lee, "DDSketch: a
/// fast and fully-mergeable quantile sketch with relative-error guarantees", VLDB 2019).
///
/// Rank convention: of n values sorted ascending, indexed from 0, the q-quantile is the one at
/// rank ceil(q * (n - 1)) (q * (n - 1) computed in double), NumPy's quantile(method="higher"):
/// q = 0 is the minimum, q = 1 the maximum, q = 0.5 of four values the third. Empty: NaN.
///
/// Error bound: value() is within relative error alpha of the value at that rank,
/// |value() - v| <= alpha * |v| (so 0 exactly when v is 0, and the sign is always right), for
/// every stream, unless v lies below a collapsed floor (below). How: with gamma = (1 + alpha) /
/// (1 - alpha), a nonzero x goes to bucket ceil(log_gamma |x|) of its sign, and a bucket reports
/// 2 gamma^i / (gamma + 1), within alpha of everything in (gamma^(i-1), gamma^i]. Buckets are
/// laid out for alpha * (1 - 1e-6), a margin far wider than the rounding of the logarithm, so the
/// bound holds exactly, not up to rounding. Values of magnitude below kMinMagnitude = 1e-300 count
/// as 0; magnitudes above 1e300 are out of contract.
///
/// Bounded memory: each sign keeps at most max_num_buckets contiguous buckets (default 2048, which
/// at alpha = 0.01 spans magnitudes over a factor 6e17, e.g. 1e-9 to 1e9). When a sign's values
/// need more, the buckets of its smallest magnitudes are collapsed into the lowest kept one, the
/// floor, which from then on also takes every smaller magnitude of that sign. What that does to
/// the guarantee: a quantile whose true value has a magnitude below the floor bucket's range is
/// reported as the floor bucket's value, of the right sign but too large in magnitude (error
/// unbounded); every other quantile keeps the alpha bound. So collapsing spares the large
/// magnitudes of either sign present when it happens. It lasts while any collapsed value is
/// held: if the larger values then leave a sliding window, the collapsed ones stay in the floor
/// bucket until that sign's values have all been reverted. Empty buckets are dropped before
/// anything is collapsed; collapsed() tells whether the bound is currently partial.
///
/// Revertible, because bucket counts are exact: revert(x) removes x from its bucket (or from the
/// floor that absorbed it). Mergeable: counts add, so merging the sketches of two parts gives the
/// bucket counts, hence the very quantiles, of the sketch of the whole (unless a collapse
/// happened). q only chooses what value() reports; quantile(q) answers any other q from the same
/// sketch.
///
/// Cost: update and revert O(1) amortized (a logarithm and an array increment; growing the array
/// to a new extreme moves it, O(max_num_buckets) at worst); merge O(buckets of both); value()
/// O(buckets in use). Memory: 8 bytes per bucket between the smallest and largest magnitude of
/// each sign, at most 2 * 8 * max_num_buckets (32 KiB by default). No allocation once the range
/// of the values has been seen. Not thread-safe.
///
///     Quantile latency_p99(Quantile::Params{.q = 0.99});
///     for (double ms : latencies) latency_p99.update(ms);
///     latency_p99.value();  // within 1% of the exact 99th percentile

#include <cstdint>
#include <limits>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::stream::aggregates {

class Quantile {
 public:
  struct Params {
    /// The quantile value() reports, in [0, 1] (River's name; its default, the median).
    double q = 0.5;
    /// Relative accuracy, in [kMinAlpha, kMaxAlpha].
    double alpha = 0.01;
    /// Buckets kept per sign, in [kMinBuckets, kMaxBuckets].
    std::uint32_t max_num_buckets = 2048;

    bool operator==(const Params&) const = default;
  };
  static constexpr double kMinAlpha = 1e-4;
  static constexpr double kMaxAlpha = 0.5;
  static constexpr std::uint32_t kMinBuckets = 16;
  static constexpr std::uint32_t kMaxBuckets = 1 << 16;
  static constexpr double kMinMagnitude = 1e-300;
  static constexpr bool kRevertible = true;

  Quantile();
  explicit Quantile(const Params& params);

  void update(double x);
  /// Removes a value previously added (checked: its bucket must be non-empty).
  void revert(double x);
  /// Adds the values of `other`, built with the same alpha and max_num_buckets.
  void merge(const Quantile& other);

  /// The params().q quantile; NaN when empty.
  double value() const { return quantile(params_.q); }
  /// The q-quantile for any q in [0, 1]; NaN when empty.
  double quantile(double q) const;
  std::uint64_t count() const { return negative_.total + zero_count_ + positive_.total; }
  /// Whether some bucket was collapsed, so that the smallest magnitudes lost the alpha bound.
  bool collapsed() const { return negative_.floor != kNoFloor || positive_.floor != kNoFloor; }
  const Params& params() const { return params_; }

  void save(core::StateWriter& out) const;
  /// Fails, leaving this unchanged, on corrupt state or state saved with another alpha or
  /// max_num_buckets (q may differ: it is not part of the state).
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  static constexpr std::int32_t kNoFloor = std::numeric_limits<std::int32_t>::min();

  // The buckets of one sign, by bucket index of the magnitude: counts[k] counts the values of
  // index offset + k. Once values were collapsed, floor is the index that absorbed every smaller
  // one, and offset == floor.
  struct Store {
    std::vector<std::uint64_t> counts;
    std::int32_t offset = 0;
    std::int32_t floor = kNoFloor;
    std::uint64_t total = 0;

    void add(std::int32_t index, std::uint64_t count, std::uint32_t max_num_buckets);
    void remove(std::int32_t index);
    void merge(const Store& other, std::uint32_t max_num_buckets);
    // Folds every bucket below `index` into it; offset <= index < offset + counts.size().
    void fold_below(std::int32_t index);
    void clear();
    void save(core::StateWriter& out) const;
    bool load(core::StateReader& in, std::uint32_t max_num_buckets);
  };

  std::int32_t index_of(double magnitude) const;
  double value_of(std::int32_t index) const;

  Params params_;
  double log_gamma_;
  double inverse_log_gamma_;
  double log_representative_factor_;  // log(2 / (gamma + 1))
  Store negative_;
  Store positive_;
  std::uint64_t zero_count_ = 0;
};

}  // namespace streamlearn::stream::aggregates
