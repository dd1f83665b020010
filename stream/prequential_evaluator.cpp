#include "stream/prequential_evaluator.h"

#include <cmath>
#include <string>

#include "monitors/metrics/log_loss.h"

namespace streamlearn::stream {

std::string_view on_drift_name(OnDrift on_drift) {
  switch (on_drift) {
    case OnDrift::kNone:
      return "none";
    case OnDrift::kReset:
      return "reset";
    case OnDrift::kBackground:
      return "background";
  }
  return "none";
}

core::Result<OnDrift> parse_on_drift(std::string_view text) {
  for (OnDrift on_drift : {OnDrift::kNone, OnDrift::kReset, OnDrift::kBackground})
    if (text == on_drift_name(on_drift)) return on_drift;
  return core::Status::error("on_drift '" + std::string(text) +
                             "' is not one of: none, reset, background");
}

PrequentialEvaluator::PrequentialEvaluator(learners::Learner& model, Options options)
    : model_(&model),
      on_drift_(options.on_drift),
      classification_(model.task() == learners::Task::kClassification),
      classification_metrics_(0),
      rolling_classification_metrics_(options.rolling_window),
      regression_metrics_(0),
      rolling_regression_metrics_(options.rolling_window),
      rolling_(options.rolling_window > 0) {}

void PrequentialEvaluator::process(const Event& event) {
  const std::uint64_t position = events_++;
  const std::int64_t time_ms = event.event_time_ms;
  const core::Target& y = event.label;
  if (monitor_) monitor_->observe_features(event.features, position, time_ms);
  if (classification_) {
    model_->predict_proba_one(event.features, proba_);
    if (!proba_.empty() && monitor_)
      monitor_->observe_prediction(core::Target::of_class(proba_.argmax()), position, time_ms);
    if (y.is_class() && !proba_.empty()) {
      classification_metrics_.update(y.class_id, proba_);
      if (rolling_) rolling_classification_metrics_.update(y.class_id, proba_);
      ++scored_;
      if (monitor_) {
        const auto observation = monitors::ClassificationObservation::from(y.class_id, proba_);
        // A logarithm per event, only when a performance monitor watches the log loss.
        monitor_outcome({.error = observation.y_pred == y.class_id ? 0.0 : 1.0,
                         .log_loss = monitor_->needs_log_loss()
                                         ? monitors::LogLoss::cross_entropy(observation)
                                         : 0.0},
                        position, time_ms);
      }
    }
  } else {
    const core::Target prediction = model_->predict_one(event.features);
    if (prediction.has_value() && monitor_) monitor_->observe_prediction(prediction, position, time_ms);
    if (y.kind == core::Target::Kind::kValue && prediction.has_value()) {
      regression_metrics_.update(y.value, prediction.value);
      if (rolling_) rolling_regression_metrics_.update(y.value, prediction.value);
      ++scored_;
      if (monitor_) {
        const double error = y.value - prediction.value;
        monitor_outcome({.error = std::abs(error), .squared_error = error * error}, position,
                        time_ms);
      }
    }
  }
  if (y.has_value()) {
    if (monitor_) monitor_->observe_label(y, position, time_ms);
    model_->learn_one(event.features, y);
    if (background_) background_->learn_one(event.features, y);
    ++learned_;
  }
}

void PrequentialEvaluator::monitor_outcome(const ModelMonitor::Outcome& outcome,
                                           std::uint64_t position, std::int64_t time_ms) {
  const monitors::ConceptDriftMonitor::Signal signal =
      monitor_->observe_outcome(outcome, position, time_ms);
  if (signal.warning_started && on_drift_ == OnDrift::kBackground) {
    background_ = model_->clone();
    background_started_at_ = position;
  }
  if (!signal.alert) return;
  if (on_drift_ == OnDrift::kNone) {
    monitor_->publish_concept_alert("none", model_version_);
    return;
  }
  const bool swap = background_ != nullptr;
  replacement_ = swap ? std::move(background_) : model_->clone();
  model_ = replacement_.get();
  ++model_version_;
  monitor_->publish_concept_alert(swap ? "swap" : "reset", model_version_);
  monitor_->model_replaced(model_version_);
}

void PrequentialEvaluator::report(std::vector<std::pair<std::string, double>>& out) const {
  out.clear();
  std::vector<std::pair<std::string_view, double>> values;
  if (classification_) {
    classification_metrics_.report(values);
  } else {
    regression_metrics_.report(values);
  }
  for (const auto& [name, value] : values) out.emplace_back(std::string(name), value);
  if (!rolling_) return;
  values.clear();
  if (classification_) {
    rolling_classification_metrics_.report(values);
  } else {
    rolling_regression_metrics_.report(values);
  }
  for (const auto& [name, value] : values) out.emplace_back("rolling_" + std::string(name), value);
}

}  // namespace streamlearn::stream
