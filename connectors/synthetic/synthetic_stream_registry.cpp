#include "connectors/synthetic/synthetic_stream_registry.h"

#include "connectors/synthetic/agrawal_generator.h"
#include "connectors/synthetic/hyperplane_generator.h"
#include "connectors/synthetic/random_rbf_drift_generator.h"
#include "connectors/synthetic/random_rbf_generator.h"
#include "connectors/synthetic/sea_generator.h"
#include "connectors/synthetic/sine_generator.h"
#include "connectors/synthetic/stagger_generator.h"
#include "core/check.h"
#include "core/model_expression.h"

namespace streamlearn::connectors {
namespace {

using Context = SyntheticStreamRegistry::Context;

// A message that may span lines, indented to nest under the list item that quotes it.
std::string nested(const std::string& message) {
  std::string text;
  for (const char c : message) {
    text += c;
    if (c == '\n') text += "  ";
  }
  return text;
}

// The factory of a generator class G with `static std::optional<Params> read_params(reader)` and
// a constructor (Params, seed, features, classes).
template <typename G>
SyntheticStreamRegistry::Factory generator() {
  return [](core::ParamReader& reader, const Context& context) -> std::unique_ptr<SyntheticStream> {
    const auto params = G::read_params(reader);
    if (!params) return nullptr;
    return std::make_unique<G>(*params, context.seed, context.features, context.classes);
  };
}

// Builds both streams (seeds derive_seed(seed, 0) and 1) and joins them (seed 2). Every problem
// with either expression and with position and width is rejected, not just the first.
std::unique_ptr<SyntheticStream> concept_drift(core::ParamReader& reader, const Context& context) {
  // River's defaults: Agrawal function 0 drifting to function 2 around the 5000th event.
  const std::string stream_expression = reader.text("stream", "agrawal");
  const std::string drift_expression =
      reader.text("drift_stream", "agrawal(classification_function=2)");
  const ConceptDriftStream::Params defaults;
  ConceptDriftStream::Params params;
  params.position = reader.integer("position", defaults.position);
  params.width = reader.integer("width", defaults.width);
  bool valid = true;
  if (params.position < 0) {
    reader.reject("position", "must be >= 0, got " + std::to_string(params.position));
    valid = false;
  }
  if (params.width < 1) {
    reader.reject("width",
                  "must be >= 1 (1 = a sudden drift), got " + std::to_string(params.width));
    valid = false;
  }
  auto stream =
      context.registry.build(stream_expression, SyntheticStream::derive_seed(context.seed, 0),
                             context.features, context.classes);
  if (!stream) {
    reader.reject("stream", nested(stream.status().message()));
    valid = false;
  }
  auto drift_stream =
      context.registry.build(drift_expression, SyntheticStream::derive_seed(context.seed, 1),
                             context.features, context.classes);
  if (!drift_stream) {
    reader.reject("drift_stream", nested(drift_stream.status().message()));
    valid = false;
  }
  if (!valid) return nullptr;
  if (core::Status status = ConceptDriftStream::check_compatible(**stream, **drift_stream);
      !status) {
    reader.reject("drift_stream", status.message());
    return nullptr;
  }
  return std::make_unique<ConceptDriftStream>(std::move(*stream), std::move(*drift_stream), params,
                                              SyntheticStream::derive_seed(context.seed, 2));
}

}  // namespace

const SyntheticStreamRegistry& SyntheticStreamRegistry::builtin() {
  static const SyntheticStreamRegistry registry = [] {
    SyntheticStreamRegistry r;
    r.add("sea", generator<SeaGenerator>(),
          "SEA concepts, x0 + x1 > threshold (River synth.SEA): variant=0, noise=0");
    r.add("agrawal", generator<AgrawalGenerator>(),
          "Agrawal loan records, 10 functions (River synth.Agrawal): classification_function=0, "
          "perturbation=0, balance_classes=false");
    r.add("hyperplane", generator<HyperplaneGenerator>(),
          "rotating hyperplane, incremental drift (River synth.Hyperplane): n_features=10, "
          "n_drift_features=2, mag_change=0, noise_percentage=0.05, sigma=0.1");
    r.add("stagger", generator<StaggerGenerator>(),
          "STAGGER concepts, categorical size/color/shape (River synth.STAGGER): "
          "classification_function=0, balance_classes=false");
    r.add("sine", generator<SineGenerator>(),
          "SINE1/SINE2 concepts (River synth.Sine): classification_function=0, "
          "balance_classes=false, has_noise=false");
    r.add("random_rbf", generator<RandomRbfGenerator>(),
          "random radial basis functions (River synth.RandomRBF): n_classes=2, n_features=10, "
          "n_centroids=50");
    r.add("random_rbf_drift", generator<RandomRbfDriftGenerator>(),
          "random RBF with moving centroids (River synth.RandomRBFDrift): n_classes=2, "
          "n_features=10, n_centroids=50, change_speed=0, n_drift_centroids=50");
    r.add("concept_drift", concept_drift,
          "one stream drifting into another (River synth.ConceptDriftStream): stream=agrawal, "
          "drift_stream=agrawal(classification_function=2), position=5000, width=1000");
    return r;
  }();
  return registry;
}

void SyntheticStreamRegistry::add(std::string name, Factory factory, std::string summary) {
  factories_[std::move(name)] = {std::move(factory), std::move(summary)};
}

core::Result<std::unique_ptr<SyntheticStream>> SyntheticStreamRegistry::build(
    std::string_view expression, std::uint64_t seed, core::FeatureSpace& features,
    core::ClassSet& classes) const {
  const std::string prefix = "stream expression '" + std::string(expression) + "': ";
  auto steps = core::parse_model_expression(expression);
  if (!steps) return core::Status::error(prefix + steps.status().message());
  if (steps->size() != 1)
    return core::Status::error(prefix + "name one generator, e.g. 'sea(variant=2)'");
  const core::ModelStep& step = steps->front();
  auto it = factories_.find(step.name);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [name, unused] : factories_) known += (known.empty() ? "" : ", ") + name;
    return core::Status::error(prefix + "unknown generator '" + step.name + "' (known: " + known +
                               ")");
  }
  core::ParamReader params(step.name, step.params);
  std::unique_ptr<SyntheticStream> stream =
      it->second.factory(params, Context{seed, features, classes, *this});
  if (core::Status status = params.finish(); !status)
    return core::Status::error(prefix + status.message());
  SL_CHECK(stream != nullptr);
  return stream;
}

core::Result<std::unique_ptr<SyntheticStream>> SyntheticStreamRegistry::build_drift(
    std::string_view expression, std::string_view drift_expression,
    ConceptDriftStream::Params params, std::uint64_t seed, core::FeatureSpace& features,
    core::ClassSet& classes) const {
  const core::ParamMap given = {{"stream", std::string(expression)},
                                {"drift_stream", std::string(drift_expression)},
                                {"position", std::to_string(params.position)},
                                {"width", std::to_string(params.width)}};
  core::ParamReader reader("concept drift", given);
  std::unique_ptr<SyntheticStream> stream =
      concept_drift(reader, Context{seed, features, classes, *this});
  SL_RETURN_IF_ERROR(reader.finish());
  SL_CHECK(stream != nullptr);
  return stream;
}

std::vector<SyntheticStreamRegistry::Entry> SyntheticStreamRegistry::entries() const {
  std::vector<Entry> entries;
  for (const auto& [name, registration] : factories_)
    entries.push_back({name, registration.summary});
  return entries;
}

}  // namespace streamlearn::connectors
