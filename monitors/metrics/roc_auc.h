#pragma once

/// RocAuc: River's metrics.ROCAUC, an approximation of the area under the ROC curve for the
/// positive class (ClassId 1) scored by p_positive. It is NOT the exact (Mann-Whitney) AUC.
///
/// River's algorithm: n_thresholds thresholds t_i = i / (n - 1), the first lowered and the last
/// raised by 1e-7; one binary confusion matrix per threshold, updated with (y is positive,
/// p_positive > t_i). get() turns each matrix into (FPR, TPR), each 0 on zero division, and
/// integrates TPR over FPR with the trapezoidal rule (numpy's trapz, summed in numpy's pairwise
/// order, so the bits match River's). The effect is the exact AUC of scores binned at the
/// thresholds: positive/negative pairs that fall between the same two thresholds count as ties
/// (one half). With the default 10 thresholds the bins are 1/9 wide, so the error grows with how
/// many pairs share a bin; River's own example scores 0.875 where the exact AUC is 0.75.
/// With only one class seen, one rate is 0 everywhere and the AUC is 0, as in River.
///
/// The confusion matrices are not stored: update() counts the observation in the bin of thresholds
/// it exceeds (positives and negatives apart), and get() derives every matrix from cumulative
/// sums of the bins. The counts, and so the result, are those of River's matrices.
///
/// Cost: update and revert are one scan of the n_thresholds thresholds and one increment; get is
/// O(n_thresholds); 16 * (n_thresholds + 1) bytes. Counts are exact integers, so revert and merge
/// are exact. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/class_set.h"
#include "core/state_io.h"
#include "core/status.h"
#include "monitors/metrics/binary_confusion_matrix.h"

namespace streamlearn::monitors {

class RocAuc {
 public:
  struct Params {
    /// River's n_thresholds; at least 2.
    std::size_t n_thresholds = 10;
  };

  RocAuc() : RocAuc(Params{}) {}
  explicit RocAuc(Params params);

  const Params& params() const { return params_; }
  const std::vector<double>& thresholds() const { return thresholds_; }

  void update(core::ClassId y_true, double p_positive);
  /// Removes an observation previously passed to update().
  void revert(core::ClassId y_true, double p_positive);
  /// Both must have the same n_thresholds.
  void merge(const RocAuc& other);

  double get() const;
  std::uint64_t count() const { return count_; }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  /// The number of thresholds that p_positive exceeds: its bin.
  std::size_t bin_of(double p_positive) const;
  /// River's confusion matrix of threshold i, from the bins.
  BinaryConfusionMatrix matrix(std::size_t i) const;

  Params params_;
  std::vector<double> thresholds_;
  // Observations per bin (0..n_thresholds), positives and negatives apart.
  std::vector<std::uint64_t> positives_;
  std::vector<std::uint64_t> negatives_;
  std::uint64_t count_ = 0;
};

}  // namespace streamlearn::monitors
