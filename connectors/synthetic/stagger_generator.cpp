#include "connectors/synthetic/stagger_generator.h"

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::connectors {

StaggerGenerator::StaggerGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                                   core::ClassSet& classes)
    : SyntheticStream(seed, features, classes), params_(params), random_(seed) {
  SL_CHECK(params.classification_function >= 0 && params.classification_function < 3);
  const std::string_view names[3] = {"size", "color", "shape"};
  const std::string_view* value_names[3] = {kSizes, kColors, kShapes};
  for (int f = 0; f < 3; ++f) {
    feature_ids_[f] = add_categorical_column(names[f]);
    for (int v = 0; v < 3; ++v) {
      const core::SymbolId symbol = features.value(value_names[f][v]);
      values_[f][v] = {symbol, features.indicator(feature_ids_[f], symbol)};
    }
  }
  class_ids_[0] = classes.intern("0");
  class_ids_[1] = classes.intern("1");
}

std::optional<StaggerGenerator::Params> StaggerGenerator::read_params(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.classification_function =
      reader.integer("classification_function", defaults.classification_function);
  params.balance_classes = reader.boolean("balance_classes", defaults.balance_classes);
  if (params.classification_function < 0 || params.classification_function > 2) {
    reader.reject("classification_function",
                  "must be 0 (small and red), 1 (green or circle) or 2 (medium or large), got " +
                      std::to_string(params.classification_function));
    return std::nullopt;
  }
  return params;
}

int StaggerGenerator::classify(std::int64_t function, int size, int color, int shape) {
  switch (function) {
    case 0:
      return size == 0 && color == 0;
    case 1:
      return color == 2 || shape == 0;
    case 2:
      return size == 1 || size == 2;
    default:
      SL_CHECK(function >= 0 && function < 3);
      return 0;
  }
}

std::string StaggerGenerator::describe() const {
  const Params defaults;
  core::ParamWriter writer("stagger");
  writer.integer("classification_function", params_.classification_function,
                 defaults.classification_function);
  writer.boolean("balance_classes", params_.balance_classes, defaults.balance_classes);
  return writer.expression();
}

void StaggerGenerator::next(stream::Event& event) {
  int object[3];
  int label = 0;
  while (true) {
    for (int& value : object) value = static_cast<int>(random_.below(3));
    label = classify(params_.classification_function, object[0], object[1], object[2]);
    if (!params_.balance_classes) break;
    if (label == (next_class_should_be_zero_ ? 0 : 1)) {
      next_class_should_be_zero_ = !next_class_should_be_zero_;
      break;
    }
  }
  event.clear();
  for (int f = 0; f < 3; ++f) {
    const Value& value = values_[f][object[f]];
    event.features.add_categorical(feature_ids_[f], value.symbol, value.indicator);
  }
  event.label = core::Target::of_class(class_ids_[label]);
}

std::unique_ptr<SyntheticStream> StaggerGenerator::clone() const {
  return std::make_unique<StaggerGenerator>(params_, seed(), feature_space(), class_set());
}

}  // namespace streamlearn::connectors
