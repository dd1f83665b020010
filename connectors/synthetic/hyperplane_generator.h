#pragma once

/// HyperplaneGenerator: the rotating hyperplane of Hulten, Spencer and Domingos, "Mining
/// Time-Changing Data Streams" (KDD 2001), as River 0.21 defines it (`datasets.synth.Hyperplane`).
/// Features x0 .. x{d-1} uniform in [0, 1); weights w_i start uniform in [0, 1); the label is "1"
/// when sum_i w_i x_i >= 0.5 * sum_i w_i, else "0", flipped with probability noise_percentage.
/// Incremental drift: after every event the first n_drift_features weights move by mag_change
/// in their current direction (+1 at the start), and each direction reverses with probability
/// sigma. mag_change = 0 (the default) gives a stationary concept.
///
/// River flips a label when 0.01 + u <= noise_percentage (and reverses a direction when
/// 0.01 + u <= sigma), so its rates are 0.01 below the parameters; here they are the parameters.
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   HyperplaneGenerator plane({.mag_change = 0.001}, /*seed=*/42, features, classes);
///   stream::Event event;
///   plane.next(event);
///
/// O(n_features) time per event, O(n_features) memory, no allocation per event. Not thread-safe.

#include <cstdint>
#include <optional>
#include <vector>

#include "connectors/synthetic/random_source.h"
#include "connectors/synthetic/synthetic_stream.h"
#include "core/param_reader.h"

namespace streamlearn::connectors {

class HyperplaneGenerator final : public SyntheticStream {
 public:
  struct Params {
    /// Number of features, 1..100000.
    std::int64_t n_features = 10;
    /// How many of the first weights drift, 0..n_features.
    std::int64_t n_drift_features = 2;
    /// How far a drifting weight moves per event, in [0, 1].
    double mag_change = 0.0;
    /// Probability of flipping a label, in [0, 1].
    double noise_percentage = 0.05;
    /// Probability that a drifting weight reverses direction after an event, in [0, 1].
    double sigma = 0.1;
  };

  HyperplaneGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                      core::ClassSet& classes);
  /// Reads the five parameters; nullopt (with the errors in `reader`) when one is out of range.
  static std::optional<Params> read_params(core::ParamReader& reader);

  std::string describe() const override;
  void next(stream::Event& event) override;
  std::unique_ptr<SyntheticStream> clone() const override;
  const Params& params() const { return params_; }
  /// The current weights (they change after every event when mag_change > 0).
  const std::vector<double>& weights() const { return weights_; }

 private:
  Params params_;
  RandomSource random_;
  std::vector<core::FeatureId> feature_ids_;
  std::vector<double> weights_;
  std::vector<double> directions_;
  core::ClassId class_ids_[2];
};

}  // namespace streamlearn::connectors
