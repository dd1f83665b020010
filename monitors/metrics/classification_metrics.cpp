#include "monitors/metrics/classification_metrics.h"

#include <string>

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

void write_observation(core::StateWriter& out, const ClassificationObservation& observation) {
  out.write(observation.y_true);
  out.write(observation.y_pred);
  out.write(observation.p_positive);
  out.write(observation.p_true);
  out.write_bool(observation.true_class_known);
}

bool read_observation(core::StateReader& in, ClassificationObservation& observation) {
  return in.read(observation.y_true) && in.read(observation.y_pred) &&
         in.read(observation.p_positive) && in.read(observation.p_true) &&
         in.read_bool(observation.true_class_known);
}

}  // namespace

ClassificationMetrics::ClassificationMetrics(std::size_t window_size_events)
    : window_size_events_(window_size_events) {
  if (window_size_events_ > 0) window_.emplace(window_size_events_);
}

void ClassificationMetrics::update(core::ClassId y_true, const core::ClassProbabilities& proba) {
  if (proba.empty()) return;
  update(ClassificationObservation::from(y_true, proba));
}

void ClassificationMetrics::update(const ClassificationObservation& observation) {
  if (window_) {
    if (window_->full()) remove(window_->oldest());
    window_->push(observation);
  }
  add(observation);
}

void ClassificationMetrics::add(const ClassificationObservation& observation) {
  accuracy_.update(observation.y_true, observation.y_pred);
  log_loss_.update(observation);
  roc_auc_.update(observation.y_true, observation.p_positive);
  confusion_.update(observation.y_true == core::ClassSet::kPositive,
                    observation.y_pred == core::ClassSet::kPositive);
}

void ClassificationMetrics::remove(const ClassificationObservation& observation) {
  accuracy_.revert(observation.y_true, observation.y_pred);
  log_loss_.revert(observation);
  roc_auc_.revert(observation.y_true, observation.p_positive);
  confusion_.revert(observation.y_true == core::ClassSet::kPositive,
                    observation.y_pred == core::ClassSet::kPositive);
}

void ClassificationMetrics::report(std::vector<std::pair<std::string_view, double>>& out) const {
  const std::array<double, kNames.size()> values = {accuracy(), log_loss(),  roc_auc(),
                                                    f1(),       precision(), recall()};
  for (std::size_t i = 0; i < kNames.size(); ++i) out.emplace_back(kNames[i], values[i]);
}

void ClassificationMetrics::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write<std::uint64_t>(window_size_events_);
  accuracy_.save(out);
  log_loss_.save(out);
  roc_auc_.save(out);
  confusion_.save(out);
  if (!window_) return;
  out.write<std::uint64_t>(window_->size());
  window_->for_each([&out](const ClassificationObservation& observation) {
    write_observation(out, observation);
  });
}

core::Status ClassificationMetrics::load(core::StateReader& in) {
  constexpr std::string_view kWhat = "ClassificationMetrics";
  std::uint64_t window_size_events = 0;
  if (!in.expect_version(kStateVersion) || !in.read(window_size_events)) return in.status(kWhat);
  if (window_size_events != window_size_events_)
    return core::Status::error("ClassificationMetrics: saved state has a window of " +
                               std::to_string(window_size_events) +
                               " events (0 = cumulative) but these metrics are " +
                               "configured with " + std::to_string(window_size_events_) +
                               "; configure the saved window size or start the metrics afresh");
  ClassificationMetrics loaded(window_size_events_);
  if (!loaded.accuracy_.load(in).is_ok() || !loaded.log_loss_.load(in).is_ok() ||
      !loaded.roc_auc_.load(in).is_ok() || !loaded.confusion_.load(in).is_ok())
    return in.status(kWhat);
  if (loaded.window_) {
    std::uint64_t size = 0;
    if (!in.read(size)) return in.status(kWhat);
    if (size > window_size_events_ || size != loaded.accuracy_.count()) {
      in.fail();
      return in.status(kWhat);
    }
    for (std::uint64_t i = 0; i < size; ++i) {
      ClassificationObservation observation;
      if (!read_observation(in, observation)) return in.status(kWhat);
      loaded.window_->push(observation);
    }
  }
  *this = std::move(loaded);
  return core::Status::ok();
}

}  // namespace streamlearn::monitors
