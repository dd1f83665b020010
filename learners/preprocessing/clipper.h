#pragma once

/// Clipper (`clip`): clamps every numeric feature, or only those named in `cols`, to the fixed
/// interval [min, max]. Stateless: learn_one does nothing. Categorical features and unlisted
/// numeric features pass through unchanged. No River equivalent (River writes it as a
/// compose.FuncTransformer).
///
/// Cost: O(features in x) time per transform_one, nothing allocated per event in steady state; no
/// state. transform_one writes nothing but `out`, so one instance may serve several threads.
///
///     Clipper clip({.min = 0, .max = 100, .cols = {}});
///     clip.transform_one(x, clipped);  // -5 -> 0, 250 -> 100

#include <limits>
#include <string>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/preprocessing/feature_selection.h"

namespace streamlearn::learners {

class Clipper final : public Transformer {
 public:
  struct Params {
    double min = -std::numeric_limits<double>::infinity();  // lower bound, at most max
    double max = std::numeric_limits<double>::infinity();   // upper bound
    std::vector<std::string> cols;  // the features to clip; empty: every numeric feature
    bool operator==(const Params&) const = default;
  };

  /// `features` (the pipeline's FeatureSpace) resolves cols; it may be null when cols is empty.
  explicit Clipper(Params params, core::FeatureSpace* features = nullptr);
  /// Registry factory: reads min, max and cols; rejects min > max.
  static std::unique_ptr<Transformer> create(core::ParamReader& reader,
                                             core::FeatureSpace* features);

  const Params& params() const { return params_; }

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
