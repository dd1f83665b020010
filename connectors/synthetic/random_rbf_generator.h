#pragma once

/// RandomRbfGenerator: the random radial basis function stream of MOA's RandomRBFGenerator
/// (Bifet et al., "MOA: Massive Online Analysis", JMLR 2010), as River 0.21 defines it
/// (`datasets.synth.RandomRBF`). At construction, n_centroids centroids each get a centre uniform
/// in [0, 1)^n_features, a class uniform among n_classes, a standard deviation and a weight, both
/// uniform in [0, 1). Each event picks a centroid with probability proportional to its weight and
/// lies at distance N(0, 1) * std_dev from its centre in a uniformly random direction; its label
/// is the centroid's class, "0" .. "{n_classes - 1}". Features x0 .. x{n_features - 1}. The
/// concept is stationary; RandomRbfDriftGenerator moves the centroids.
///
/// River draws the centroids from seed_model and the events from seed_sample; here both come from
/// the one seed (centroids from `seed`, events from derive_seed(seed, 1)).
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   RandomRbfGenerator rbf({.n_classes = 3, .n_features = 4}, /*seed=*/42, features, classes);
///   stream::Event event;
///   rbf.next(event);
///
/// O(n_features + log n_centroids) time per event, O(n_centroids * n_features) memory, no
/// allocation per event. Not thread-safe.

#include <cstdint>
#include <optional>
#include <vector>

#include "connectors/synthetic/random_source.h"
#include "connectors/synthetic/synthetic_stream.h"
#include "core/param_reader.h"

namespace streamlearn::connectors {

class RandomRbfGenerator : public SyntheticStream {
 public:
  struct Params {
    /// Number of classes, 1..10000.
    std::int64_t n_classes = 2;
    /// Number of numeric features, 1..100000.
    std::int64_t n_features = 10;
    /// Number of centroids, 1..100000 (and n_centroids * n_features <= 10^7).
    std::int64_t n_centroids = 50;
  };

  struct Centroid {
    std::vector<double> centre;
    std::int64_t class_index = 0;  // the label is its decimal text
    double std_dev = 0.0;
    double weight = 0.0;
  };

  RandomRbfGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                     core::ClassSet& classes);
  /// Reads the three parameters; nullopt (with the errors in `reader`) when one is out of range.
  static std::optional<Params> read_params(core::ParamReader& reader);

  std::string describe() const override;
  void next(stream::Event& event) override;
  std::unique_ptr<SyntheticStream> clone() const override;
  const Params& rbf_params() const { return rbf_params_; }
  const std::vector<Centroid>& centroids() const { return centroids_; }

 protected:
  /// Draws one event around a centroid chosen by weight.
  void sample(stream::Event& event);
  /// Checks the three parameters; adds errors to `reader` and returns false when one is bad.
  static bool check_params(const Params& params, core::ParamReader& reader);

  std::vector<Centroid> centroids_;

 private:
  Params rbf_params_;
  RandomSource sample_random_;
  std::vector<core::FeatureId> feature_ids_;
  std::vector<core::ClassId> class_ids_;
  std::vector<double> cumulative_weights_;
  std::vector<double> direction_;  // scratch, one value per feature
};

}  // namespace streamlearn::connectors
