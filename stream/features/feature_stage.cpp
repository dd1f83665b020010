#include "stream/features/feature_stage.h"

#include <set>

#include "core/model_expression.h"

namespace streamlearn::stream::features {

core::Result<FeatureStage::Split> FeatureStage::split(std::string_view expression) {
  auto steps = core::parse_model_expression(expression);
  if (!steps) return steps.status();
  Split split;
  std::vector<std::string> errors;
  std::set<std::string> names;
  std::size_t first_learner_step = steps->size();
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const core::ModelStep& step = (*steps)[i];
    if (!is_window_step(step)) {
      if (first_learner_step == steps->size()) first_learner_step = i;
      continue;
    }
    if (first_learner_step < i) {
      errors.push_back("'" + step.name + "' reads whole events (key, time, label): put it before '" +
                       (*steps)[first_learner_step].name + "'");
      continue;
    }
    auto spec = parse_window_spec(step);
    if (!spec) {
      errors.push_back(spec.status().message());
      continue;
    }
    for (std::size_t a = 0; a < spec->aggregates.size(); ++a)
      if (!names.insert(spec->feature_name(a)).second)
        errors.push_back("two windows compute the feature '" + spec->feature_name(a) +
                         "': give one of them another name=");
    split.windows.push_back(std::move(*spec));
  }
  if (first_learner_step == steps->size())
    errors.push_back("the expression ends with window steps: end it with a learner, as in '... | "
                     "logistic_regression'");
  if (!errors.empty()) {
    std::string message = "model expression '" + std::string(expression) + "':";
    for (const std::string& error : errors) message += "\n  " + error;
    return core::Status::error(message);
  }
  split.learner_expression = core::format_model_steps(
      std::span<const core::ModelStep>(*steps).subspan(first_learner_step));
  return split;
}

FeatureStage::FeatureStage(const std::vector<WindowSpec>& windows, core::FeatureSpace& space) {
  windows_.reserve(windows.size());
  for (const WindowSpec& spec : windows) windows_.emplace_back(spec, space);
}

std::optional<Rejection> FeatureStage::apply(Event& event) {
  for (WindowOperator& window : windows_) {
    if (window.spec().late != LatePolicy::kDeadLetter || !window.late(event)) continue;
    window.count_rejected_late();
    return Rejection{RejectReason::kLateEvent,
                     "event time " + std::to_string(event.event_time_ms) + " is late for " +
                         window.spec().expression() + " (watermark " +
                         std::to_string(window.watermark_ms()) +
                         "); raise out_of_order or lateness to accept it, or late=drop to keep "
                         "the event without that window's features"};
  }
  for (WindowOperator& window : windows_) window.apply(event);
  return std::nullopt;
}

std::string FeatureStage::describe() const {
  std::string text;
  for (const WindowOperator& window : windows_)
    text += (text.empty() ? "" : " | ") + window.spec().expression();
  return text;
}

}  // namespace streamlearn::stream::features
