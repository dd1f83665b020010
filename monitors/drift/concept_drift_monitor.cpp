#include "monitors/drift/concept_drift_monitor.h"

#include <limits>

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

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

std::string ConceptDriftMonitor::settings() const {
  core::StateWriter out;
  AlertPolicy::save_params(out, policy_.params());
  return out.bytes();
}

void ConceptDriftMonitor::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write_string(statistic_);
  out.write_string(settings());
  detector_->save(out);
  policy_.save(out);
  out.write(segment_);
  out.write(segment_error_sum_);
  out.write_bool(in_warning_);
  out.write(drifts_);
  out.write(warnings_);
}

core::Status ConceptDriftMonitor::load(core::StateReader& in) {
  const std::string what = "concept-drift monitor '" + monitor_ + "'";
  std::string statistic, saved_settings;
  if (!in.expect_version(kStateVersion) || !in.read_string(statistic) ||
      !in.read_string(saved_settings))
    return in.status(what);
  if (statistic != statistic_)
    return core::Status::error(what + ": the checkpoint's detector is " + statistic +
                               ", this pipeline's " + statistic_ + ": the configuration changed "
                               "since the checkpoint was saved; restore it with the same "
                               "configuration");
  if (saved_settings != settings())
    return core::Status::error(what + ": the checkpoint was saved with another alert policy "
                               "(min_samples, consecutive or cooldown): the configuration changed "
                               "since the checkpoint was saved; restore it with the same "
                               "configuration");
  std::unique_ptr<DriftDetector> detector = detector_->clone();
  SL_RETURN_IF_ERROR(detector->load(in));
  AlertPolicy policy = policy_;
  SL_RETURN_IF_ERROR(policy.load(in));
  WindowBounds segment;
  double segment_error_sum = 0.0;
  bool in_warning = false;
  std::uint64_t drifts = 0, warnings = 0;
  if (!in.read(segment) || !in.read(segment_error_sum) || !in.read_bool(in_warning) ||
      !in.read(drifts) || !in.read(warnings))
    return in.status(what);
  detector_ = std::move(detector);
  policy_ = policy;
  segment_ = segment;
  segment_error_sum_ = segment_error_sum;
  in_warning_ = in_warning;
  drifts_ = drifts;
  warnings_ = warnings;
  return core::Status::ok();
}

}  // namespace streamlearn::monitors
