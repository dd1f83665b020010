#pragma once

/// PageHinkley: the Page-Hinkley test (E. S. Page, "Continuous inspection schemes", Biometrika
/// 1954; D. V. Hinkley, "Inference about the change-point from cumulative sum tests", Biometrika
/// 1971), a port of River 0.21.1's drift.PageHinkley with the same order of floating-point
/// operations, so flags match River's exactly. It keeps the running mean of the values since the
/// last reset and two faded cumulative sums of the deviations from it,
///     up:   s+ = alpha * s+ + (x - mean) - delta,   flag when s+ - min(s+) > threshold
///     down: s- = alpha * s- + (x - mean) + delta,   flag when max(s-) - s- > threshold
/// tested once `min_instances` values have been seen; `mode` picks which side(s) can flag. The
/// update() after a detection starts afresh (River's `_reset`).
///
/// Cost: O(1) time and memory per update, nothing allocated. Not thread-safe.
///
///     PageHinkley detector(PageHinkley::Params{.mode = PageHinkley::Mode::kUp});
///     // or DriftDetectorRegistry::builtin().build("page_hinkley(mode=up)")
///     for (double loss : losses) {
///       detector.update(loss);
///       if (detector.drift_detected()) retrain();
///     }

#include <cstdint>
#include <limits>
#include <string_view>

#include "core/param_reader.h"
#include "monitors/drift/drift_detector.h"

namespace streamlearn::monitors {

class PageHinkley final : public DriftDetector {
 public:
  /// Which changes of the mean can flag drift (River's "up", "down", "both").
  enum class Mode : std::uint8_t { kUp, kDown, kBoth };

  /// River's names and defaults.
  struct Params {
    /// Values seen before a drift can be flagged, >= 1.
    std::int64_t min_instances = 30;
    /// Tolerated deviation from the mean (the test's magnitude), >= 0.
    double delta = 0.005;
    /// The detection threshold (lambda), > 0.
    double threshold = 50.0;
    /// Forgetting factor of the cumulative sums, in (0, 1].
    double alpha = 1.0 - 0.0001;
    Mode mode = Mode::kBoth;
  };

  explicit PageHinkley(Params params) : params_(params) {}
  /// Registry factory: reads min_instances, delta, threshold, alpha and mode (up, down or both)
  /// and rejects values outside the ranges documented in Params.
  static std::unique_ptr<DriftDetector> create(core::ParamReader& reader);

  static std::string_view mode_name(Mode mode);

  const Params& params() const { return params_; }

  std::string describe() const override;
  std::unique_ptr<DriftDetector> clone() const override;

  void update(double x) override;
  bool drift_detected() const override { return drift_detected_; }

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  void reset();

  Params params_;
  // River's stats.Mean counts in a float; so does this, to compare against min_instances alike.
  double num_samples_ = 0.0;
  double mean_ = 0.0;
  double sum_increase_ = 0.0;
  double sum_decrease_ = 0.0;
  double min_increase_ = std::numeric_limits<double>::infinity();
  // River starts the maximum at -1, not -inf. The first update always lifts it to delta >= 0, so
  // the two only differ for a negative delta, which create() rejects; kept as River has it.
  double max_decrease_ = -1.0;
  bool drift_detected_ = false;
};

}  // namespace streamlearn::monitors
