#pragma once

/// FeatureHasher (`hash`): the hashing trick of Vowpal Wabbit and River's
/// preprocessing.FeatureHasher. Each feature named in `cols` (every feature when cols is omitted)
/// is removed and its value added into bucket h mod `buckets`, where h is the 64-bit xxHash64 of
/// its name under `seed`: a numeric feature `amount` hashes "amount" and adds its value, a
/// categorical feature hashes its indicator "country=FR" and adds 1. The buckets are numeric
/// features named `hash_<bucket>` (decimal, e.g. `hash_1234`); the values of inputs that collide
/// add up, and a sum beyond the double range is clamped to the largest finite double. Unlisted
/// features pass through unchanged. Stateless: learn_one does nothing. As in River, no sign hash:
/// every value is added with its own sign. River hashes with a salted BLAKE2s into n_features=2^20
/// buckets; here the hash is xxHash64 and the default 2^18 buckets, Vowpal Wabbit's 18 bits.
///
/// xxHash64 (core/xxhash64.h) is computed from its specification over the name's bytes, so a name
/// goes to the same bucket on every machine and in every process.
/// `buckets` is any integer from 1 to 2^32 (`2^18` is accepted); a power of two, the usual choice,
/// takes the hash's low bits, which is the same as h mod buckets.
///
/// The bucket of every input id and the id of every `hash_<bucket>` are cached after their first
/// use, so steady state is two array look-ups per listed feature and allocates nothing. The cache
/// is not state: a clone or a loaded hasher asks the same FeatureSpace again and gets the same ids,
/// so save() writes only a version.
///
/// Cost: O(features in x) per transform_one; memory 4 bytes per input FeatureId plus 4 bytes per
/// output FeatureId and a map entry per bucket used. Not thread-safe: transform_one fills the
/// caches and the FeatureSpace.
///
///     FeatureHasher hasher({.cols = {"country", "device"}, .buckets = 1 << 10, .seed = 0},
///                          &features);
///     hasher.transform_one(x, out);  // country=FR -> hash_<xxh64("country=FR") mod 1024> = 1

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"
#include "learners/preprocessing/feature_selection.h"

namespace streamlearn::learners {

class FeatureHasher final : public Transformer {
 public:
  static constexpr std::int64_t kMaxBuckets = std::int64_t{1} << 32;

  struct Params {
    std::vector<std::string> cols;                 // the features to hash; empty: every feature
    std::int64_t buckets = std::int64_t{1} << 18;  // the number of hash_<bucket> features
    std::uint64_t seed = 0;                        // the xxHash64 seed
    bool operator==(const Params&) const = default;
  };

  /// `features` is the pipeline's FeatureSpace (not null), where the buckets are interned.
  FeatureHasher(Params params, core::FeatureSpace* features);
  /// Registry factory: reads cols, buckets (1 to 2^32) and seed (>= 0).
  static std::unique_ptr<Transformer> create(core::ParamReader& reader,
                                             core::FeatureSpace* features);

  const Params& params() const { return params_; }
  /// The bucket a feature name (or an indicator "name=value") goes to.
  std::uint64_t bucket(std::string_view name) const;

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
  static constexpr core::FeatureId kUnmapped = static_cast<core::FeatureId>(-1);

  /// The hash_<bucket> feature of an input feature (a numeric feature or an indicator).
  core::FeatureId output_of(core::FeatureId input) const;
  /// Adds value into the output feature's entry of out, creating it on first use in this event.
  void add(core::FeatureId output, double value, FeatureVector& out) const;

  Params params_;
  core::FeatureSpace* features_;
  FeatureSelection cols_;
  mutable std::vector<core::FeatureId> output_by_input_;  // by input FeatureId
  mutable std::unordered_map<std::uint64_t, core::FeatureId> output_by_bucket_;
  mutable std::vector<std::uint32_t> slot_;  // by output FeatureId: 0, or index in out + 1
};

}  // namespace streamlearn::learners
