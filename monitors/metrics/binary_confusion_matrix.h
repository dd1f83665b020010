#pragma once

/// BinaryConfusionMatrix: true/false positives/negatives for one positive class, and River's binary
/// Precision, Recall and F1 from them (metrics.Precision / Recall / F1 with pos_val = the positive
/// class). In a multi-class stream this is one-vs-rest for the positive class.
///
/// River's zero-division conventions: precision = tp / (tp + fp), recall = tp / (tp + fn), each 0
/// when its denominator is 0; F1 = 2 p r / (p + r), 0 when p + r is 0. Counts are exact integers,
/// so update, revert and merge are exact. O(1) time and 32 bytes. Not thread-safe.

#include <cstdint>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::monitors {

class BinaryConfusionMatrix {
 public:
  void update(bool actual_positive, bool predicted_positive) { ++cell(actual_positive, predicted_positive); }
  /// Adds `count` observations of one kind at once.
  void add(bool actual_positive, bool predicted_positive, std::uint64_t count) {
    cell(actual_positive, predicted_positive) += count;
  }
  /// Removes an observation previously passed to update().
  void revert(bool actual_positive, bool predicted_positive);
  void merge(const BinaryConfusionMatrix& other);

  std::uint64_t true_positives() const { return true_positives_; }
  std::uint64_t false_positives() const { return false_positives_; }
  std::uint64_t true_negatives() const { return true_negatives_; }
  std::uint64_t false_negatives() const { return false_negatives_; }
  std::uint64_t count() const {
    return true_positives_ + false_positives_ + true_negatives_ + false_negatives_;
  }

  double precision() const;
  double recall() const;
  /// River's FBeta with beta = 1: (1 + b2) * p * r / (b2 * p + r).
  double f1() const;
  /// True positive rate (recall), 0 without positives; used by RocAuc.
  double true_positive_rate() const { return recall(); }
  /// False positive rate fp / (fp + tn), 0 without negatives; used by RocAuc.
  double false_positive_rate() const;

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  std::uint64_t& cell(bool actual_positive, bool predicted_positive) {
    if (actual_positive) return predicted_positive ? true_positives_ : false_negatives_;
    return predicted_positive ? false_positives_ : true_negatives_;
  }

  std::uint64_t true_positives_ = 0;
  std::uint64_t false_positives_ = 0;
  std::uint64_t true_negatives_ = 0;
  std::uint64_t false_negatives_ = 0;
};

}  // namespace streamlearn::monitors
