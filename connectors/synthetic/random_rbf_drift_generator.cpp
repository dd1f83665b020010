#include "connectors/synthetic/random_rbf_drift_generator.h"

#include <cmath>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::connectors {

RandomRbfDriftGenerator::RandomRbfDriftGenerator(Params params, std::uint64_t seed,
                                                 core::FeatureSpace& features,
                                                 core::ClassSet& classes)
    : RandomRbfGenerator({params.n_classes, params.n_features, params.n_centroids}, seed, features,
                         classes),
      params_(params) {
  SL_CHECK(params.change_speed >= 0.0);
  SL_CHECK(params.n_drift_centroids >= 0 && params.n_drift_centroids <= params.n_centroids);
  RandomSource speed_random(derive_seed(seed, 2));
  speeds_.resize(static_cast<std::size_t>(params.n_drift_centroids));
  for (std::vector<double>& speed : speeds_) {
    speed.resize(static_cast<std::size_t>(params.n_features));
    double norm = 0.0;
    while (norm == 0.0) {
      for (double& component : speed) {
        component = speed_random.uniform();
        norm += component * component;
      }
    }
    norm = std::sqrt(norm);
    for (double& component : speed) component /= norm;
  }
}

std::optional<RandomRbfDriftGenerator::Params> RandomRbfDriftGenerator::read_params(
    core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.n_classes = reader.integer("n_classes", defaults.n_classes);
  params.n_features = reader.integer("n_features", defaults.n_features);
  params.n_centroids = reader.integer("n_centroids", defaults.n_centroids);
  params.change_speed = reader.number("change_speed", defaults.change_speed);
  params.n_drift_centroids = reader.integer("n_drift_centroids", defaults.n_drift_centroids);
  bool valid = check_params({params.n_classes, params.n_features, params.n_centroids}, reader);
  if (!(params.change_speed >= 0.0)) {
    reader.reject("change_speed",
                  "must be >= 0, got " + core::ParamWriter::format_number(params.change_speed));
    valid = false;
  }
  if (params.n_drift_centroids < 0 || params.n_drift_centroids > params.n_centroids) {
    reader.reject("n_drift_centroids", "must be 0..n_centroids (" +
                                           std::to_string(params.n_centroids) + "), got " +
                                           std::to_string(params.n_drift_centroids));
    valid = false;
  }
  if (!valid) return std::nullopt;
  return params;
}

std::string RandomRbfDriftGenerator::describe() const {
  const Params defaults;
  core::ParamWriter writer("random_rbf_drift");
  writer.integer("n_classes", params_.n_classes, defaults.n_classes);
  writer.integer("n_features", params_.n_features, defaults.n_features);
  writer.integer("n_centroids", params_.n_centroids, defaults.n_centroids);
  writer.number("change_speed", params_.change_speed, defaults.change_speed);
  writer.integer("n_drift_centroids", params_.n_drift_centroids, defaults.n_drift_centroids);
  return writer.expression();
}

void RandomRbfDriftGenerator::next(stream::Event& event) {
  if (params_.change_speed > 0) {
    for (std::size_t c = 0; c < speeds_.size(); ++c) {
      std::vector<double>& centre = centroids_[c].centre;
      std::vector<double>& speed = speeds_[c];
      for (std::size_t j = 0; j < centre.size(); ++j) {
        centre[j] += speed[j] * params_.change_speed;
        if (centre[j] > 1 || centre[j] < 0) {
          centre[j] = centre[j] > 1 ? 1.0 : 0.0;
          speed[j] = -speed[j];
        }
      }
    }
  }
  sample(event);
}

std::unique_ptr<SyntheticStream> RandomRbfDriftGenerator::clone() const {
  return std::make_unique<RandomRbfDriftGenerator>(params_, seed(), feature_space(), class_set());
}

}  // namespace streamlearn::connectors
