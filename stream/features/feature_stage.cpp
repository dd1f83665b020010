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

FeatureStage::FeatureStage(const std::vector<WindowSpec>& windows, core::FeatureSpace& space)
    : space_(&space) {
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

bool FeatureStage::lookup(std::span<const std::string> parts,
                          std::vector<std::pair<std::string, double>>& out) {
  bool found = false;
  for (WindowOperator& window : windows_) {
    const WindowSpec& spec = window.spec();
    if (spec.of_target && spec.by.empty()) {
      window.lookup({}, out);  // the same for every key: found only if a keyed window is
      continue;
    }
    const std::size_t arity = spec.by.empty() ? 1 : spec.by.size();
    if (arity == parts.size()) found |= window.lookup(parts, out);
  }
  return found;
}

void FeatureStage::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write<std::uint64_t>(windows_.size());
  for (const WindowOperator& window : windows_) window.save(out);
}

core::Status FeatureStage::load(core::StateReader& in) {
  std::uint64_t num_windows = 0;
  if (!in.expect_version(kStateVersion) || !in.read(num_windows)) return in.status("window steps");
  if (num_windows != windows_.size()) {
    in.fail();
    const auto steps = [](std::uint64_t n) {
      return std::to_string(n) + (n == 1 ? " window step" : " window steps");
    };
    return core::Status::error("the saved state has " + steps(num_windows) +
                               " but this pipeline has " + steps(windows_.size()) + ": '" +
                               describe() + "'");
  }
  // Into fresh windows, so that a failure halfway leaves every window as it was.
  std::vector<WindowOperator> loaded;
  loaded.reserve(windows_.size());
  for (std::size_t i = 0; i < windows_.size(); ++i) {
    loaded.emplace_back(windows_[i].spec(), *space_);
    const core::Status status = loaded.back().load(in);
    if (!status.is_ok())
      return core::Status::error("window step " + std::to_string(i + 1) + " of " +
                                 std::to_string(windows_.size()) + " (" +
                                 windows_[i].spec().expression() + "): " + status.message());
  }
  windows_.swap(loaded);
  return core::Status::ok();
}

std::string FeatureStage::describe() const {
  std::string text;
  for (const WindowOperator& window : windows_)
    text += (text.empty() ? "" : " | ") + window.spec().expression();
  return text;
}

}  // namespace streamlearn::stream::features
