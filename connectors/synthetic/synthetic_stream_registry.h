#pragma once

/// SyntheticStreamRegistry: every synthetic stream generator by its River-style name, built from
/// an expression such as `sea(variant=2, noise=0.1)` (core/model_expression.h) and a seed given
/// separately. Unknown generators, unknown parameters and bad values are all reported at once,
/// with the names and parameters that are allowed. Registration is explicit: see builtin() for
/// the one line per generator.
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   const auto& registry = SyntheticStreamRegistry::builtin();
///   auto sea = registry.build("sea(variant=2)", /*seed=*/42, features, classes);
///   auto drifting = registry.build_drift("agrawal", "agrawal(classification_function=2)",
///                                        {.position = 50'000, .width = 1'000}, 42, features,
///                                        classes);
///   if (!drifting) return drifting.status();
///
/// A failed build may leave names interned in `features` and `classes`. builtin() is immutable
/// and safe to share between threads; the streams it builds are not.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/synthetic/concept_drift_stream.h"
#include "connectors/synthetic/synthetic_stream.h"
#include "core/param_reader.h"
#include "core/status.h"

namespace streamlearn::connectors {

class SyntheticStreamRegistry {
 public:
  /// What a factory builds into.
  struct Context {
    std::uint64_t seed;
    core::FeatureSpace& features;
    core::ClassSet& classes;
    const SyntheticStreamRegistry& registry;  // for streams made of streams
  };
  /// Reads its parameters from the reader; may return nullptr only after rejecting a value.
  using Factory =
      std::function<std::unique_ptr<SyntheticStream>(core::ParamReader&, const Context&)>;

  static const SyntheticStreamRegistry& builtin();

  void add(std::string name, Factory factory, std::string summary);

  /// Builds the stream of a one-step expression, seeded with `seed`.
  core::Result<std::unique_ptr<SyntheticStream>> build(std::string_view expression,
                                                       std::uint64_t seed,
                                                       core::FeatureSpace& features,
                                                       core::ClassSet& classes) const;

  /// A ConceptDriftStream from `expression` to `drift_expression`. Seeds come from `seed`:
  /// derive_seed(seed, 0) for the first stream, 1 for the drift stream and 2 for the choice
  /// between them, so nested drifts never share a sequence. Errors in either expression and in
  /// `params` are reported together.
  core::Result<std::unique_ptr<SyntheticStream>> build_drift(std::string_view expression,
                                                             std::string_view drift_expression,
                                                             ConceptDriftStream::Params params,
                                                             std::uint64_t seed,
                                                             core::FeatureSpace& features,
                                                             core::ClassSet& classes) const;

  struct Entry {
    std::string name;
    std::string summary;
  };
  std::vector<Entry> entries() const;

 private:
  struct Registration {
    Factory factory;
    std::string summary;
  };
  std::map<std::string, Registration, std::less<>> factories_;
};

}  // namespace streamlearn::connectors
