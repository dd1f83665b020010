#include "connectors/synthetic/hyperplane_generator.h"

#include <utility>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::connectors {
namespace {

constexpr std::int64_t kMaxFeatures = 100'000;

bool is_probability(double value) { return value >= 0.0 && value <= 1.0; }

}  // namespace

HyperplaneGenerator::HyperplaneGenerator(Params params, std::uint64_t seed,
                                         core::FeatureSpace& features, core::ClassSet& classes)
    : SyntheticStream(seed, features, classes), params_(params), random_(seed) {
  SL_CHECK(params.n_features >= 1 && params.n_features <= kMaxFeatures);
  SL_CHECK(params.n_drift_features >= 0 && params.n_drift_features <= params.n_features);
  const auto n = static_cast<std::size_t>(params.n_features);
  for (std::size_t i = 0; i < n; ++i)
    feature_ids_.push_back(add_numeric_column("x" + std::to_string(i)));
  weights_.resize(n);
  for (double& weight : weights_) weight = random_.uniform();
  directions_.assign(n, 0.0);
  for (std::size_t i = 0; i < static_cast<std::size_t>(params.n_drift_features); ++i)
    directions_[i] = 1.0;
  class_ids_[0] = classes.intern("0");
  class_ids_[1] = classes.intern("1");
}

std::optional<HyperplaneGenerator::Params> HyperplaneGenerator::read_params(
    core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.n_features = reader.integer("n_features", defaults.n_features);
  params.n_drift_features = reader.integer("n_drift_features", defaults.n_drift_features);
  params.mag_change = reader.number("mag_change", defaults.mag_change);
  params.noise_percentage = reader.number("noise_percentage", defaults.noise_percentage);
  params.sigma = reader.number("sigma", defaults.sigma);
  bool valid = true;
  if (params.n_features < 1 || params.n_features > kMaxFeatures) {
    reader.reject("n_features", "must be 1.." + std::to_string(kMaxFeatures) + ", got " +
                                    std::to_string(params.n_features));
    valid = false;
  } else if (params.n_drift_features < 0 || params.n_drift_features > params.n_features) {
    reader.reject("n_drift_features", "must be 0..n_features (" +
                                          std::to_string(params.n_features) + "), got " +
                                          std::to_string(params.n_drift_features));
    valid = false;
  }
  const std::pair<const char*, double> probabilities[] = {
      {"mag_change", params.mag_change},
      {"noise_percentage", params.noise_percentage},
      {"sigma", params.sigma}};
  for (const auto& [key, value] : probabilities) {
    if (is_probability(value)) continue;
    reader.reject(key, "must be in [0, 1], got " + core::ParamWriter::format_number(value));
    valid = false;
  }
  if (!valid) return std::nullopt;
  return params;
}

std::string HyperplaneGenerator::describe() const {
  const Params defaults;
  core::ParamWriter writer("hyperplane");
  writer.integer("n_features", params_.n_features, defaults.n_features);
  writer.integer("n_drift_features", params_.n_drift_features, defaults.n_drift_features);
  writer.number("mag_change", params_.mag_change, defaults.mag_change);
  writer.number("noise_percentage", params_.noise_percentage, defaults.noise_percentage);
  writer.number("sigma", params_.sigma, defaults.sigma);
  return writer.expression();
}

void HyperplaneGenerator::next(stream::Event& event) {
  event.clear();
  double weighted_sum = 0.0;
  double weight_sum = 0.0;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    const double x = random_.uniform();
    event.features.add_numeric(feature_ids_[i], x);
    weighted_sum += weights_[i] * x;
    weight_sum += weights_[i];
  }
  bool label = weighted_sum >= 0.5 * weight_sum;
  if (random_.bernoulli(params_.noise_percentage)) label = !label;
  event.label = core::Target::of_class(class_ids_[label ? 1 : 0]);
  // The drift applies to the next event, as River's _generate_drift after each yield.
  for (std::size_t i = 0; i < static_cast<std::size_t>(params_.n_drift_features); ++i) {
    weights_[i] += directions_[i] * params_.mag_change;
    if (random_.bernoulli(params_.sigma)) directions_[i] = -directions_[i];
  }
}

std::unique_ptr<SyntheticStream> HyperplaneGenerator::clone() const {
  return std::make_unique<HyperplaneGenerator>(params_, seed(), feature_space(), class_set());
}

}  // namespace streamlearn::connectors
