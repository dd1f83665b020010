#pragma once

/// LearnerRegistry: every learner and transformer by its River-style name, with a factory that
/// reads its parameters. build() turns a model expression (`standard_scaler |
/// logistic_regression(l2=0.001)`) into a ready model: the CLI and the configuration both go
/// through it, so a name means the same thing everywhere. Registration is explicit: see
/// LearnerRegistry::builtin() for the one line per entry.
///
/// Transformers that create features (one_hot, bucketize, hash, cross) or select them by name
/// (`cols=[...]`) intern names in the pipeline's core::FeatureSpace, so that the ids they hand to
/// the learner are the dense ids every other part of the pipeline uses: build such a model with
/// `build(expression, &features)`, where `features` is the space the decoder fills and outlives
/// the model. Without it, build() says which step needs it.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/param_reader.h"
#include "core/status.h"
#include "learners/learner.h"

namespace streamlearn::learners {

class LearnerRegistry {
 public:
  using LearnerFactory = std::function<std::unique_ptr<Learner>(core::ParamReader&)>;
  /// `features` is the pipeline's FeatureSpace, or null when the model was built without one.
  using TransformerFactory =
      std::function<std::unique_ptr<Transformer>(core::ParamReader&, core::FeatureSpace*)>;
  /// A transformer that never needs the FeatureSpace.
  using PlainTransformerFactory = std::function<std::unique_ptr<Transformer>(core::ParamReader&)>;

  /// The registry with every built-in learner and transformer.
  static const LearnerRegistry& builtin();

  void add(std::string name, LearnerFactory factory, std::string summary);
  void add(std::string name, TransformerFactory factory, std::string summary);
  void add(std::string name, PlainTransformerFactory factory, std::string summary);

  /// Builds a learner or a pipeline from an expression; every error in it is reported at once.
  /// `features`, the pipeline's FeatureSpace, is needed by the transformers that create or select
  /// features by name; it must outlive the model.
  core::Result<std::unique_ptr<Learner>> build(std::string_view expression,
                                               core::FeatureSpace* features = nullptr) const;

  struct Entry {
    std::string name;
    std::string summary;
    bool is_transformer;
  };
  std::vector<Entry> entries() const;

 private:
  struct Factories {
    LearnerFactory learner;
    TransformerFactory transformer;
    std::string summary;
  };
  std::map<std::string, Factories, std::less<>> factories_;
};

}  // namespace streamlearn::learners
