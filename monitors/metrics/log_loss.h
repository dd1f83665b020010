#pragma once

/// LogLoss: River's binary metrics.LogLoss while at most two classes have been seen, River's
/// metrics.CrossEntropy once a third class shows up. Both running means are kept, so the switch
/// needs no history; the choice follows every class seen since the start (true or predicted
/// ClassId + 1, never reverted), so a rolling window does not flip definitions as it slides.
///
/// Binary (River's LogLoss): p = clamp(p_positive, 1e-15, 1 - 1e-15); the loss is -log(p) when the
/// true class is the positive one (ClassId 1), else -log(1 - p). So the worst loss of one event is
/// -log(1e-15) = 34.5388 (p_positive = 0, y = 1) or -log(1 - (1 - 1e-15)) = 34.5396 (p_positive =
/// 1, y = 0; 1 - 1e-15 rounds down in binary). Cross-entropy (River's CrossEntropy):
/// -log(clamp(p_true, 1e-15, 1 - 1e-15)); 0 when the model's probability vector does not cover the
/// true class, because River sums over the predicted classes. Both are means over scored events, 0
/// before any (River's stats.Mean).
///
/// O(1) time, 40 bytes. Not thread-safe.

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"
#include "monitors/metrics/classification_observation.h"
#include "monitors/metrics/running_mean.h"

namespace streamlearn::monitors {

class LogLoss {
 public:
  /// The loss River's LogLoss gives one event.
  static double binary_loss(bool positive, double p_positive);
  /// The loss River's CrossEntropy gives one event.
  static double cross_entropy(const ClassificationObservation& observation);
  /// binary_loss and cross_entropy of one observation, computed together.
  struct Terms {
    double binary;
    double cross_entropy;
  };
  static Terms terms(const ClassificationObservation& observation);

  void update(const ClassificationObservation& observation);
  /// Removes an observation previously passed to update().
  void revert(const ClassificationObservation& observation);
  void merge(const LogLoss& other);

  /// The binary log loss while num_classes_seen() <= 2, else the cross-entropy.
  double get() const { return num_classes_seen_ > 2 ? cross_entropy_mean() : binary_mean(); }
  double binary_mean() const { return binary_.get(); }
  double cross_entropy_mean() const { return cross_entropy_.get(); }
  std::uint64_t num_classes_seen() const { return num_classes_seen_; }
  std::uint64_t count() const { return binary_.count(); }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  RunningMean binary_;
  RunningMean cross_entropy_;
  std::uint64_t num_classes_seen_ = 0;
};

}  // namespace streamlearn::monitors
