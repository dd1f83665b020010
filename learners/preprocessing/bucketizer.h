#pragma once

/// Bucketizer (`bucketize`): replaces each numeric feature named in `cols` by a categorical
/// feature of the same name whose value names the bucket the number falls in, given the strictly
/// increasing `edges`: with edges [0, 10, 100] the values are `(-inf,0)`, `[0,10)`, `[10,100)`
/// and `[100,inf)` (edges written in their shortest round-trip form), so a numeric model sees the
/// one-hot indicator `amount=[10,100)`. A value equal to an edge falls in the bucket that edge
/// opens. Stateless: learn_one does nothing. Categorical features and unlisted numeric features
/// pass through unchanged. No River equivalent (River's preprocessing.Binarizer thresholds at one
/// value and stays numeric).
///
/// The bucket values and indicators of every listed feature are interned in the pipeline's
/// FeatureSpace at construction, so transform_one is one binary search per listed feature.
///
/// Cost: O(log edges) per listed feature per transform_one, nothing allocated per event; memory
/// (cols x (edges + 1)) ids. transform_one writes nothing but `out`, so one instance may serve
/// several threads.
///
///     Bucketizer bucketize({.cols = {"amount"}, .edges = {0, 10, 100}}, &features);
///     bucketize.transform_one(x, out);  // amount=42 -> categorical amount = "[10,100)"

#include <string>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/preprocessing/feature_selection.h"

namespace streamlearn::learners {

class Bucketizer final : public Transformer {
 public:
  struct Params {
    std::vector<std::string> cols;  // the numeric features to bucket (required)
    std::vector<double> edges;      // the bucket edges, strictly increasing (at least one)
    bool operator==(const Params&) const = default;
  };

  /// `features` is the pipeline's FeatureSpace (not null), where the buckets are interned.
  Bucketizer(Params params, core::FeatureSpace* features);
  /// Registry factory: reads cols and edges; both are required.
  static std::unique_ptr<Transformer> create(core::ParamReader& reader,
                                             core::FeatureSpace* features);

  const Params& params() const { return params_; }
  /// The text of bucket `index` (0 to edges.size()), e.g. "[0,10)".
  std::string bucket_name(std::size_t index) const;

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
  std::vector<core::SymbolId> values_;       // by bucket
  std::vector<core::FeatureId> indicators_;  // by (position in cols, bucket)
};

}  // namespace streamlearn::learners
