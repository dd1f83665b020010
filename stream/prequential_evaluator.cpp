#include "stream/prequential_evaluator.h"

#include <cmath>
#include <string>

namespace streamlearn::stream {

PrequentialEvaluator::PrequentialEvaluator(learners::Learner& model, Options options)
    : model_(model),
      classification_(model.task() == learners::Task::kClassification),
      classification_metrics_(0),
      rolling_classification_metrics_(options.rolling_window),
      regression_metrics_(0),
      rolling_regression_metrics_(options.rolling_window),
      rolling_(options.rolling_window > 0) {}

void PrequentialEvaluator::process(const Event& event) {
  ++events_;
  const core::Target& y = event.label;
  if (classification_) {
    model_.predict_proba_one(event.features, proba_);
    if (y.is_class() && !proba_.empty()) {
      classification_metrics_.update(y.class_id, proba_);
      if (rolling_) rolling_classification_metrics_.update(y.class_id, proba_);
      ++scored_;
      if (detector_) monitor_error(proba_.argmax() == y.class_id ? 0.0 : 1.0);
    }
  } else {
    const core::Target prediction = model_.predict_one(event.features);
    if (y.kind == core::Target::Kind::kValue && prediction.has_value()) {
      regression_metrics_.update(y.value, prediction.value);
      if (rolling_) rolling_regression_metrics_.update(y.value, prediction.value);
      ++scored_;
      if (detector_) monitor_error(std::abs(y.value - prediction.value));
    }
  }
  if (y.has_value()) {
    model_.learn_one(event.features, y);
    ++learned_;
  }
}

void PrequentialEvaluator::monitor_error(double error) {
  detector_->update(error);
  if (detector_->drift_detected()) drift_positions_.push_back(events_ - 1);
  if (detector_->warning_detected()) ++warnings_;
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
