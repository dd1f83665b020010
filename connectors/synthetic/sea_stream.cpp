#include "connectors/synthetic/sea_stream.h"

#include <array>
#include <cmath>

namespace streamlearn::connectors {
namespace {

constexpr std::array<double, 4> kThresholds = {8.0, 9.0, 7.0, 9.5};

}  // namespace

SeaStream::SeaStream(Params params, core::FeatureSpace& features, core::ClassSet& classes)
    : params_(params), rng_(params.seed) {
  feature_ids_[0] = features.feature("x0");
  feature_ids_[1] = features.feature("x1");
  feature_ids_[2] = features.feature("x2");
  false_class_ = classes.intern("0");
  true_class_ = classes.intern("1");
}

void SeaStream::next(stream::Event& event) {
  event.clear();
  // ConceptDriftStream: the probability of the new concept follows a sigmoid centred on the drift
  // position, 4 / width steep.
  const double x = -4.0 * (static_cast<double>(position_) - static_cast<double>(params_.drift_position)) /
                   static_cast<double>(params_.drift_width);
  const double probability_after = 1.0 / (1.0 + std::exp(x));
  const int variant = uniform_(rng_) < probability_after ? params_.variant_after : params_.variant_before;
  double values[3];
  for (int i = 0; i < 3; ++i) {
    values[i] = 10.0 * uniform_(rng_);
    event.features.add_numeric(feature_ids_[i], values[i]);
  }
  bool label = values[0] + values[1] > kThresholds[static_cast<std::size_t>(variant) % 4];
  if (params_.noise > 0 && uniform_(rng_) < params_.noise) label = !label;
  event.label = core::Target::of_class(label ? true_class_ : false_class_);
  event.id = std::to_string(position_);
  ++position_;
}

}  // namespace streamlearn::connectors
