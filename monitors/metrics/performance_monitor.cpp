#include "monitors/metrics/performance_monitor.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

PerformanceMonitor::Quantity quantity_of(std::string_view metric) {
  if (metric == "log_loss") return PerformanceMonitor::Quantity::kLogLoss;
  if (metric == "mae") return PerformanceMonitor::Quantity::kAbsoluteError;
  if (metric == "rmse") return PerformanceMonitor::Quantity::kSquaredError;
  return PerformanceMonitor::Quantity::kCorrect;  // accuracy, error_rate
}

WindowLength step_or_window(const PerformanceMonitor::Params& params) {
  return params.step.is_zero() ? params.window : params.step;
}

}  // namespace

const std::vector<std::string>& PerformanceMonitor::metrics(bool classification) {
  static const std::vector<std::string> kClassification = {"accuracy", "error_rate", "log_loss"};
  static const std::vector<std::string> kRegression = {"mae", "rmse"};
  return classification ? kClassification : kRegression;
}

core::Status PerformanceMonitor::validate(const std::string& monitor, bool classification,
                                          const Params& params) {
  std::vector<std::string> errors;
  const auto& allowed = metrics(classification);
  if (std::find(allowed.begin(), allowed.end(), params.metric) == allowed.end()) {
    std::string names;
    for (const std::string& name : allowed) names += (names.empty() ? "" : ", ") + name;
    errors.push_back("metric '" + params.metric + "' is not one of the " +
                     (classification ? "classification" : "regression") + " metrics: " + names);
  }
  if (params.reference.amount <= 0) errors.push_back("reference must be longer than 0");
  if (params.window.amount <= 0) errors.push_back("window must be longer than 0");
  const WindowLength step = step_or_window(params);
  if (step.unit != params.window.unit)
    errors.push_back("step and window must both be event counts or both event-time spans");
  else if (step.amount > 0 && params.window.amount % step.amount != 0)
    errors.push_back("step " + step.describe() + " must divide window " +
                     params.window.describe());
  else if (step.amount > 0 && params.window.amount / step.amount > 1000)
    errors.push_back("window / step must be at most 1000 panes");
  if (!(params.policy.threshold >= 0) && params.relative)
    errors.push_back("threshold (the allowed degradation) must be >= 0");
  if (params.policy.consecutive < 1) errors.push_back("consecutive must be at least 1");
  if (errors.empty()) return core::Status::ok();
  std::string message = "monitor '" + monitor + "':";
  for (const std::string& error : errors) message += "\n  " + error;
  return core::Status::error(message);
}

PerformanceMonitor::PerformanceMonitor(std::string monitor, Params params)
    : monitor_(std::move(monitor)),
      params_(std::move(params)),
      quantity_(quantity_of(params_.metric)),
      policy_(params_.policy),
      window_(params_.window, step_or_window(params_), Mean{}) {
  AlertPolicy::Params policy = params_.policy;
  // The policy watches the degradation (relative: positive is worse) or the value itself.
  policy.direction = params_.relative || !higher_is_better() ? AlertPolicy::Direction::kAbove
                                                             : AlertPolicy::Direction::kBelow;
  policy_ = AlertPolicy(policy);
}

bool PerformanceMonitor::higher_is_better() const { return params_.metric == "accuracy"; }

double PerformanceMonitor::metric_of(const Mean& mean) const {
  if (mean.count == 0) return std::numeric_limits<double>::quiet_NaN();
  const double average = mean.sum / static_cast<double>(mean.count);
  if (params_.metric == "error_rate") return 1.0 - average;
  if (params_.metric == "rmse") return std::sqrt(average);
  return average;
}

double PerformanceMonitor::reference_value() const {
  return reference_complete_ ? metric_of(reference_) : std::numeric_limits<double>::quiet_NaN();
}

void PerformanceMonitor::restart_reference() {
  reference_ = Mean{};
  reference_bounds_ = WindowBounds{};
  reference_complete_ = false;
  window_.reset();
  policy_.reset();
}

bool PerformanceMonitor::observe(double quantity, std::uint64_t position, std::int64_t time_ms,
                                 Alert& alert) {
  if (!std::isfinite(quantity)) return false;
  if (!reference_complete_) {
    const bool open =
        !params_.reference.by_time() || time_ms == WindowBounds::kNoTime ||
        reference_bounds_.start_time_ms == WindowBounds::kNoTime ||
        time_ms < reference_bounds_.start_time_ms + params_.reference.amount;
    if (open) {
      reference_.add(quantity);
      reference_bounds_.include(position, time_ms);
      if (!params_.reference.by_time() &&
          reference_bounds_.count == static_cast<std::uint64_t>(params_.reference.amount))
        reference_complete_ = true;
      return false;
    }
    reference_complete_ = true;
  }
  bool fired = false;
  window_.observe(
      position, time_ms, [&](Mean& pane) { pane.add(quantity); },
      [&](const Mean& current, const WindowBounds& bounds) {
        const double value = metric_of(current);
        const double reference = metric_of(reference_);
        const double degradation = higher_is_better() ? reference - value : value - reference;
        const double watched = params_.relative ? degradation : value;
        if (!policy_.evaluate(watched, bounds.count, position, time_ms)) return;
        fired = true;
        const double threshold = policy_.params().threshold;
        alert.monitor = monitor_;
        alert.kind = AlertKind::kPerformance;
        alert.feature.clear();
        alert.statistic = params_.metric;
        alert.value = value;
        alert.threshold = !params_.relative       ? threshold
                          : higher_is_better() ? reference - threshold
                                               : reference + threshold;
        alert.has_reference = true;
        alert.reference = reference_bounds_;
        alert.current = bounds;
        alert.event_time_ms = time_ms;
        alert.evidence = {{params_.metric, value},
                          {"reference_" + params_.metric, reference},
                          {"degradation", degradation}};
      });
  return fired;
}

std::string PerformanceMonitor::settings() const {
  core::StateWriter out;
  params_.reference.save(out);
  params_.window.save(out);
  window_.step().save(out);
  out.write_bool(params_.relative);
  AlertPolicy::save_params(out, policy_.params());
  return out.bytes();
}

void PerformanceMonitor::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write_string(params_.metric);
  out.write_string(settings());
  policy_.save(out);
  reference_.save(out);
  out.write(reference_bounds_);
  out.write_bool(reference_complete_);
  window_.save(out);
}

core::Status PerformanceMonitor::load(core::StateReader& in) {
  const std::string what = "performance monitor '" + monitor_ + "'";
  std::string metric, saved_settings;
  if (!in.expect_version(kStateVersion) || !in.read_string(metric) ||
      !in.read_string(saved_settings))
    return in.status(what);
  if (metric != params_.metric)
    return core::Status::error(what + ": the checkpoint watches " + metric + ", this pipeline " +
                               params_.metric + ": the configuration changed since the "
                               "checkpoint was saved; restore it with the same configuration");
  if (saved_settings != settings())
    return core::Status::error(what + ": the checkpoint was saved with other settings (reference, "
                               "window, step, relative or policy): the configuration changed "
                               "since the checkpoint was saved; restore it with the same "
                               "configuration");
  PerformanceMonitor loaded = *this;
  SL_RETURN_IF_ERROR(loaded.policy_.load(in));
  SL_RETURN_IF_ERROR(loaded.reference_.load(in));
  if (!in.read(loaded.reference_bounds_) || !in.read_bool(loaded.reference_complete_))
    return in.status(what);
  SL_RETURN_IF_ERROR(loaded.window_.load(in));
  *this = std::move(loaded);
  return core::Status::ok();
}

}  // namespace streamlearn::monitors
