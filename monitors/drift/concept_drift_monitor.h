#pragma once

/// ConceptDriftMonitor: continued evaluation with a concept-drift detector fed from the model's
/// own error stream (0/1 for a wrong/right class, the absolute error for regression), raising an
/// alert of kind `concept` when the detector signals drift and the AlertPolicy lets it through
/// (min_samples observed errors in the current segment, cooldown since the last alert;
/// `consecutive` counts drift signals in a row). The detector resets itself after a drift signal
/// (River's convention), which starts a new segment. The alert's statistic is the detector
/// (`adwin`), its value the mean error over the segment that ended, its threshold null; the
/// current window is that segment. Cost per error: the detector's update plus O(1). save()/load()
/// restore the detector, the segment, the warning state, the policy and the counts. Not
/// thread-safe.
///
/// Example:
///   ConceptDriftMonitor monitor("error_drift", registry.build("adwin").value(), {});
///   const ConceptDriftMonitor::Signal signal = monitor.observe(wrong ? 1.0 : 0.0, position,
///                                                              time_ms, alert);
///   if (signal.alert) ...;

#include <cstdint>
#include <memory>
#include <string>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/alerts/alert.h"
#include "monitors/alerts/alert_policy.h"
#include "monitors/drift/drift_detector.h"

namespace streamlearn::monitors {

class ConceptDriftMonitor {
 public:
  struct Signal {
    bool warning = false;         // the detector is in its warning zone
    bool warning_started = false;  // and was not at the previous error
    bool drift = false;           // the detector flagged drift
    bool alert = false;           // and the policy fired: `alert` was filled
  };

  /// The policy's threshold and direction are set here (a drift signal is a breach).
  ConceptDriftMonitor(std::string monitor, std::unique_ptr<DriftDetector> detector,
                      AlertPolicy::Params policy);

  Signal observe(double error, std::uint64_t position, std::int64_t time_ms, Alert& alert);

  const std::string& monitor() const { return monitor_; }
  const DriftDetector& detector() const { return *detector_; }
  std::uint64_t drifts() const { return drifts_; }
  std::uint64_t warnings() const { return warnings_; }
  /// Whether the detector was in its warning zone at the last error.
  bool in_warning() const { return in_warning_; }

  /// Saves the detector's state and this monitor's.
  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a monitor built with the same detector expression and
  /// policy (else an error says the configuration changed). On failure the monitor is unchanged.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  /// The alert policy's settings, as bytes that save() writes and load() compares.
  std::string settings() const;

  std::string monitor_;
  std::unique_ptr<DriftDetector> detector_;
  std::string statistic_;
  AlertPolicy policy_;
  WindowBounds segment_;
  double segment_error_sum_ = 0.0;
  bool in_warning_ = false;
  std::uint64_t drifts_ = 0;
  std::uint64_t warnings_ = 0;
};

}  // namespace streamlearn::monitors
