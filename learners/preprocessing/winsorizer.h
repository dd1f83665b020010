#pragma once

/// Winsorizer (`winsorize`): clips each numeric feature, or each one named in `cols`, to its own
/// running lower and upper quantiles (by default the 1st and 99th percentiles), which learn_one
/// estimates with two P² estimators per feature (P2Quantile, River's stats.Quantile). Before a
/// feature has been learned its values pass through unchanged; during its first five values the
/// bounds are River's early estimates (sorted observations, see P2Quantile). Should rounding ever
/// make the two estimates cross, the value is clipped to the interval between them. Categorical
/// features and unlisted numeric features pass through unchanged. No River transformer does this;
/// the estimator is River's.
///
/// Cost: O(features in x) time per learn_one and transform_one (five markers per estimate),
/// nothing allocated per event in steady state; 276 bytes per learned feature plus 4 bytes per
/// FeatureId up to the largest learned one. Not thread-safe.
/// Reference: R. Jain and I. Chlamtac, "The P² algorithm for dynamic calculation of quantiles and
/// histograms without storing observations", Communications of the ACM 28(10), 1985.
///
///     Winsorizer winsorize({.lower = 0.05, .upper = 0.95, .cols = {}});
///     winsorize.learn_one(x);
///     winsorize.transform_one(x, clipped);

#include <string>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/preprocessing/feature_selection.h"
#include "learners/preprocessing/p2_quantile.h"

namespace streamlearn::learners {

class Winsorizer final : public Transformer {
 public:
  struct Params {
    double lower = 0.01;            // the quantile clipped below, in (0, upper)
    double upper = 0.99;            // the quantile clipped above, in (lower, 1)
    std::vector<std::string> cols;  // the features to clip; empty: every numeric feature
    bool operator==(const Params&) const = default;
  };

  /// `features` (the pipeline's FeatureSpace) resolves cols; it may be null when cols is empty.
  explicit Winsorizer(Params params, core::FeatureSpace* features = nullptr);
  /// Registry factory: reads lower, upper and cols; requires 0 < lower < upper < 1.
  static std::unique_ptr<Transformer> create(core::ParamReader& reader,
                                             core::FeatureSpace* features);

  const Params& params() const { return params_; }
  /// The estimators of one feature, or null when it has not been learned.
  const P2Quantile* lower_quantile(core::FeatureId id) const;
  const P2Quantile* upper_quantile(core::FeatureId id) const;

  std::string describe() const override;
  std::unique_ptr<Transformer> clone() const override;

  void learn_one(const FeatureVector& x) override;
  void transform_one(const FeatureVector& x, FeatureVector& out) const override;

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  struct Bounds {
    P2Quantile lower;
    P2Quantile upper;
  };
  static constexpr std::uint32_t kUnlearned = 0;

  Params params_;
  core::FeatureSpace* features_;
  FeatureSelection cols_;
  std::vector<std::uint32_t> slot_by_id_;  // by FeatureId: 0, or the index in bounds_ + 1
  std::vector<Bounds> bounds_;             // in the order features were first learned
};

}  // namespace streamlearn::learners
