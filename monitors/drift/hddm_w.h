#pragma once

/// HddmW: HDDM_W, drift detection with McDiarmid's bound on exponentially weighted moving averages
/// (EWMA), from Frias-Blanco, del Campo-Avila, Ramos-Jimenez, Morales-Bueno, Ortiz-Diaz and
/// Caballero-Mota, "Online and non-parametric drift detection methods based on Hoeffding's
/// bounds" (IEEE TKDE 27(3), 2015), as River 0.21.1 implements it after MOA (drift.binary.HDDM_W).
/// The input is an error indicator (1 = error, 0 = correct). HddmW keeps the EWMA of everything
/// since the last reset together with its independent bound condition ibc (ibc <- lambda^2 +
/// (1 - lambda)^2 ibc, from 1), and a cut point where EWMA + sqrt(ibc ln(1 / drift_confidence) /
/// 2) was smallest: a snapshot of the total there, and a fresh EWMA of the values after it. Drift
/// when the EWMA after the cut exceeds the snapshot's by more than sqrt((ibc_1 + ibc_2)
/// ln(1 / drift_confidence) / 2), else a warning for the same test at warning_confidence. With
/// two_sided_test a mirrored cut point also reports a decrease. After a drift the detector
/// resets at the next update().
///
/// The EWMA is River's stats.EWMean (Rust watermill 0.1.1): mean <- x while the mean is exactly
/// 0, else mean <- lambda x + (1 - lambda) mean. So leading zeros keep it at 0 and the first
/// non-zero value is taken verbatim; this is reproduced, not corrected. One visible effect: with
/// two_sided_test, the first error lifts the EWMA to 1, and on a stream of rare errors the
/// decrease test then often fires within the first hundred or so values.
///
/// Input: x enters the averages exactly as in River, so 0/1 gives River's flags bit for bit; the
/// bounds assume values in [0, 1]. NaN must not be passed.
///
/// Usage, one update per prediction:
///   HddmW hddm(HddmW::Params{});
///   hddm.update(prediction == label ? 0 : 1);
///   if (hddm.drift_detected()) retrain();
///
/// O(1) time per update, 200 bytes, no allocation. Not thread-safe.

#include <limits>

#include "core/param_reader.h"
#include "monitors/drift/drift_detector.h"

namespace streamlearn::monitors {

class HddmW final : public DriftDetector {
 public:
  struct Params {
    /// Significance level of the drift test.
    double drift_confidence = 0.001;
    /// Significance level of the warning test.
    double warning_confidence = 0.005;
    /// Weight of the newest value in the EWMA.
    double lambda_val = 0.05;
    /// Also report decreases of the mean (by default only increases).
    bool two_sided_test = false;
  };

  /// An EWMA with its independent bound condition (River's SampleInfo).
  struct Sample {
    double ewma = 0.0;
    double ibc = 1.0;
    bool initialized = false;
  };

  explicit HddmW(Params params);
  /// Reads drift_confidence and warning_confidence (both in (0, 1)), lambda_val (in (0, 1]) and
  /// two_sided_test.
  static std::unique_ptr<DriftDetector> create(core::ParamReader& reader);

  std::string describe() const override;
  std::unique_ptr<DriftDetector> clone() const override { return std::make_unique<HddmW>(params_); }

  void update(double x) override;
  bool drift_detected() const override { return drift_detected_; }
  bool has_warning() const override { return true; }
  bool warning_detected() const override { return warning_detected_; }

  /// The EWMA of all values since the last reset.
  const Sample& total() const { return total_; }
  const Params& params() const { return params_; }

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  void reset();
  void add(Sample& sample, double x) const;
  /// Whether `later`'s EWMA exceeds `earlier`'s by more than the bound at `confidence`.
  static bool mean_increased(const Sample& earlier, const Sample& later, double confidence);

  Params params_;
  // lambda^2 and (1 - lambda)^2, fixed by the params.
  double lambda_squared_;
  double complement_squared_;
  Sample total_;
  /// Snapshot of total_ at the cut point for increases, and the values after it.
  Sample increase_before_;
  Sample increase_after_;
  /// Snapshot of total_ at the cut point for decreases, and the values after it.
  Sample decrease_before_;
  Sample decrease_after_;
  double increase_cutpoint_ = std::numeric_limits<double>::infinity();
  double decrease_cutpoint_ = -std::numeric_limits<double>::infinity();
  bool drift_detected_ = false;
  bool warning_detected_ = false;
};

}  // namespace streamlearn::monitors
