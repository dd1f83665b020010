#include "monitors/drift/concept_drift_monitor.h"

#include <limits>

namespace streamlearn::monitors {
namespace {

AlertPolicy::Params drift_signal_policy(AlertPolicy::Params policy) {
  policy.threshold = 0.5;  // observe() passes 1 for a drift signal
  policy.direction = AlertPolicy::Direction::kAbove;
  return policy;
}

}  // namespace

ConceptDriftMonitor::ConceptDriftMonitor(std::string monitor,
                                         std::unique_ptr<DriftDetector> detector,
                                         AlertPolicy::Params policy)
    : monitor_(std::move(monitor)),
      detector_(std::move(detector)),
      statistic_(detector_->describe()),
      policy_(drift_signal_policy(policy)) {}

ConceptDriftMonitor::Signal ConceptDriftMonitor::observe(double error, std::uint64_t position,
                                                         std::int64_t time_ms, Alert& alert) {
  Signal signal;
  detector_->update(error);
  segment_.include(position, time_ms);
  segment_error_sum_ += error;
  signal.warning = detector_->warning_detected();
  signal.warning_started = signal.warning && !in_warning_;
  in_warning_ = signal.warning;
  if (signal.warning_started) ++warnings_;
  if (!detector_->drift_detected()) return signal;
  signal.drift = true;
  in_warning_ = false;
  ++drifts_;
  const double mean_error = segment_error_sum_ / static_cast<double>(segment_.count);
  if (policy_.evaluate(1.0, segment_.count, position, time_ms)) {
    signal.alert = true;
    alert.monitor = monitor_;
    alert.kind = AlertKind::kConcept;
    alert.feature.clear();
    alert.statistic = statistic_;
    alert.value = mean_error;
    alert.threshold = std::numeric_limits<double>::quiet_NaN();
    alert.has_reference = false;
    alert.reference = WindowBounds{};
    alert.current = segment_;
    alert.event_time_ms = time_ms;
    alert.evidence = {{"mean_error", mean_error},
                      {"errors_observed", static_cast<double>(segment_.count)}};
  }
  segment_ = WindowBounds{};
  segment_error_sum_ = 0.0;
  return signal;
}

}  // namespace streamlearn::monitors
