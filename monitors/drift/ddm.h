#pragma once

/// Ddm: the Drift Detection Method of Gama, Medas, Castillo and Rodrigues, "Learning with Drift
/// Detection" (SBIA 2004), as River 0.21.1 implements it (drift.binary.DDM). The input is an
/// error indicator (1 = error, 0 = correct). DDM keeps the error rate p and its Bernoulli standard
/// deviation s = sqrt(p(1 - p) / n) since the last reset, remembers p_min and s_min where p + s
/// was smallest, and once more than `warm_start` values were seen flags a warning when
/// p + s > p_min + warning_threshold * s_min and drift when p + s > p_min + drift_threshold *
/// s_min (drift clears the warning). After a drift the detector resets at the next update().
///
/// Input: x enters the running mean exactly as in River, so 0/1 gives River's flags bit for bit and
/// a fraction in [0, 1] counts as a partial error. Outside [0, 1] River raises (math domain
/// error); here s becomes NaN and that update flags nothing. NaN must not be passed.
///
/// Usage, one update per prediction:
///   Ddm ddm(Ddm::Params{});
///   ddm.update(prediction == label ? 0 : 1);
///   if (ddm.warning_detected()) start_training_a_background_model();
///   if (ddm.drift_detected()) swap_in_the_background_model();
///
/// O(1) time per update, 80 bytes, no allocation. Not thread-safe.

#include <cstdint>
#include <limits>

#include "core/param_reader.h"
#include "monitors/drift/drift_detector.h"
#include "monitors/metrics/running_mean.h"

namespace streamlearn::monitors {

class Ddm final : public DriftDetector {
 public:
  struct Params {
    /// Updates needed after a reset before anything can be flagged.
    std::int64_t warm_start = 30;
    /// Width of the warning zone in units of s_min (2.0: about 95% confidence).
    double warning_threshold = 2.0;
    /// Width of the no-drift zone in units of s_min (3.0: about 99% confidence).
    double drift_threshold = 3.0;
  };

  explicit Ddm(Params params) : params_(params) {}
  /// Reads warm_start (>= 0), warning_threshold and drift_threshold (> 0).
  static std::unique_ptr<DriftDetector> create(core::ParamReader& reader);

  std::string describe() const override;
  std::unique_ptr<DriftDetector> clone() const override { return std::make_unique<Ddm>(params_); }

  void update(double x) override;
  bool drift_detected() const override { return drift_detected_; }
  bool has_warning() const override { return true; }
  bool warning_detected() const override { return warning_detected_; }

  /// The error rate since the last reset (River's p_i).
  double error_rate() const { return error_rate_.get(); }
  /// Values seen since the last reset.
  std::uint64_t num_samples() const { return error_rate_.count(); }
  /// sqrt(p(1 - p) / n) for the current p and n (River's s_i); 0 before any update.
  double error_rate_std() const;
  const Params& params() const { return params_; }

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  void reset();

  Params params_;
  RunningMean error_rate_;
  double p_min_ = std::numeric_limits<double>::infinity();
  double s_min_ = std::numeric_limits<double>::infinity();
  double ps_min_ = std::numeric_limits<double>::infinity();
  bool drift_detected_ = false;
  bool warning_detected_ = false;
};

}  // namespace streamlearn::monitors
