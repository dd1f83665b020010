#pragma once

/// OneHotEncoder (`one_hot`): turns numeric codes into categories. Each numeric feature named in
/// `cols` (every numeric feature when cols is omitted) is replaced by the categorical feature of
/// the same name whose value is the number's shortest round-trip text (std::to_chars: 94110 ->
/// "94110", 2.5 -> "2.5", -0 -> "0"), so a numeric model sees the indicator `zip=94110` with value
/// 1 (core::for_each_numeric). Categorical features are one-hot already and pass through, as do
/// unlisted numeric features. Stateless: learn_one does nothing. River's preprocessing.
/// OneHotEncoder does the same for every feature, naming the indicator `zip_94110`.
///
/// The values and indicators are interned in the pipeline's FeatureSpace the first time a
/// (feature, number) pair is seen and cached here, so steady state is one hash look-up per listed
/// feature and allocates nothing. The cache is not state: a clone or a loaded encoder asks the same
/// FeatureSpace again and gets the same ids, so save() writes only a version.
///
/// Cost: O(features in x) per transform_one; memory one cache entry (about 40 bytes) per distinct
/// (feature, number) pair. Not thread-safe: transform_one fills the cache and the FeatureSpace.
///
///     OneHotEncoder one_hot({.cols = {"zip"}}, &features);
///     one_hot.transform_one(x, out);  // zip=94110 (numeric) -> categorical zip = "94110"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/preprocessing/feature_selection.h"

namespace streamlearn::learners {

class OneHotEncoder final : public Transformer {
 public:
  struct Params {
    std::vector<std::string> cols;  // the numeric features to encode; empty: every numeric one
    bool operator==(const Params&) const = default;
  };

  /// `features` is the pipeline's FeatureSpace (not null), where the values are interned.
  OneHotEncoder(Params params, core::FeatureSpace* features);
  /// Registry factory: reads cols.
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
  struct Key {
    core::FeatureId feature;
    std::uint64_t bits;  // of the number, -0 made +0
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const noexcept;
  };
  struct Category {
    core::SymbolId value;
    core::FeatureId indicator;
  };

  Params params_;
  core::FeatureSpace* features_;
  FeatureSelection cols_;
  mutable std::unordered_map<Key, Category, KeyHash> cache_;
};

}  // namespace streamlearn::learners
