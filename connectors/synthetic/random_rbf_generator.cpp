#include "connectors/synthetic/random_rbf_generator.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::connectors {
namespace {

constexpr std::int64_t kMaxClasses = 10'000;
constexpr std::int64_t kMaxFeatures = 100'000;
constexpr std::int64_t kMaxCentroids = 100'000;
constexpr std::int64_t kMaxCentroidValues = 10'000'000;

}  // namespace

RandomRbfGenerator::RandomRbfGenerator(Params params, std::uint64_t seed,
                                       core::FeatureSpace& features, core::ClassSet& classes)
    : SyntheticStream(seed, features, classes),
      rbf_params_(params),
      sample_random_(derive_seed(seed, 1)) {
  SL_CHECK(params.n_classes >= 1 && params.n_classes <= kMaxClasses);
  SL_CHECK(params.n_features >= 1 && params.n_features <= kMaxFeatures);
  SL_CHECK(params.n_centroids >= 1 && params.n_centroids <= kMaxCentroids);
  const auto n_features = static_cast<std::size_t>(params.n_features);
  for (std::size_t i = 0; i < n_features; ++i)
    feature_ids_.push_back(add_numeric_column("x" + std::to_string(i)));
  for (std::int64_t c = 0; c < params.n_classes; ++c)
    class_ids_.push_back(classes.intern(std::to_string(c)));
  // Centroids in River's order of draws: centre, class, standard deviation, weight.
  RandomSource model_random(seed);
  centroids_.resize(static_cast<std::size_t>(params.n_centroids));
  double total_weight = 0.0;
  for (Centroid& centroid : centroids_) {
    centroid.centre.resize(n_features);
    for (double& value : centroid.centre) value = model_random.uniform();
    centroid.class_index =
        static_cast<std::int64_t>(model_random.below(static_cast<std::uint64_t>(params.n_classes)));
    centroid.std_dev = model_random.uniform();
    centroid.weight = model_random.uniform();
    total_weight += centroid.weight;
    cumulative_weights_.push_back(total_weight);
  }
  direction_.resize(n_features);
}

bool RandomRbfGenerator::check_params(const Params& params, core::ParamReader& reader) {
  bool valid = true;
  auto check_range = [&](const char* key, std::int64_t value, std::int64_t high) {
    if (value >= 1 && value <= high) return;
    reader.reject(key, "must be 1.." + std::to_string(high) + ", got " + std::to_string(value));
    valid = false;
  };
  check_range("n_features", params.n_features, kMaxFeatures);
  check_range("n_centroids", params.n_centroids, kMaxCentroids);
  if (valid && params.n_centroids * params.n_features > kMaxCentroidValues) {
    reader.reject("n_centroids", "n_centroids * n_features must be at most " +
                                     std::to_string(kMaxCentroidValues) + ", got " +
                                     std::to_string(params.n_centroids * params.n_features));
    valid = false;
  }
  check_range("n_classes", params.n_classes, kMaxClasses);
  return valid;
}

std::optional<RandomRbfGenerator::Params> RandomRbfGenerator::read_params(
    core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.n_classes = reader.integer("n_classes", defaults.n_classes);
  params.n_features = reader.integer("n_features", defaults.n_features);
  params.n_centroids = reader.integer("n_centroids", defaults.n_centroids);
  if (!check_params(params, reader)) return std::nullopt;
  return params;
}

std::string RandomRbfGenerator::describe() const {
  const Params defaults;
  core::ParamWriter writer("random_rbf");
  writer.integer("n_classes", rbf_params_.n_classes, defaults.n_classes);
  writer.integer("n_features", rbf_params_.n_features, defaults.n_features);
  writer.integer("n_centroids", rbf_params_.n_centroids, defaults.n_centroids);
  return writer.expression();
}

void RandomRbfGenerator::next(stream::Event& event) { sample(event); }

void RandomRbfGenerator::sample(stream::Event& event) {
  // The first centroid whose cumulative weight exceeds u * total (River's linear scan, by
  // binary search).
  const double target = sample_random_.uniform() * cumulative_weights_.back();
  const auto found =
      std::upper_bound(cumulative_weights_.begin(), cumulative_weights_.end(), target);
  const std::size_t index = std::min(static_cast<std::size_t>(found - cumulative_weights_.begin()),
                                     centroids_.size() - 1);
  const Centroid& centroid = centroids_[index];
  double magnitude = 0.0;
  while (magnitude == 0.0) {  // a zero direction has no length to scale; draw again
    for (double& value : direction_) {
      value = sample_random_.uniform(-1.0, 1.0);
      magnitude += value * value;
    }
  }
  magnitude = std::sqrt(magnitude);
  const double scale = sample_random_.normal() * centroid.std_dev / magnitude;
  event.clear();
  for (std::size_t i = 0; i < direction_.size(); ++i)
    event.features.add_numeric(feature_ids_[i], centroid.centre[i] + direction_[i] * scale);
  event.label = core::Target::of_class(class_ids_[static_cast<std::size_t>(centroid.class_index)]);
}

std::unique_ptr<SyntheticStream> RandomRbfGenerator::clone() const {
  return std::make_unique<RandomRbfGenerator>(rbf_params_, seed(), feature_space(), class_set());
}

}  // namespace streamlearn::connectors
