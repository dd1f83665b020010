#pragma once

/// Adwin: ADaptive WINdowing (Bifet and Gavalda, "Learning from time-changing data with adaptive
/// windowing", SIAM SDM 2007), a port of River 0.21.1's drift.ADWIN and its Cython helper
/// (drift/adwin_c.pyx), operation for operation so that flags and window statistics match River
/// bit for bit. The window since the last reset is summarized by an exponential histogram: rows of
/// buckets holding 1, 2, 4, ... values, at most `max_buckets` per row before the two oldest merge
/// into the next row. Every `clock` updates, once the window is longer than `grace_period`, each
/// split of the window into an older part W0 and a newer part W1 (both at least
/// `min_window_length` long) is tested with the Hoeffding-style bound
/// eps = sqrt(2 m sigma^2 ln(2 ln(W) / delta)) + 2/3 m ln(2 ln(W) / delta),
/// m = 1 / (|W0| - min_window_length + 1) + 1 / (|W1| - min_window_length + 1). While a split
/// has |mean(W0) - mean(W1)| > eps, the oldest bucket is dropped; drift is flagged if one was, and
/// the next update() starts a new, empty window (River's `_reset`).
///
/// Kept as in River, because parity is the point: the split scan skips the newest bucket of every
/// row (River iterates `range(current_idx - 1)`), so those buckets stay on the W1 side of every
/// tested split.
///
/// Cost: O(max_buckets * log(W / max_buckets)) memory for a window of W values; amortized O(1)
/// per update to insert and merge, plus O(max_buckets * log W) every `clock` updates for the scan
/// (once more per dropped bucket), i.e. amortized O(log W) per update. Nothing is allocated per
/// update except when the histogram gains a row it never had (log W times in all). Not
/// thread-safe.
///
///     Adwin adwin(Adwin::Params{});  // or DriftDetectorRegistry::builtin().build("adwin")
///     for (double error : errors) {
///       adwin.update(error);
///       if (adwin.drift_detected()) retrain();
///     }
///     adwin.estimation();  // mean of the values in the current window

#include <cstdint>
#include <vector>

#include "core/param_reader.h"
#include "monitors/drift/adwin_bucket_row.h"
#include "monitors/drift/drift_detector.h"

namespace streamlearn::monitors {

class Adwin final : public DriftDetector {
 public:
  /// River's names and defaults.
  struct Params {
    /// Confidence of the cut test, in (0, 1): smaller means fewer false alarms, later detection.
    double delta = 0.002;
    /// Test for a cut every `clock` updates (1 = every update), >= 1.
    std::int64_t clock = 32;
    /// Buckets of one size kept before the two oldest merge, >= 1.
    std::int64_t max_buckets = 5;
    /// Smallest length of either side of a tested split, >= 1.
    std::int64_t min_window_length = 5;
    /// No cut is tested until the window holds more than this many values, >= 0.
    std::int64_t grace_period = 10;
  };

  explicit Adwin(Params params);
  /// Registry factory: reads delta, clock, max_buckets, min_window_length and grace_period and
  /// rejects values outside the ranges documented in Params.
  static std::unique_ptr<DriftDetector> create(core::ParamReader& reader);

  const Params& params() const { return params_; }

  std::string describe() const override;
  std::unique_ptr<DriftDetector> clone() const override;

  void update(double x) override;
  bool drift_detected() const override { return drift_detected_; }

  /// Number of values in the current window.
  std::uint64_t width() const { return static_cast<std::uint64_t>(width_); }
  /// Sum of the values in the current window.
  double total() const { return total_; }
  /// Sum of squared deviations from the window's mean (River's `variance`: not divided by the
  /// width).
  double variance() const { return variance_; }
  /// Mean of the values in the current window, 0 when it is empty.
  double estimation() const { return width_ == 0.0 ? 0.0 : total_ / width_; }

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  void reset();
  void insert(double x);
  void merge_full_rows();
  /// Removes the oldest bucket and returns how many values it held.
  double drop_oldest_bucket();
  /// The parts of the cut test's bound that depend on the window only, not on the split.
  struct CutBound {
    double delta_prime;         // ln(2 ln(width) / delta)
    double variance_in_window;  // variance_ / width_
  };

  bool detect_change();
  CutBound cut_bound() const;
  bool cut_is_significant(const CutBound& bound, double n0, double n1, double delta_mean) const;
  AdwinBucketRow& add_row();

  Params params_;
  /// rows_[i] holds buckets of 2^i values; only the first num_rows_ are in use, the others are
  /// kept allocated for the next window after a reset.
  std::vector<AdwinBucketRow> rows_;
  std::size_t num_rows_ = 0;
  // River keeps the width as a double and so does every formula using it.
  double width_ = 0.0;
  double total_ = 0.0;
  double variance_ = 0.0;
  std::int64_t tick_ = 0;
  bool drift_detected_ = false;
};

}  // namespace streamlearn::monitors
