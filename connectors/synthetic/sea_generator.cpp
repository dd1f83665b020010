#include "connectors/synthetic/sea_generator.h"

#include <array>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::connectors {
namespace {

constexpr std::array<double, 4> kThresholds = {8.0, 9.0, 7.0, 9.5};

}  // namespace

SeaGenerator::SeaGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                           core::ClassSet& classes)
    : SyntheticStream(seed, features, classes), params_(params), random_(seed) {
  SL_CHECK(params.variant >= 0 && params.variant < 4);
  SL_CHECK(params.noise >= 0.0 && params.noise <= 1.0);
  feature_ids_[0] = add_numeric_column("x0");
  feature_ids_[1] = add_numeric_column("x1");
  feature_ids_[2] = add_numeric_column("x2");
  negative_ = classes.intern("0");
  positive_ = classes.intern("1");
}

std::optional<SeaGenerator::Params> SeaGenerator::read_params(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.variant = reader.integer("variant", defaults.variant);
  params.noise = reader.number("noise", defaults.noise);
  bool valid = true;
  if (params.variant < 0 || params.variant > 3) {
    reader.reject("variant", "must be 0, 1, 2 or 3 (thresholds 8, 9, 7, 9.5), got " +
                                 std::to_string(params.variant));
    valid = false;
  }
  if (!(params.noise >= 0.0 && params.noise <= 1.0)) {
    reader.reject("noise", "must be a probability in [0, 1], got " +
                               core::ParamWriter::format_number(params.noise));
    valid = false;
  }
  if (!valid) return std::nullopt;
  return params;
}

double SeaGenerator::threshold(std::int64_t variant) {
  SL_CHECK(variant >= 0 && variant < 4);
  return kThresholds[static_cast<std::size_t>(variant)];
}

std::string SeaGenerator::describe() const {
  const Params defaults;
  core::ParamWriter writer("sea");
  writer.integer("variant", params_.variant, defaults.variant);
  writer.number("noise", params_.noise, defaults.noise);
  return writer.expression();
}

void SeaGenerator::next(stream::Event& event) {
  event.clear();
  double x[3];
  for (int i = 0; i < 3; ++i) {
    x[i] = random_.uniform(0.0, 10.0);
    event.features.add_numeric(feature_ids_[i], x[i]);
  }
  bool label = classify(params_.variant, x[0], x[1]);
  // As River, the noise draw is taken only when there is noise, so noise=0 streams match the
  // concept exactly.
  if (params_.noise > 0 && random_.bernoulli(params_.noise)) label = !label;
  event.label = core::Target::of_class(label ? positive_ : negative_);
}

std::unique_ptr<SyntheticStream> SeaGenerator::clone() const {
  return std::make_unique<SeaGenerator>(params_, seed(), feature_space(), class_set());
}

}  // namespace streamlearn::connectors
