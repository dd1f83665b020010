#pragma once

/// RandomRbfDriftGenerator: RandomRbfGenerator with moving centroids, MOA's
/// RandomRBFGeneratorDrift as River 0.21 defines it (`datasets.synth.RandomRBFDrift`):
/// incremental drift. The first n_drift_centroids centroids each get a unit direction (components
/// uniform in [0, 1), normalised); before every event each of them moves change_speed along its
/// direction, and a centre coordinate that leaves [0, 1] is put back on the edge and its direction
/// component reversed. change_speed = 0 gives exactly the random_rbf stream of the same seed.
///
/// River re-seeds its model generator to draw the directions, so they repeat the first centre's
/// draws; here they are fresh draws (from derive_seed(seed, 2)). River clamps n_drift_centroids to
/// n_centroids with a warning; here a larger value is an error.
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   RandomRbfDriftGenerator rbf({.change_speed = 0.001, .n_drift_centroids = 10}, /*seed=*/42,
///                               features, classes);
///   stream::Event event;
///   rbf.next(event);
///
/// O(n_drift_centroids * n_features + log n_centroids) time per event, O(n_centroids *
/// n_features) memory, no allocation per event. Not thread-safe.

#include <cstdint>
#include <optional>
#include <vector>

#include "connectors/synthetic/random_rbf_generator.h"

namespace streamlearn::connectors {

class RandomRbfDriftGenerator final : public RandomRbfGenerator {
 public:
  struct Params {
    std::int64_t n_classes = 2;
    std::int64_t n_features = 10;
    std::int64_t n_centroids = 50;
    /// How far a moving centroid travels per event (>= 0).
    double change_speed = 0.0;
    /// How many centroids move, 0..n_centroids.
    std::int64_t n_drift_centroids = 50;
  };

  RandomRbfDriftGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                          core::ClassSet& classes);
  /// Reads the five parameters; nullopt (with the errors in `reader`) when one is out of range.
  static std::optional<Params> read_params(core::ParamReader& reader);

  std::string describe() const override;
  void next(stream::Event& event) override;
  std::unique_ptr<SyntheticStream> clone() const override;
  const Params& params() const { return params_; }

 private:
  Params params_;
  std::vector<std::vector<double>> speeds_;  // [moving centroid][feature], unit length
};

}  // namespace streamlearn::connectors
