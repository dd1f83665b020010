#pragma once

/// Challenger: a second model run in shadow mode beside the serving one (the champion). It sees
/// the same events after the window steps: for every event it predicts when the champion does
/// (PrequentialEvaluator::predict keeps its prediction in Prediction::challenger_*, never
/// published), and when the label is known both predictions are scored on one metric over the
/// last `window` compared events, then it learns, test-then-train exactly as the champion.
///
/// A pair is compared only when both predicted (neither was untrained) and the prediction was made
/// by the version serving now: every new version (a promotion, a reset or swap on drift) restarts
/// the comparison with fresh windows, so that a version is judged on its own predictions only.
/// The challenger beats the champion once both windows are full and its metric is better by more
/// than `margin` (absolute; higher is better for accuracy, roc_auc, f1, precision, recall, r2;
/// lower for log_loss, mae, rmse). The evaluator then promotes it (auto_promote), or an operator
/// does (PrequentialEvaluator::promote_challenger); the roles swap: the former champion goes on
/// learning as the challenger, so that a concept that comes back finds it ready (promotions are
/// at most one per `window` compared events, which bounds flapping).
///
/// Cost per labelled event: one predict and one learn of the challenger's model, and O(10) metric
/// updates; no allocation once the windows are full. Memory: the model plus ~50 bytes per window
/// slot. save()/load() carry the model (by expression: it may be the former champion's), the
/// windows and the counters. Not thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/feature_space.h"
#include "core/feature_vector.h"
#include "core/state_io.h"
#include "core/status.h"
#include "core/target.h"
#include "learners/learner.h"
#include "monitors/alerts/alert.h"
#include "monitors/metrics/classification_metrics.h"
#include "monitors/metrics/regression_metrics.h"
#include "monitors/metrics/rolling_window.h"
#include "stream/prediction.h"

namespace streamlearn::stream {

/// Builds a learner from its expression (Learner::describe()), to restore a model of another
/// expression than the one configured: LearnerRegistry::build in the commands.
using ModelFactory =
    std::function<core::Result<std::unique_ptr<learners::Learner>>(std::string_view)>;

class Challenger {
 public:
  struct Params {
    std::string metric{};       // empty: the task's first metric (accuracy, mae)
    double margin = 0.0;        // absolute: how much better the challenger must be
    std::size_t window = 1000;  // compared events in each window
    bool auto_promote = true;
  };

  /// Every error in params (unknown metric for the task, negative or non-finite margin, window
  /// 0), each prefixed with the name of its setting as `prefix` spells it ("--challenger-" or
  /// "$.challenger.").
  static core::Status validate(const Params& params, bool classification, std::string_view prefix);
  static std::string_view default_metric(bool classification);
  static bool higher_is_better(std::string_view metric);

  /// The challenger of a serving model of task `task`, from a learner expression (no window steps:
  /// the serving model's are shared, the challenger sees the features after them). Every error
  /// at once, one a line, each starting with its setting's name: `model_setting` for the
  /// expression ("--challenger", "$.challenger.model"), `prefix` + the Params field for the rest.
  static core::Result<std::unique_ptr<Challenger>> create(std::string_view expression,
                                                          Params params, learners::Task task,
                                                          core::FeatureSpace& space,
                                                          std::string_view model_setting,
                                                          std::string_view prefix);

  /// `params` must pass validate() for the model's task.
  Challenger(std::unique_ptr<learners::Learner> model, Params params);

  const Params& params() const { return params_; }
  /// The expression the challenger was configured with (its model's may be the champion's after
  /// a promotion).
  const std::string& configured_model() const { return configured_model_; }
  const learners::Learner& model() const { return *model_; }

  /// What the challenger says about x, into prediction.challenger_proba / challenger_value.
  void predict(const core::FeatureVector& x, Prediction& prediction);
  /// Scores both predictions of `prediction` against y, if it was made by `serving_version` and
  /// both could predict.
  void score(const Prediction& prediction, const core::Target& y, std::uint64_t serving_version);
  void learn(const core::FeatureVector& x, const core::Target& y) { model_->learn_one(x, y); }

  /// Whether both windows are full and the challenger is better by more than the margin.
  bool beats_champion() const;
  bool should_promote() const { return params_.auto_promote && beats_champion(); }
  double champion_value() const { return value(champion_classification_, champion_regression_); }
  double challenger_value() const {
    return value(challenger_classification_, challenger_regression_);
  }
  /// Pairs compared since the comparison restarted (the windows hold the last `window`).
  std::uint64_t compared() const { return compared_; }
  std::uint64_t promotions() const { return promotions_; }

  /// The comparison as one JSON object (no newline), for the summaries of evaluate and run and
  /// `GET /challenger`: the challenger's model (the former serving one after a promotion), the
  /// serving model, metric, margin, window, auto_promote, compared, champion_<metric>,
  /// challenger_<metric> (over the last min(compared, window) pairs) and promotions.
  std::string to_json(const learners::Learner& serving) const;

  /// A new version serves: fresh windows.
  void restart();
  /// The alert of a promotion decided now, at the event at `position` (its label completed the
  /// evidence), to version `new_version`.
  monitors::Alert promotion_alert(std::uint64_t position, std::int64_t time_ms,
                                  std::uint64_t new_version, std::uint64_t events,
                                  bool manual) const;
  /// The roles swap: returns the challenger's model and takes `former_champion` in its place; a
  /// promotion is counted and the windows restart.
  std::unique_ptr<learners::Learner> swap(std::unique_ptr<learners::Learner> former_champion);

  /// A challenger configured as this one, with an unfitted model of its current expression and
  /// nothing compared: what load() restores into, beside this one.
  std::unique_ptr<Challenger> unfitted_copy() const;

  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a challenger built with the same expression, metric and
  /// window (else an error says what changed; margin and auto_promote may change). A model of
  /// another expression is built by `factory`. On failure nothing changes.
  [[nodiscard]] core::Status load(core::StateReader& in, const ModelFactory& factory);

 private:
  struct Compared {
    std::uint64_t position = 0;
    std::int64_t time_ms = 0;
  };

  double value(const monitors::ClassificationMetrics& classification,
               const monitors::RegressionMetrics& regression) const;

  std::unique_ptr<learners::Learner> model_;
  Params params_;
  std::string configured_model_;
  bool classification_;
  monitors::ClassificationMetrics champion_classification_;
  monitors::ClassificationMetrics challenger_classification_;
  monitors::RegressionMetrics champion_regression_;
  monitors::RegressionMetrics challenger_regression_;
  monitors::RollingWindow<Compared> positions_;  // of the compared pairs in the windows
  std::uint64_t compared_ = 0;
  std::uint64_t promotions_ = 0;
};

}  // namespace streamlearn::stream
