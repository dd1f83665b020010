#include "monitors/metrics/regression_metrics.h"

#include <string>

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

RegressionMetrics::RegressionMetrics(std::size_t window_size_events)
    : window_size_events_(window_size_events) {
  if (window_size_events_ > 0) window_.emplace(window_size_events_);
}

void RegressionMetrics::update(double y_true, double y_pred) {
  const RegressionObservation observation{y_true, y_pred};
  if (window_) {
    if (window_->full()) remove(window_->oldest());
    window_->push(observation);
  }
  add(observation);
}

void RegressionMetrics::add(const RegressionObservation& observation) {
  mae_.update(observation.y_true, observation.y_pred);
  rmse_.update(observation.y_true, observation.y_pred);
  r2_.update(observation.y_true, observation.y_pred);
}

void RegressionMetrics::remove(const RegressionObservation& observation) {
  mae_.revert(observation.y_true, observation.y_pred);
  rmse_.revert(observation.y_true, observation.y_pred);
  r2_.revert(observation.y_true, observation.y_pred);
}

void RegressionMetrics::report(std::vector<std::pair<std::string_view, double>>& out) const {
  const std::array<double, kNames.size()> values = {mae(), rmse(), r2()};
  for (std::size_t i = 0; i < kNames.size(); ++i) out.emplace_back(kNames[i], values[i]);
}

void RegressionMetrics::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write<std::uint64_t>(window_size_events_);
  mae_.save(out);
  rmse_.save(out);
  r2_.save(out);
  if (!window_) return;
  out.write<std::uint64_t>(window_->size());
  window_->for_each([&out](const RegressionObservation& observation) {
    out.write(observation.y_true);
    out.write(observation.y_pred);
  });
}

core::Status RegressionMetrics::load(core::StateReader& in) {
  constexpr std::string_view kWhat = "RegressionMetrics";
  std::uint64_t window_size_events = 0;
  if (!in.expect_version(kStateVersion) || !in.read(window_size_events)) return in.status(kWhat);
  if (window_size_events != window_size_events_)
    return core::Status::error("RegressionMetrics: saved state has a window of " +
                               std::to_string(window_size_events) +
                               " events (0 = cumulative) but these metrics are configured with " +
                               std::to_string(window_size_events_) +
                               "; configure the saved window size or start the metrics afresh");
  RegressionMetrics loaded(window_size_events_);
  if (!loaded.mae_.load(in).is_ok() || !loaded.rmse_.load(in).is_ok() ||
      !loaded.r2_.load(in).is_ok())
    return in.status(kWhat);
  if (loaded.window_) {
    std::uint64_t size = 0;
    if (!in.read(size)) return in.status(kWhat);
    if (size > window_size_events_ || size != loaded.mae_.count()) {
      in.fail();
      return in.status(kWhat);
    }
    for (std::uint64_t i = 0; i < size; ++i) {
      RegressionObservation observation;
      if (!in.read(observation.y_true) || !in.read(observation.y_pred)) return in.status(kWhat);
      loaded.window_->push(observation);
    }
  }
  *this = std::move(loaded);
  return core::Status::ok();
}

}  // namespace streamlearn::monitors
