#pragma once

/// FeatureCrosser (`cross`): adds one feature that crosses the features named in `cols` (two or
/// more), Vowpal Wabbit's interactions. Each listed feature contributes a factor: a numeric
/// feature `amount` its value, under its name; a categorical feature its indicator `country=FR`
/// with value 1. The cross is the numeric feature named by the factors' names joined with `*`, in
/// the order of cols, with the product of their values: crossing categorical country and numeric
/// amount gives `country=FR*amount` = amount, two categoricals give `a=x*b=y` = 1. The original
/// features are kept. If any listed feature is missing from an event, no cross is added; if one
/// is listed twice in an event, its first occurrence counts. A product beyond the double range is
/// clamped to the largest finite double (a zero factor gives 0). Stateless: learn_one does
/// nothing. River's nearest is feature_extraction.PolynomialExtender (numeric products of every
/// pair).
///
/// The cross of each combination of factors is interned in the pipeline's FeatureSpace on first
/// sight and cached here (a trie keyed by factor ids), so steady state is one hash look-up per
/// listed feature and allocates nothing. The cache is not state: a clone or a loaded crosser asks
/// the same FeatureSpace again and gets the same ids, so save() writes only a version.
///
/// Cost: O(features in x + cols) per transform_one; memory one map entry per (prefix of a)
/// combination seen. Not thread-safe: transform_one fills the cache and the FeatureSpace.
///
///     FeatureCrosser cross({.cols = {"country", "amount"}}, &features);
///     cross.transform_one(x, out);  // x plus numeric `country=FR*amount` = amount

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/preprocessing/feature_selection.h"

namespace streamlearn::learners {

class FeatureCrosser final : public Transformer {
 public:
  struct Params {
    std::vector<std::string> cols;  // the features to cross, two or more (required)
    bool operator==(const Params&) const = default;
  };

  /// `features` is the pipeline's FeatureSpace (not null), where the crosses are interned.
  FeatureCrosser(Params params, core::FeatureSpace* features);
  /// Registry factory: reads cols (two or more).
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
  /// The cross feature of the factors in factor_ids_ (all found).
  core::FeatureId cross_of_factors() const;

  Params params_;
  core::FeatureSpace* features_;
  FeatureSelection cols_;
  // The trie: (node << 32 | factor id) -> the child node, or at the last factor the cross's
  // FeatureId. Node 0 is the root.
  mutable std::unordered_map<std::uint64_t, std::uint32_t> children_;
  mutable std::uint32_t nodes_ = 1;
  // Per-event scratch, by position in cols.
  mutable std::vector<core::FeatureId> factor_ids_;
  mutable std::vector<double> factor_values_;
  mutable std::vector<std::uint8_t> found_;
};

}  // namespace streamlearn::learners
