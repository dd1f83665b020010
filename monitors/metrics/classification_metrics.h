#pragma once

/// ClassificationMetrics: the prequential classification metrics of one model, cumulative or over
/// the last `window_size_events` scored events, with River 0.21.1's definitions: accuracy, log loss
/// (binary, or cross-entropy once a third class is seen; see log_loss.h), ROC AUC (River's
/// thresholded approximation, 10 thresholds; see roc_auc.h), and binary F1, precision and recall
/// for the positive class ClassId 1 (see binary_confusion_matrix.h). Every value is 0 before the
/// first scored event, as in River.
///
/// A rolling window is River's utils.Rolling: the same metrics plus a ring buffer of the last N
/// observations; when it is full the oldest is reverted before the new one is added.
///
///     ClassificationMetrics metrics(/*window_size_events=*/1000);
///     metrics.update(y_true, proba);          // after predict_proba_one, before learn_one
///     std::vector<std::pair<std::string_view, double>> values;
///     metrics.report(values);                 // accuracy, log_loss, roc_auc, f1, precision,
///     recall
///
/// Probabilities must be finite: a NaN makes log_loss NaN for good, and reverting it from a
/// window does not undo that (the hot path keeps NaN/Inf out before it gets here).
///
/// Cost per update: O(10) for the ROC thresholds, no allocation once the window is full. Memory:
/// about 500 bytes plus 32 bytes per window slot. Not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/class_probabilities.h"
#include "core/state_io.h"
#include "core/status.h"
#include "monitors/metrics/accuracy.h"
#include "monitors/metrics/binary_confusion_matrix.h"
#include "monitors/metrics/classification_observation.h"
#include "monitors/metrics/log_loss.h"
#include "monitors/metrics/roc_auc.h"
#include "monitors/metrics/rolling_window.h"

namespace streamlearn::monitors {

class ClassificationMetrics {
 public:
  /// The names report() gives, in its order.
  static constexpr std::array<std::string_view, 6> kNames = {"accuracy", "log_loss",  "roc_auc",
                                                             "f1",       "precision", "recall"};

  /// `window_size_events` = 0 keeps cumulative metrics.
  explicit ClassificationMetrics(std::size_t window_size_events = 0);

  std::size_t window_size_events() const { return window_size_events_; }

  /// Scores one event. An empty `proba` (a model that cannot predict yet) is not scored, as River.
  void update(core::ClassId y_true, const core::ClassProbabilities& proba);
  /// Scores an observation built earlier, e.g. kept from prediction time until a late label.
  void update(const ClassificationObservation& observation);

  /// Events scored (in the window, when there is one).
  std::uint64_t count() const { return accuracy_.count(); }
  double accuracy() const { return accuracy_.get(); }
  double log_loss() const { return log_loss_.get(); }
  double roc_auc() const { return roc_auc_.get(); }
  double f1() const { return confusion_.f1(); }
  double precision() const { return confusion_.precision(); }
  double recall() const { return confusion_.recall(); }

  /// Appends (name, value) for every metric, in the order of kNames.
  void report(std::vector<std::pair<std::string_view, double>>& out) const;

  /// Saves the metrics and the window's observations; load() restores them bit for bit into an
  /// object built with the same window size.
  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  void add(const ClassificationObservation& observation);
  void remove(const ClassificationObservation& observation);

  std::size_t window_size_events_;
  Accuracy accuracy_;
  LogLoss log_loss_;
  RocAuc roc_auc_;
  BinaryConfusionMatrix confusion_;
  std::optional<RollingWindow<ClassificationObservation>> window_;  // none when cumulative
};

}  // namespace streamlearn::monitors
