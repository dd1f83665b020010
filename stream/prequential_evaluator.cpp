#include "stream/prequential_evaluator.h"

#include <cmath>
#include <string>

#include "core/check.h"
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

namespace {

// ClassificationObservation::from(y_true, prediction.proba), but with the predicted class that
// predict() found already (the first arg-max): the hot path computes the arg-max once.
monitors::ClassificationObservation observe(core::ClassId y_true, const Prediction& prediction) {
  SL_DCHECK(prediction.value.is_class() && !prediction.proba.empty());
  SL_DCHECK(prediction.value.class_id == prediction.proba.argmax());
  const core::ClassProbabilities& proba = prediction.proba;
  monitors::ClassificationObservation observation;
  observation.y_true = y_true;
  observation.y_pred = prediction.value.class_id;
  observation.p_positive = proba.get(core::ClassSet::kPositive);
  observation.p_true = proba.get(y_true);
  observation.true_class_known = y_true < proba.size();
  return observation;
}

}  // namespace

PrequentialEvaluator::PrequentialEvaluator(learners::Learner& model, Options options)
    : given_model_(&model),
      model_(&model),
      on_drift_(options.on_drift),
      classification_(model.task() == learners::Task::kClassification),
      classification_metrics_(0),
      rolling_classification_metrics_(options.rolling_window),
      regression_metrics_(0),
      rolling_regression_metrics_(options.rolling_window),
      rolling_window_(options.rolling_window),
      rolling_(options.rolling_window > 0) {}

[[gnu::always_inline]] inline const Prediction& PrequentialEvaluator::predict_event(
    const Event& event) {
  Prediction& prediction = prediction_;
  prediction.position = events_++;
  prediction.time_ms = event.event_time_ms;
  prediction.model_version = model_version_;
  if (monitor_) monitor_->observe_features(event.features, prediction.position, prediction.time_ms);
  if (classification_) {
    model_->predict_proba_one(event.features, prediction.proba);
    prediction.value = prediction.proba.empty() ? core::Target::none()
                                                : core::Target::of_class(prediction.proba.argmax());
  } else {
    prediction.value = model_->predict_one(event.features);
  }
  if (challenger_) challenger_->predict(event.features, prediction);
  if (monitor_ && prediction.value.has_value())
    monitor_->observe_prediction(prediction.value, prediction.position, prediction.time_ms);
  return prediction;
}

[[gnu::always_inline]] inline void PrequentialEvaluator::learn_label(const core::FeatureVector& x,
                                                                     const Prediction& prediction,
                                                                     const core::Target& y) {
  const std::uint64_t position = prediction.position;
  const std::int64_t time_ms = prediction.time_ms;
  // Before the serving model's own scoring, whose drift action may start a new version.
  if (challenger_) challenger_->score(prediction, y, model_version_);
  if (classification_) {
    if (y.is_class() && !prediction.empty()) {
      // One observation for every consumer: the metrics and the monitor's outcome.
      const monitors::ClassificationObservation observation = observe(y.class_id, prediction);
      classification_metrics_.update(observation);
      if (rolling_) rolling_classification_metrics_.update(observation);
      ++scored_;
      if (monitor_) {
        // A logarithm per event, only when a performance monitor watches the log loss.
        monitor_outcome(
            {.error = observation.y_pred == y.class_id ? 0.0 : 1.0,
             .log_loss =
                 monitor_->needs_log_loss() ? monitors::LogLoss::cross_entropy(observation) : 0.0},
            position, time_ms);
      }
    }
  } else if (y.kind == core::Target::Kind::kValue && !prediction.empty()) {
    regression_metrics_.update(y.value, prediction.value.value);
    if (rolling_) rolling_regression_metrics_.update(y.value, prediction.value.value);
    ++scored_;
    if (monitor_) {
      const double error = y.value - prediction.value.value;
      monitor_outcome({.error = std::abs(error), .squared_error = error * error}, position,
                      time_ms);
    }
  }
  if (y.has_value()) {
    if (monitor_) monitor_->observe_label(y, position, time_ms);
    if (label_features_) label_features_->learn_label(x, time_ms, y);
    model_->learn_one(x, y);
    if (background_) background_->learn_one(x, y);
    if (challenger_) challenger_->learn(x, y);
    ++learned_;
  }
  if (challenger_ && challenger_->should_promote()) promote(position, time_ms, false);
}

void PrequentialEvaluator::process(const Event& event) {
  const Prediction& prediction = predict_event(event);
  if (event.label.has_value()) learn_label(event.features, prediction, event.label);
}

const Prediction& PrequentialEvaluator::predict(const Event& event) { return predict_event(event); }

void PrequentialEvaluator::learn(const core::FeatureVector& x, const Prediction& prediction,
                                 const core::Target& label) {
  learn_label(x, prediction, label);
}

void PrequentialEvaluator::process_delayed(const Event& event, LabelDelayQueue& pending) {
  // events_ is the position the event is about to get. A full queue has its oldest label due
  // already, unless it was restored from a checkpoint that does not match this evaluator: revealing
  // it then keeps the queue within its bound instead of failing its check.
  while (pending.front_due(events_) || pending.full()) {
    const LabelDelayQueue::Pending& due = pending.front();
    learn_label(due.features, due.prediction, due.label);
    pending.pop();
  }
  const Prediction& prediction = predict_event(event);
  if (event.label.has_value()) pending.push(event.features, event.label, prediction);
}

void PrequentialEvaluator::reveal_pending(LabelDelayQueue& pending) {
  while (!pending.empty()) {
    const LabelDelayQueue::Pending& due = pending.front();
    learn_label(due.features, due.prediction, due.label);
    pending.pop();
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
  monitor_->publish_concept_alert(swap ? "swap" : "reset", model_version_ + 1);
  serve(swap ? std::move(background_) : model_->clone(), swap ? "swap" : "reset");
}

void PrequentialEvaluator::replace_model(std::unique_ptr<learners::Learner> model,
                                         std::string_view reason) {
  SL_CHECK(model != nullptr && model->task() == given_model_->task() &&
           (model_factory_ || model->describe() == given_model_->describe()));
  background_.reset();
  serve(std::move(model), reason);
}

namespace {

// A model with the same expression and state (clone, then the state through save and load).
std::unique_ptr<learners::Learner> copy_of(const learners::Learner& model) {
  std::unique_ptr<learners::Learner> copy = model.clone();
  core::StateWriter state;
  model.save(state);
  core::StateReader reader(state.bytes());
  const core::Status loaded = copy->load(reader);
  SL_CHECK(loaded.is_ok());
  return copy;
}

}  // namespace

void PrequentialEvaluator::challenge_with(std::unique_ptr<Challenger> challenger) {
  SL_CHECK(challenger != nullptr && challenger->model().task() == given_model_->task());
  challenger_ = std::move(challenger);
}

core::Status PrequentialEvaluator::promote_challenger() {
  if (!challenger_) return core::Status::error("no challenger is configured");
  promote(prediction_.position, events_ > 0 ? prediction_.time_ms : Event::kNoTime, true);
  return core::Status::ok();
}

void PrequentialEvaluator::promote(std::uint64_t position, std::int64_t time_ms, bool manual) {
  if (monitor_) {
    monitors::Alert alert =
        challenger_->promotion_alert(position, time_ms, model_version_ + 1, events_, manual);
    monitor_->publish_promotion_alert(alert);
  }
  // The serving model goes on as the challenger: this evaluator's own, or a copy of the given
  // one (the caller holds that). model_ stays valid for the listener either way.
  std::unique_ptr<learners::Learner> former =
      replacement_ ? std::move(replacement_) : copy_of(*given_model_);
  std::unique_ptr<learners::Learner> promoted = challenger_->swap(std::move(former));
  background_.reset();
  serve(std::move(promoted), "promotion");
}

std::unique_ptr<learners::Learner> PrequentialEvaluator::serve(
    std::unique_ptr<learners::Learner> model, std::string_view reason) {
  std::unique_ptr<learners::Learner> retired = std::move(replacement_);
  const learners::Learner& retired_model = *model_;
  replacement_ = std::move(model);
  model_ = replacement_.get();
  ++model_version_;
  if (monitor_) monitor_->model_replaced(model_version_);
  if (version_listener_)
    version_listener_({.version = model_version_,
                       .reason = reason,
                       .events = events_,
                       .retired = retired_model,
                       .serving = *model_});
  if (challenger_) challenger_->restart();
  return retired;
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

namespace {

// 2: the serving model's expression when it replaced the given one, and the challenger. 1 is
// still read (a replacement there is always of the given expression; no challenger).
constexpr std::uint32_t kStateVersion = 2;

std::string configuration_changed(const std::string& what) {
  return "evaluator: " + what +
         ": the configuration changed since the checkpoint was saved; restore it with the same "
         "configuration, or start without it";
}

}  // namespace

void PrequentialEvaluator::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  // How the evaluator was built, so that load() tells a changed configuration from corruption.
  out.write_bool(classification_);
  out.write<std::uint64_t>(rolling_window_);
  out.write(static_cast<std::uint8_t>(on_drift_));
  out.write_string(given_model_->describe());
  out.write_bool(monitor_ != nullptr);
  out.write_bool(challenger_ != nullptr);

  out.write(events_);
  out.write(scored_);
  out.write(learned_);
  out.write(model_version_);
  out.write_bool(replacement_ != nullptr);
  if (replacement_) out.write_string(model_->describe());
  model_->save(out);
  out.write_bool(background_ != nullptr);
  if (background_) {
    out.write(background_started_at_);
    background_->save(out);
  }
  if (classification_) {
    classification_metrics_.save(out);
    if (rolling_) rolling_classification_metrics_.save(out);
  } else {
    regression_metrics_.save(out);
    if (rolling_) rolling_regression_metrics_.save(out);
  }
  if (challenger_) challenger_->save(out);
  if (monitor_) monitor_->save(out);
}

core::Status PrequentialEvaluator::load(core::StateReader& in) {
  constexpr std::string_view kWhat = "evaluator";
  bool classification = false, has_monitor = false, has_challenger = false;
  std::uint64_t rolling_window = 0;
  std::uint8_t on_drift = 0;
  std::uint32_t version = 0;
  std::string model;
  if (!in.read(version) || (version != 1 && version != kStateVersion && !in.fail()) ||
      !in.read_bool(classification) || !in.read(rolling_window) || !in.read(on_drift) ||
      !in.read_string(model) || !in.read_bool(has_monitor) ||
      (version >= 2 && !in.read_bool(has_challenger)))
    return in.status(kWhat);
  if (classification != classification_)
    return core::Status::error(configuration_changed("the task (classification or regression)"));
  if (rolling_window != rolling_window_)
    return core::Status::error(configuration_changed(
        "the rolling window was " + std::to_string(rolling_window) + " events, it is " +
        std::to_string(rolling_window_)));
  if (on_drift > static_cast<std::uint8_t>(OnDrift::kBackground)) {
    in.fail();
    return in.status(kWhat);
  }
  if (on_drift != static_cast<std::uint8_t>(on_drift_))
    return core::Status::error(configuration_changed(
        "on_drift was " + std::string(on_drift_name(static_cast<OnDrift>(on_drift))) +
        ", it is " + std::string(on_drift_name(on_drift_))));
  if (model != given_model_->describe())
    return core::Status::error(configuration_changed("the model was " + model + ", it is " +
                                                     given_model_->describe()));
  if (has_monitor != (monitor_ != nullptr))
    return core::Status::error(configuration_changed(
        has_monitor ? "the run was monitored, this one is not" : "this run is monitored, the "
                                                                 "saved one was not"));
  if (has_challenger != (challenger_ != nullptr))
    return core::Status::error(configuration_changed(
        has_challenger ? "the run had a challenger, this one has none"
                       : "this run has a challenger, the saved one had none"));

  // Everything is loaded beside the current state (models into clones) and swapped in at the
  // end, so that a failure changes nothing.
  std::uint64_t events = 0, scored = 0, learned = 0, model_version = 0;
  bool replaced = false, has_background = false;
  std::uint64_t background_started_at = 0;
  if (!in.read(events) || !in.read(scored) || !in.read(learned) || !in.read(model_version) ||
      !in.read_bool(replaced))
    return in.status(kWhat);
  // Every replacement increments the version, and only a replacement does.
  if (model_version == 0 || replaced != (model_version > 1) || scored > events) {
    in.fail();
    return in.status(kWhat);
  }
  std::string serving_expression = given_model_->describe();
  if (replaced && version >= 2 && !in.read_string(serving_expression)) return in.status(kWhat);
  std::unique_ptr<learners::Learner> serving;
  if (serving_expression == given_model_->describe()) {
    serving = given_model_->clone();
  } else if (model_factory_) {
    auto built = model_factory_(serving_expression);
    if (!built) return core::Status::error("evaluator: " + built.status().message());
    serving = std::move(*built);
    if (serving->task() != given_model_->task()) {
      in.fail();
      return in.status(kWhat);
    }
  } else {
    return core::Status::error("evaluator: the checkpoint serves a model '" + serving_expression +
                               "' and no model factory was given to build it");
  }
  SL_RETURN_IF_ERROR(serving->load(in));
  if (!in.read_bool(has_background)) return in.status(kWhat);
  std::unique_ptr<learners::Learner> background;
  if (has_background) {
    if (on_drift_ != OnDrift::kBackground || !in.read(background_started_at)) {
      in.fail();
      return in.status(kWhat);
    }
    background = serving->clone();  // started as a clone of the serving model
    SL_RETURN_IF_ERROR(background->load(in));
  }
  monitors::ClassificationMetrics classification_metrics = classification_metrics_;
  monitors::ClassificationMetrics rolling_classification_metrics = rolling_classification_metrics_;
  monitors::RegressionMetrics regression_metrics = regression_metrics_;
  monitors::RegressionMetrics rolling_regression_metrics = rolling_regression_metrics_;
  if (classification_) {
    SL_RETURN_IF_ERROR(classification_metrics.load(in));
    if (rolling_) SL_RETURN_IF_ERROR(rolling_classification_metrics.load(in));
  } else {
    SL_RETURN_IF_ERROR(regression_metrics.load(in));
    if (rolling_) SL_RETURN_IF_ERROR(rolling_regression_metrics.load(in));
  }
  std::unique_ptr<Challenger> challenger;
  if (challenger_) {
    challenger = challenger_->unfitted_copy();
    SL_RETURN_IF_ERROR(challenger->load(in, model_factory_));
  }
  // The monitor's load is all-or-nothing too, so it goes last: what follows cannot fail.
  if (monitor_) SL_RETURN_IF_ERROR(monitor_->load(in));

  if (replaced) {
    replacement_ = std::move(serving);
    model_ = replacement_.get();
  } else {
    // The given model serves: it takes the loaded state itself, as the caller holds it. A state
    // that a clone loaded and saved, the model it was cloned from loads too.
    core::StateWriter state;
    serving->save(state);
    core::StateReader reader(state.bytes());
    const core::Status loaded = given_model_->load(reader);
    SL_CHECK(loaded.is_ok());
    replacement_.reset();
    model_ = given_model_;
  }
  background_ = std::move(background);
  if (challenger) challenger_ = std::move(challenger);
  background_started_at_ = background_started_at;
  model_version_ = model_version;
  classification_metrics_ = std::move(classification_metrics);
  rolling_classification_metrics_ = std::move(rolling_classification_metrics);
  regression_metrics_ = std::move(regression_metrics);
  rolling_regression_metrics_ = std::move(rolling_regression_metrics);
  events_ = events;
  scored_ = scored;
  learned_ = learned;
  return core::Status::ok();
}

}  // namespace streamlearn::stream
