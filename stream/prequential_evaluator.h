#pragma once

/// PrequentialEvaluator: test-then-train evaluation, exactly as River's
/// `evaluate.progressive_val_score`. For every labelled event: predict (predict_proba_one for
/// classifiers), score the prediction unless it is empty (an untrained model), then learn.
/// Unlabelled events are predicted only. Metrics are kept cumulatively and, optionally, over the
/// last N scored events. Optionally, a concept-drift detector watches the model's own error stream
/// (continued evaluation): 0/1 for a wrong/right class, the absolute error for regression, one
/// value per scored event. Allocation-free per event in steady state. Not thread-safe.

#include <cstdint>
#include <memory>

#include "learners/learner.h"
#include "monitors/drift/drift_detector.h"
#include "monitors/metrics/classification_metrics.h"
#include "monitors/metrics/regression_metrics.h"
#include "stream/event.h"

namespace streamlearn::stream {

class PrequentialEvaluator {
 public:
  struct Options {
    std::size_t rolling_window = 0;  // 0: no rolling metrics
  };

  PrequentialEvaluator(learners::Learner& model, Options options);

  /// Feeds the error of every scored event to `detector` from now on.
  void monitor_errors_with(std::unique_ptr<monitors::DriftDetector> detector) {
    detector_ = std::move(detector);
  }

  /// Predicts, scores and learns one event.
  void process(const Event& event);

  /// 0-based positions (among processed events) of the events whose error made the detector flag
  /// drift; and how many flagged a warning.
  const std::vector<std::uint64_t>& drift_positions() const { return drift_positions_; }
  std::uint64_t warnings() const { return warnings_; }
  const monitors::DriftDetector* drift_detector() const { return detector_.get(); }

  std::uint64_t events() const { return events_; }
  std::uint64_t scored() const { return scored_; }
  std::uint64_t learned() const { return learned_; }
  bool classification() const { return classification_; }

  /// Metric name/value pairs in a fixed order: cumulative ones first, then `rolling_<name>`.
  void report(std::vector<std::pair<std::string, double>>& out) const;

 private:
  void monitor_error(double error);

  learners::Learner& model_;
  bool classification_;
  monitors::ClassificationMetrics classification_metrics_;
  monitors::ClassificationMetrics rolling_classification_metrics_;
  monitors::RegressionMetrics regression_metrics_;
  monitors::RegressionMetrics rolling_regression_metrics_;
  bool rolling_;
  std::unique_ptr<monitors::DriftDetector> detector_;
  std::vector<std::uint64_t> drift_positions_;
  std::uint64_t warnings_ = 0;
  core::ClassProbabilities proba_;
  std::uint64_t events_ = 0;
  std::uint64_t scored_ = 0;
  std::uint64_t learned_ = 0;
};

}  // namespace streamlearn::stream
