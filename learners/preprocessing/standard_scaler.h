#pragma once

/// StandardScaler: online standardization, a port of River's preprocessing.StandardScaler
/// (River 0.21.1). learn_one updates, for every numeric feature of x, its count, running mean and
/// running population variance with River's Welford-style formulas; transform_one maps each numeric
/// feature to (x - mean) / std, or to 0 when the std is 0 (River's safe_div), and passes
/// categorical features through unchanged. With with_std=false it only centers: x - mean. A feature
/// never learned has mean 0 and std 0.
///
/// Cost: O(features in x) time per learn_one and transform_one, nothing allocated per event in
/// steady state; O(largest FeatureId) memory. Not thread-safe.
/// Reference: River's preprocessing/scale.py; B. P. Welford, "Note on a method for calculating
/// corrected sums of squares and products", Technometrics, 1962.
///
///     StandardScaler scaler({});
///     scaler.learn_one(x);
///     scaler.transform_one(x, scaled);

#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"

namespace streamlearn::learners {

class StandardScaler final : public Transformer {
 public:
  struct Params {
    bool with_std = true;  // divide by the running standard deviation (else only center)
    bool operator==(const Params&) const = default;
  };

  explicit StandardScaler(Params params) : params_(params) {}
  /// Registry factory: reads with_std.
  static std::unique_ptr<Transformer> create(core::ParamReader& reader);

  const Params& params() const { return params_; }
  /// Running statistics of one feature (all 0 for a feature never learned).
  double count(core::FeatureId id) const { return id < moments_.size() ? moments_[id].count : 0; }
  double mean(core::FeatureId id) const { return id < moments_.size() ? moments_[id].mean : 0; }
  /// The population variance (divisor n), as River's StandardScaler keeps it.
  double variance(core::FeatureId id) const {
    return id < moments_.size() ? moments_[id].variance : 0;
  }

  std::string describe() const override;
  std::unique_ptr<Transformer> clone() const override;

  void learn_one(const FeatureVector& x) override;
  void transform_one(const FeatureVector& x, FeatureVector& out) const override;
  void learn_transform_one(const FeatureVector& x, FeatureVector& out) override;

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  struct Moments {
    double count = 0;
    double mean = 0;
    double variance = 0;
    double std = 0;  // sqrt(variance), kept so that transform_one does no square root
    std::uint64_t last_event = 0;  // for learn_transform_one's duplicate check

    void update(double value, bool with_std);
    double transform(double value, bool with_std) const {
      const double centered = value - mean;
      if (!with_std) return centered;
      return std != 0 ? centered / std : 0.0;
    }
  };

  Params params_;
  std::vector<Moments> moments_;  // by FeatureId
  std::uint64_t events_learned_ = 0;  // by learn_transform_one, for its duplicate check
};

}  // namespace streamlearn::learners
