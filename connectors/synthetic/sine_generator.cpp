#include "connectors/synthetic/sine_generator.h"

#include <cmath>
#include <numbers>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::connectors {

SineGenerator::SineGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                             core::ClassSet& classes)
    : SyntheticStream(seed, features, classes), params_(params), random_(seed) {
  SL_CHECK(params.classification_function >= 0 && params.classification_function < 4);
  const int n = params.has_noise ? 4 : 2;
  for (int i = 0; i < n; ++i) feature_ids_[i] = add_numeric_column("x" + std::to_string(i));
  class_ids_[0] = classes.intern("0");
  class_ids_[1] = classes.intern("1");
}

std::optional<SineGenerator::Params> SineGenerator::read_params(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.classification_function =
      reader.integer("classification_function", defaults.classification_function);
  params.balance_classes = reader.boolean("balance_classes", defaults.balance_classes);
  params.has_noise = reader.boolean("has_noise", defaults.has_noise);
  if (params.classification_function < 0 || params.classification_function > 3) {
    reader.reject("classification_function",
                  "must be 0 (SINE1), 1 (reversed SINE1), 2 (SINE2) or 3 (reversed SINE2), got " +
                      std::to_string(params.classification_function));
    return std::nullopt;
  }
  return params;
}

int SineGenerator::classify(std::int64_t function, double x0, double x1) {
  switch (function) {
    case 0:
      return x0 < std::sin(x1);
    case 1:
      return x0 >= std::sin(x1);
    case 2:
      return x0 < 0.5 + 0.3 * std::sin(3 * std::numbers::pi * x1);
    case 3:
      return x0 >= 0.5 + 0.3 * std::sin(3 * std::numbers::pi * x1);
    default:
      SL_CHECK(function >= 0 && function < 4);
      return 0;
  }
}

std::string SineGenerator::describe() const {
  const Params defaults;
  core::ParamWriter writer("sine");
  writer.integer("classification_function", params_.classification_function,
                 defaults.classification_function);
  writer.boolean("balance_classes", params_.balance_classes, defaults.balance_classes);
  writer.boolean("has_noise", params_.has_noise, defaults.has_noise);
  return writer.expression();
}

void SineGenerator::next(stream::Event& event) {
  double x0 = 0, x1 = 0;
  int label = 0;
  while (true) {
    x0 = random_.uniform();
    x1 = random_.uniform();
    label = classify(params_.classification_function, x0, x1);
    if (!params_.balance_classes) break;
    if (label == (next_class_should_be_zero_ ? 0 : 1)) {
      next_class_should_be_zero_ = !next_class_should_be_zero_;
      break;
    }
  }
  event.clear();
  event.features.add_numeric(feature_ids_[0], x0);
  event.features.add_numeric(feature_ids_[1], x1);
  if (params_.has_noise) {
    event.features.add_numeric(feature_ids_[2], random_.uniform());
    event.features.add_numeric(feature_ids_[3], random_.uniform());
  }
  event.label = core::Target::of_class(class_ids_[label]);
}

std::unique_ptr<SyntheticStream> SineGenerator::clone() const {
  return std::make_unique<SineGenerator>(params_, seed(), feature_space(), class_set());
}

}  // namespace streamlearn::connectors
