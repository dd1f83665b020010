#pragma once

/// SignedLog1p (`log1p`): maps every numeric feature, or each one named in `cols`, to
/// sign(x) * log1p(|x|), which is log1p(x) for x >= 0, odd, monotonic and finite for every finite x
/// (at most 709.79 in magnitude), so heavy-tailed amounts become roughly additive. Stateless:
/// learn_one does nothing. Categorical features and unlisted numeric features pass through
/// unchanged. River writes it as compose.FuncTransformer(math.log1p), which fails for x <= -1.
///
/// Cost: O(features in x) time per transform_one, nothing allocated per event in steady state; no
/// state. transform_one writes nothing but `out`, so one instance may serve several threads.
///
///     SignedLog1p log1p({});
///     log1p.transform_one(x, out);  // 0 -> 0, 9 -> log(10), -9 -> -log(10)

#include <string>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/preprocessing/feature_selection.h"

namespace streamlearn::learners {

class SignedLog1p final : public Transformer {
 public:
  struct Params {
    std::vector<std::string> cols;  // the features to transform; empty: every numeric feature
    bool operator==(const Params&) const = default;
  };

  /// `features` (the pipeline's FeatureSpace) resolves cols; it may be null when cols is empty.
  explicit SignedLog1p(Params params, core::FeatureSpace* features = nullptr);
  /// Registry factory: reads cols.
  static std::unique_ptr<Transformer> create(core::ParamReader& reader,
                                             core::FeatureSpace* features);

  const Params& params() const { return params_; }
  /// sign(x) * log1p(|x|).
  static double apply(double x);

  std::string describe() const override;
  std::unique_ptr<Transformer> clone() const override;

  void learn_one(const FeatureVector& x) override { (void)x; }
  void transform_one(const FeatureVector& x, FeatureVector& out) const override;
  void learn_transform_one(const FeatureVector& x, FeatureVector& out) override {
    transform_one(x, out);
  }

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  Params params_;
  core::FeatureSpace* features_;
  FeatureSelection cols_;
};

}  // namespace streamlearn::learners
