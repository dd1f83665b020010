#pragma once

/// PrequentialEvaluator: test-then-train evaluation, exactly as River's
/// `evaluate.progressive_val_score`. For every labelled event: predict (predict_proba_one for
/// classifiers), score the prediction unless it is empty (an untrained model), then learn.
/// Unlabelled events are predicted only. Metrics are kept cumulatively and, optionally, over the
/// last N scored events.
///
/// process() is the composition of two steps, public for pipelines whose labels come late:
/// predict(event) counts the event and returns what the model said (a Prediction, which the caller
/// may copy and keep); learn(x, prediction, label) scores that prediction against the label once
/// it is known and learns x. Delayed labels as River's `progressive_val_score(..., delay=N)`:
/// process_delayed() with a LabelDelayQueue, then reveal_pending() at the end of the stream.
///
/// Optionally a ModelMonitor watches the run (continued evaluation): the features of every event,
/// the predictions, the labels, and the outcome of every scored event (0/1 error or |error|, log
/// loss, squared error). When its concept-drift monitor fires an alert, `on_drift` decides:
///   - none: the alert only;
///   - reset: a fresh model (same params) replaces the current one;
///   - background: at the start of every warning episode of the detector a fresh background
///     model starts (replacing an older one) and learns every labelled event alongside the
///     current one; at the drift alert it is swapped in (a fresh model when the detector has no
///     warning zone or none came), as River's DriftRetrainingClassifier and ARF do.
/// A replacement increments the model version, restarts the monitors' reference windows, and the
/// alert says what was done. The event that triggered it is learned by the new model. Other
/// replacements (a promoted challenger, a rolled back version) go through replace_model(); every
/// replacement is told to the version listener (on_version_change: a model registry).
///
/// Optionally a Challenger runs in shadow mode (challenge_with): it predicts every event beside
/// the serving model (its prediction is kept in the Prediction, never published), is scored with
/// the same label and learns it. When it beats the serving model by its margin over its window
/// (auto_promote), or when promote_challenger() is called, it is promoted: a new version (reason
/// "promotion"), an alert of kind `promotion` through the monitor's sinks, and the former serving
/// model goes on as the challenger. Without a challenger the per-event cost is one null test.
///
/// save()/load() carry the evaluation across a checkpoint: restored into an evaluator built the
/// same way (the model from the same expression, the same Options, a monitor created with the
/// same settings, a challenger with the same settings), the run continues exactly as if it had not
/// stopped. A serving model of another expression than the given one (a promoted challenger) is
/// saved with its expression and rebuilt by the ModelFactory (build_models_with).
/// Allocation-free per event in steady state. Not thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "learners/learner.h"
#include "monitors/metrics/classification_metrics.h"
#include "monitors/metrics/regression_metrics.h"
#include "stream/challenger.h"
#include "stream/event.h"
#include "stream/features/feature_stage.h"
#include "stream/label_delay_queue.h"
#include "stream/model_monitor.h"
#include "stream/prediction.h"

namespace streamlearn::stream {

enum class OnDrift : std::uint8_t { kNone, kReset, kBackground };
std::string_view on_drift_name(OnDrift on_drift);
/// "none", "reset" or "background"; the error lists them.
core::Result<OnDrift> parse_on_drift(std::string_view text);

class PrequentialEvaluator {
 public:
  struct Options {
    std::size_t rolling_window = 0;  // 0: no rolling metrics
    OnDrift on_drift = OnDrift::kNone;
  };

  /// `model` is evaluated in place until the first replacement; it must outlive the evaluator.
  PrequentialEvaluator(learners::Learner& model, Options options);

  /// Gives every label, once known, to the stage's target aggregates (target_agg), with the
  /// features and time of its event; the stage must outlive the evaluator.
  void give_labels_to(features::FeatureStage* stage) { label_features_ = stage; }

  /// Watches the run with `monitor` from now on.
  void monitor_with(std::unique_ptr<ModelMonitor> monitor) { monitor_ = std::move(monitor); }

  /// A new model version begins: what replaced what, why, and when.
  struct VersionChange {
    std::uint64_t version = 0;  // serving from now on
    std::string_view reason;    // "reset", "swap" (on_drift), or replace_model's reason
    std::uint64_t events = 0;   // events predicted before it began
    const learners::Learner& retired;  // served until now; dropped once the listener returns
    const learners::Learner& serving;
  };
  /// Called at every replacement, after the new model serves and before the retired one is
  /// dropped (so that a registry can keep a snapshot of it).
  void on_version_change(std::function<void(const VersionChange&)> listener) {
    version_listener_ = std::move(listener);
  }
  /// Replaces the serving model by `model` (a promoted challenger, a rolled back snapshot): a new
  /// version, for `reason`. A background model in training is dropped (it learned for the model
  /// replaced) and the monitors' references restart. `model` must be of the given one's task, and
  /// of its expression unless a ModelFactory was given (load() rebuilds it from its expression).
  void replace_model(std::unique_ptr<learners::Learner> model, std::string_view reason);

  /// How load() builds a serving model (or challenger) of another expression than the given one.
  void build_models_with(ModelFactory factory) { model_factory_ = std::move(factory); }
  /// Runs `challenger` in shadow mode from now on (its model of the given model's task).
  void challenge_with(std::unique_ptr<Challenger> challenger);
  const Challenger* challenger() const { return challenger_.get(); }
  /// Promotes the challenger now, whatever the comparison says (an operator's decision): a new
  /// version, the alert, the roles swap. An error when there is no challenger.
  [[nodiscard]] core::Status promote_challenger();

  /// Predicts, scores and learns one event: predict(event), then learn() if it is labelled.
  void process(const Event& event);

  /// Counts the event, lets the monitor observe its features and the prediction, and returns the
  /// prediction. The reference is to an internal buffer, valid until the next predict(); copy it
  /// to keep it.
  const Prediction& predict(const Event& event);
  /// The label of a predicted event is known: scores `prediction` unless it is empty (metrics,
  /// the monitor's outcome, and the on_drift action when the concept-drift monitor fires, all at
  /// the predicted event's position and time), lets the monitor observe the label, and learns x
  /// (with the background model, if one is training). With no label it does nothing.
  /// `prediction` may be predict()'s own buffer or a copy kept since.
  void learn(const core::FeatureVector& x, const Prediction& prediction, const core::Target& label);

  /// One event of a run whose labels are revealed `pending.delay_events()` events late: reveals
  /// (learn()) every pending label due before this event, predicts it, and queues it if labelled.
  /// An unlabelled event is predicted and never learned.
  void process_delayed(const Event& event, LabelDelayQueue& pending);
  /// The end of a delayed run: reveals every pending label, in arrival order.
  void reveal_pending(LabelDelayQueue& pending);

  /// The model serving now (the one given, or its latest replacement).
  learners::Learner& model() { return *model_; }
  const learners::Learner& model() const { return *model_; }
  const ModelMonitor* monitor() const { return monitor_.get(); }
  std::uint64_t model_version() const { return model_version_; }
  bool training_background_model() const { return background_ != nullptr; }
  /// Where the background model being trained started (the event that began the warning).
  std::uint64_t background_started_at() const { return background_started_at_; }

  std::uint64_t events() const { return events_; }
  std::uint64_t scored() const { return scored_; }
  std::uint64_t learned() const { return learned_; }
  bool classification() const { return classification_; }

  /// Metric name/value pairs in a fixed order: cumulative ones first, then `rolling_<name>`.
  void report(std::vector<std::pair<std::string, double>>& out) const;

  /// Saves the state for a checkpoint: the model serving (Learner::save) and whether it replaced
  /// the one given (then its expression), the background model and where it started, the model
  /// version, the metrics (cumulative and rolling, with their windows), the counters, the
  /// challenger and the monitor's state. Not the
  /// model given once a replacement serves (it no longer changes), nor the target aggregates of
  /// give_labels_to (the FeatureStage saves its own), nor sinks.
  void save(core::StateWriter& out) const;
  /// Restores what save() wrote. The evaluator must be built as the saved one was (a model from
  /// the same expression, the same Options, a monitor with the same settings, restored after the
  /// FeatureSpace it names features from), else an error says what changed; a replacement model
  /// is a clone of the given one, or built by the ModelFactory when the saved one is of another
  /// expression (a promoted challenger), then loaded. Version-1 states (before challengers) load
  /// too. On failure the evaluator and its models are unchanged.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  // The bodies of predict() and learn(), inlined into them and into process(), the hot path of
  // `evaluate`, so that process() costs what one function did.
  const Prediction& predict_event(const Event& event);
  void learn_label(const core::FeatureVector& x, const Prediction& prediction,
                   const core::Target& y);
  void monitor_outcome(const ModelMonitor::Outcome& outcome, std::uint64_t position,
                       std::int64_t time_ms);
  /// Makes `model` the serving one as version model_version_ + 1 and tells the listener; returns
  /// the retired model when this evaluator owned it (null when it was the given one).
  std::unique_ptr<learners::Learner> serve(std::unique_ptr<learners::Learner> model,
                                           std::string_view reason);
  /// Promotes the challenger, the label of the event at `position` deciding (or an operator).
  void promote(std::uint64_t position, std::int64_t time_ms, bool manual);

  learners::Learner* given_model_;
  learners::Learner* model_;  // given_model_ or replacement_
  std::unique_ptr<learners::Learner> replacement_;
  std::unique_ptr<learners::Learner> background_;
  OnDrift on_drift_;
  std::uint64_t background_started_at_ = 0;
  std::uint64_t model_version_ = 1;
  bool classification_;
  monitors::ClassificationMetrics classification_metrics_;
  monitors::ClassificationMetrics rolling_classification_metrics_;
  monitors::RegressionMetrics regression_metrics_;
  monitors::RegressionMetrics rolling_regression_metrics_;
  std::size_t rolling_window_;
  bool rolling_;
  std::unique_ptr<ModelMonitor> monitor_;
  features::FeatureStage* label_features_ = nullptr;
  std::function<void(const VersionChange&)> version_listener_;
  ModelFactory model_factory_;
  std::unique_ptr<Challenger> challenger_;
  Prediction prediction_;
  std::uint64_t events_ = 0;
  std::uint64_t scored_ = 0;
  std::uint64_t learned_ = 0;
};

}  // namespace streamlearn::stream
