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
/// the test runs (the sample's pool, two sorts, an O(stat_size) exact p-value), so within
/// O(window_size log window_size). Memory O(window_size); no allocation per update in steady
/// state (except in SciPy's asymptotic p-value, taken only for stat_size > 10000 or when the
/// exact value rounds above 1). Not thread-safe.
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
};

}  // namespace streamlearn::monitors
