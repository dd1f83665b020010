#pragma once

/// MinMaxScaler: scales each numeric feature to [0, 1] by its running minimum and maximum, a port
/// of River's preprocessing.MinMaxScaler. learn_one updates, for every numeric feature of x, its
/// smallest and largest value so far; transform_one maps a value to (x - min) / (max - min), or to
/// 0 when max == min (River's safe_div), and passes categorical features through unchanged, as
/// StandardScaler does. A value outside the learned range maps outside [0, 1], as in River.
///
/// Differences from River, both where River would produce NaN or Inf, which never reach a model
/// here: a feature never learned maps to 0 (River computes -inf / -inf), and a result beyond the
/// double range (x - min overflowing) is computed on halved operands, then clamped to the largest
/// finite double.
///
/// Cost: O(features in x) time per learn_one and transform_one, nothing allocated per event in
/// steady state; 16 bytes per FeatureId up to the largest learned one. Not thread-safe.
/// Reference: River's preprocessing/scale.py.
///
///     MinMaxScaler scaler({});
///     scaler.learn_one(x);
///     scaler.transform_one(x, scaled);

#include <limits>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"

namespace streamlearn::learners {

class MinMaxScaler final : public Transformer {
 public:
  /// River's MinMaxScaler has no parameters.
  struct Params {
    bool operator==(const Params&) const = default;
  };

  explicit MinMaxScaler(Params params) : params_(params) {}
  /// Registry factory: no parameters.
  static std::unique_ptr<Transformer> create(core::ParamReader& reader);

  const Params& params() const { return params_; }
  /// The running extremes of one feature: +inf and -inf for a feature never learned.
  double min(core::FeatureId id) const {
    return id < ranges_.size() ? ranges_[id].min : std::numeric_limits<double>::infinity();
  }
  double max(core::FeatureId id) const {
    return id < ranges_.size() ? ranges_[id].max : -std::numeric_limits<double>::infinity();
  }

  std::string describe() const override;
  std::unique_ptr<Transformer> clone() const override;

  void learn_one(const FeatureVector& x) override;
  void transform_one(const FeatureVector& x, FeatureVector& out) const override;

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  struct Range {
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
  };

  Params params_;
  std::vector<Range> ranges_;  // by FeatureId
};

}  // namespace streamlearn::learners
