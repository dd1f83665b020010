#pragma once

/// SeaGenerator: the SEA concepts of Street and Kim, "A Streaming Ensemble Algorithm (SEA) for
/// Large-Scale Classification" (KDD 2001), as River 0.21 defines them (`datasets.synth.SEA`).
/// Three features x0, x1, x2 uniform in [0, 10); only x0 and x1 matter: the label is "1" when
/// x0 + x1 > threshold, else "0", with threshold 8, 9, 7 or 9.5 for variant 0, 1, 2 or 3. With
/// probability `noise` the label is flipped. Switch the variant (ConceptDriftStream) for a drift.
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   SeaGenerator sea({.variant = 0, .noise = 0.1}, /*seed=*/42, features, classes);
///   stream::Event event;
///   sea.next(event);
///
/// River names its features 0, 1, 2 and its labels False/True; here they are x0, x1, x2 and
/// "0"/"1" (as in ../shared/reference/streams/sea_drift_100k.csv). O(1) time per event, no
/// allocation. Not thread-safe.

#include <cstdint>
#include <optional>

#include "connectors/synthetic/random_source.h"
#include "connectors/synthetic/synthetic_stream.h"
#include "core/param_reader.h"

namespace streamlearn::connectors {

class SeaGenerator final : public SyntheticStream {
 public:
  struct Params {
    /// Which threshold: 0 (8), 1 (9), 2 (7) or 3 (9.5).
    std::int64_t variant = 0;
    /// Probability of flipping a label, in [0, 1].
    double noise = 0.0;
  };

  SeaGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
               core::ClassSet& classes);
  /// Reads variant and noise; nullopt (with the errors in `reader`) when a value is out of range.
  static std::optional<Params> read_params(core::ParamReader& reader);

  /// The threshold of a variant (0..3).
  static double threshold(std::int64_t variant);
  /// River's concept before noise: x0 + x1 > threshold(variant).
  static bool classify(std::int64_t variant, double x0, double x1) {
    return x0 + x1 > threshold(variant);
  }

  std::string describe() const override;
  void next(stream::Event& event) override;
  std::unique_ptr<SyntheticStream> clone() const override;
  const Params& params() const { return params_; }

 private:
  Params params_;
  RandomSource random_;
  core::FeatureId feature_ids_[3];
  core::ClassId negative_;
  core::ClassId positive_;
};

}  // namespace streamlearn::connectors
