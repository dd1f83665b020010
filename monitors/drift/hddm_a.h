#pragma once

/// HddmA: HDDM_A, drift detection with Hoeffding's bound on averages, from Frias-Blanco,
/// del Campo-Avila, Ramos-Jimenez, Morales-Bueno, Ortiz-Diaz and Caballero-Mota, "Online and
/// non-parametric drift detection methods based on Hoeffding's bounds" (IEEE TKDE 27(3), 2015),
/// as River 0.21.1 implements it after MOA (drift.binary.HDDM_A). The input is an error indicator
/// (1 = error, 0 = correct). HddmA keeps the mean z of everything since the last reset and a cut
/// point: a snapshot of z taken where z plus its Hoeffding bound sqrt(ln(1 / drift_confidence) /
/// (2n)) was smallest. Drift when z exceeds the cut point's mean by at least
/// sqrt(m / 2 * ln(2 / drift_confidence)) with m = (n_z - n_cut) / (n_cut * n_z), else a warning
/// for the same test at warning_confidence. With two_sided_test a mirrored cut point also reports
/// a decrease of the mean. After a drift the detector resets at the next update().
///
/// Input: x enters the means exactly as in River, so 0/1 gives River's flags bit for bit; the
/// bounds assume values in [0, 1]. NaN must not be passed.
///
/// Usage, one update per prediction:
///   HddmA hddm(HddmA::Params{});
///   hddm.update(prediction == label ? 0 : 1);
///   if (hddm.drift_detected()) retrain();
///
/// O(1) time per update, 88 bytes, no allocation. Not thread-safe.

#include "core/param_reader.h"
#include "monitors/drift/drift_detector.h"
#include "monitors/metrics/running_mean.h"

namespace streamlearn::monitors {

class HddmA final : public DriftDetector {
 public:
  struct Params {
    /// Significance level of the drift test.
    double drift_confidence = 0.001;
    /// Significance level of the warning test.
    double warning_confidence = 0.005;
    /// Also report decreases of the mean (by default only increases).
    bool two_sided_test = false;
  };

  explicit HddmA(Params params) : params_(params) {}
  /// Reads drift_confidence and warning_confidence (both in (0, 1)) and two_sided_test.
  static std::unique_ptr<DriftDetector> create(core::ParamReader& reader);

  std::string describe() const override;
  std::unique_ptr<DriftDetector> clone() const override { return std::make_unique<HddmA>(params_); }

  void update(double x) override;
  bool drift_detected() const override { return drift_detected_; }
  bool has_warning() const override { return true; }
  bool warning_detected() const override { return warning_detected_; }

  /// The mean of all values since the last reset.
  const RunningMean& total() const { return total_; }
  const Params& params() const { return params_; }

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  void reset();
  double hoeffding_bound(double num_samples) const;
  /// Whether `difference` (total mean minus cut mean, or the reverse) reaches the bound at
  /// `confidence` for the samples on either side of the cut point `cut`.
  bool exceeds_bound(const RunningMean& cut, double difference, double confidence) const;

  Params params_;
  RunningMean total_;
  /// Snapshot of total_ for detecting an increase (River's x_min).
  RunningMean increase_cut_;
  /// Snapshot of total_ for detecting a decrease (River's x_max).
  RunningMean decrease_cut_;
  bool drift_detected_ = false;
  bool warning_detected_ = false;
};

}  // namespace streamlearn::monitors
