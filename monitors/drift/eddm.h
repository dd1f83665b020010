#pragma once

/// Eddm: the Early Drift Detection Method of Baena-Garcia, del Campo-Avila, Fidalgo, Bifet,
/// Gavalda and Morales-Bueno (Fourth International Workshop on Knowledge Discovery from Data
/// Streams, 2006), as River 0.21.1 implements it (drift.binary.EDDM). The input is an error
/// indicator (1 = error, 0 = correct). EDDM watches the distance, in updates, between consecutive
/// errors: its running mean p' and sample standard deviation s'. Once more than `warm_start`
/// values were seen it tracks the largest p' + 2s'; once more than `warm_start` errors were also
/// seen, each error whose p' + 2s' is not a new maximum compares level = (p' + 2s') / max:
/// level < beta flags drift, else level < alpha flags a warning, else the warning clears. As in
/// River, correct values leave the flags untouched and a drift does not clear a warning raised
/// earlier (both can be set). After a drift the detector resets at the next update().
///
/// River's defaults (alpha 0.95, beta 0.9) are sensitive: on a stationary stream of rare errors
/// the gaps between errors vary enough for repeated false alarms. Lower thresholds and a longer
/// warm start (as in the usage below) trade some delay for far fewer of them.
///
/// Input: as in River, only x == 1 counts as an error; every other value counts as correct.
///
/// Usage, one update per prediction:
///   Eddm eddm(Eddm::Params{.warm_start = 100, .alpha = 0.8, .beta = 0.7});
///   eddm.update(prediction == label ? 0 : 1);
///   if (eddm.drift_detected()) retrain();
///
/// O(1) time per update, 96 bytes, no allocation. Not thread-safe.

#include <cstdint>

#include "core/param_reader.h"
#include "monitors/drift/drift_detector.h"
#include "monitors/metrics/running_variance.h"

namespace streamlearn::monitors {

class Eddm final : public DriftDetector {
 public:
  struct Params {
    /// Values, and also errors, needed after a reset before anything can be flagged.
    std::int64_t warm_start = 30;
    /// Warning when (p' + 2s') / max falls below alpha.
    double alpha = 0.95;
    /// Drift when (p' + 2s') / max falls below beta (beta <= alpha).
    double beta = 0.9;
  };

  explicit Eddm(Params params) : params_(params) {}
  /// Reads warm_start (>= 0), alpha and beta (0 < beta <= alpha <= 1).
  static std::unique_ptr<DriftDetector> create(core::ParamReader& reader);

  std::string describe() const override;
  std::unique_ptr<DriftDetector> clone() const override { return std::make_unique<Eddm>(params_); }

  void update(double x) override;
  bool drift_detected() const override { return drift_detected_; }
  bool has_warning() const override { return true; }
  bool warning_detected() const override { return warning_detected_; }

  /// Mean and sample variance of the distances between consecutive errors since the last reset
  /// (the first error's distance is counted from the reset).
  const RunningVariance& error_distances() const { return error_distances_; }
  /// Values and errors seen since the last reset.
  std::uint64_t num_samples() const { return num_samples_; }
  std::uint64_t num_errors() const { return num_errors_; }
  const Params& params() const { return params_; }

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  void reset();
  /// River's comparisons of p' + 2s' with its maximum and of their ratio with beta and alpha.
  void compare(double p2s);
  /// compare() on an estimate within 2^-50 of p' + 2s', when that decides every comparison the
  /// same way as the exact value; returns whether it did.
  bool compare_estimate(double estimate);

  Params params_;
  RunningVariance error_distances_;
  std::uint64_t num_samples_ = 0;
  /// num_samples_ at the last error (0 before the first one).
  std::uint64_t last_error_ = 0;
  std::uint64_t num_errors_ = 0;
  /// The largest p' + 2s' seen; -1 before the first comparison, as in River.
  double p2s_max_ = -1.0;
  bool drift_detected_ = false;
  bool warning_detected_ = false;
};

}  // namespace streamlearn::monitors
