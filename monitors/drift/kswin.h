#pragma once

/// Kswin: Kolmogorov-Smirnov WINdowing (Raab, Heusinger & Schleif, "Reactive Soft Prototype
/// Computing for Concept Drift Streams", Neurocomputing 2020), with exact parity with River
/// 0.21.1's `drift.KSWIN`. It keeps the last `window_size` values; once the window is full, every
/// update draws `stat_size` positions among the older `window_size - stat_size` ones with Python's
/// `random.Random(seed).sample` (PythonRandom) and compares those values with the `stat_size`
/// most recent ones by SciPy's two-sample Kolmogorov-Smirnov test with method='auto'
/// (KolmogorovSmirnov: exact p-value up to 10000 values per sample). Drift is flagged when
/// p <= alpha and the statistic is > 0.1; as in River, the next update then resets the detector:
/// the window restarts empty and the generator is re-seeded with the same seed.
///
/// River's seed defaults to None (fresh entropy); here it defaults to 42 so that every run, and
/// every replay, draws the same positions. Given the same seed, the flags are River's. River's
/// `window` parameter (values to start from) is not offered: the window starts empty.
///
/// Cost per update: O(1) while the window fills; O(window_size + stat_size log stat_size) once
/// the test runs (the sample's pool, the two sorted samples, an O(stat_size) exact p-value), so
/// within O(window_size log window_size). The samples are not sorted afresh for every test: the
/// window is also kept in value order as it slides (its recent part, and, unless the older part
/// is much longer than stat_size, its older part with each value's position), so that an update
/// moves a few values and the random sample comes out sorted by one pass over the older part.
/// While a NaN is in the window, the samples are copied and sorted as in SciPy instead. Memory
/// O(window_size) (about 3 window_size doubles); no allocation per update in steady state
/// (except in SciPy's asymptotic p-value, taken only for stat_size > 10000 or when the exact
/// value rounds above 1). Not thread-safe.
///
/// Example:
///   Kswin detector(Kswin::Params{.alpha = 0.005, .seed = 7});
///   for (double x : stream) {
///     detector.update(x);
///     if (detector.drift_detected()) ...;  // p_value() <= alpha and statistic() > 0.1
///   }

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/param_reader.h"
#include "monitors/drift/drift_detector.h"
#include "monitors/drift/python_random.h"

namespace streamlearn::monitors {

class Kswin final : public DriftDetector {
 public:
  struct Params {
    /// Significance level of the Kolmogorov-Smirnov test, in [0, 1].
    double alpha = 0.005;
    /// Size of the sliding window, >= 2 * stat_size.
    std::int64_t window_size = 100;
    /// Size of each of the two compared samples, >= 1.
    std::int64_t stat_size = 30;
    /// Seed of the Python-compatible generator (River's default None has no fixed value).
    std::int64_t seed = 42;
  };

  explicit Kswin(Params params);
  /// Reads alpha, window_size, stat_size and seed; rejects values River would fail on.
  static std::unique_ptr<DriftDetector> create(core::ParamReader& reader);

  const Params& params() const { return params_; }
  std::string describe() const override;
  std::unique_ptr<DriftDetector> clone() const override;

  void update(double x) override;
  bool drift_detected() const override { return drift_detected_; }

  /// The p-value of the last test (River's `p_value`; 0 before the first test after a reset).
  double p_value() const { return p_value_; }
  /// The Kolmogorov-Smirnov statistic of the last test (0 before the first test after a reset).
  double statistic() const { return statistic_; }
  /// Updates since construction or the last reset (River's `n`).
  std::int64_t num_samples() const { return num_samples_; }
  /// The window, oldest value first.
  std::vector<double> window() const;

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  void reset();
  double window_at(std::int64_t position) const;
  /// Puts the window's values in value order from scratch (after a fill, a load, or a NaN).
  void build_sorted_window();
  /// Keeps the value-ordered copies in step as `leaving` drops out of the full window, the
  /// value at the start of the recent part, `aging`, joins the older part, and `entering` arrives.
  void slide_sorted_window(double leaving, double aging, double entering);
  /// Fills random_sample_ with the values at sampled_positions_, in ascending order.
  void gather_random_sample();

  Params params_;
  // The window is a ring buffer: `window_size_` values from `window_head_` on, wrapping around.
  std::vector<double> window_values_;
  std::int64_t window_head_ = 0;
  std::int64_t window_size_ = 0;
  PythonRandom rng_;
  bool drift_detected_ = false;
  double p_value_ = 0.0;
  double statistic_ = 0.0;
  std::int64_t num_samples_ = 0;
  // Scratch reused by every test, never part of the state.
  std::vector<std::uint64_t> sampled_positions_;
  std::vector<double> random_sample_;
  std::vector<double> recent_sample_;

  // The full window in value order, derived from the window and never part of the state: valid
  // only while sorted_ready_. The recent part (the last stat_size values) as a sorted multiset;
  // the older part as (value, sequence number) pairs sorted by value, where a value's position
  // in the window is its sequence number minus oldest_sequence_. The older part is kept only
  // when keep_sorted_older_: a pass over it must be cheaper than sorting the random sample.
  struct SequencedValue {
    double value;
    std::int64_t sequence;
  };
  bool keep_sorted_older_ = false;
  bool sorted_ready_ = false;
  std::int64_t oldest_sequence_ = 0;
  std::int64_t nans_in_window_ = 0;
  std::vector<double> sorted_recent_;
  std::vector<SequencedValue> sorted_older_;
  /// 1 at the sampled positions of the older part during gather_random_sample(), else 0.
  std::vector<std::uint8_t> sampled_marks_;
};

}  // namespace streamlearn::monitors
