#pragma once

/// PipelineModel: what a model expression builds, in two parts: the FeatureStage of its leading
/// window steps (empty when it has none), which turns each event into the features the model
/// sees, and the learner (or learner Pipeline) of the rest, from the LearnerRegistry:
///
///   window(by=user, size=1h, agg=[mean(amount)]) | hash(cols=[country]) | logistic_regression
///   `- features ------------------------------'   `- learner ----------------------------'
///
/// `evaluate`, `run` and `transform` all build their model here, so an expression means the same
/// everywhere. The FeatureSpace is the one the decoder fills; it must outlive the model.

#include <memory>
#include <string>
#include <string_view>

#include "core/feature_space.h"
#include "core/status.h"
#include "learners/learner.h"
#include "stream/features/feature_stage.h"

namespace streamlearn::stream {

struct PipelineModel {
  std::unique_ptr<features::FeatureStage> features;  // never null
  std::unique_ptr<learners::Learner> learner;

  /// Builds both parts; every error of the expression is reported at once.
  static core::Result<PipelineModel> build(std::string_view expression, core::FeatureSpace& space);

  /// The normalized expression of both parts.
  std::string describe() const;

  /// The features `learner` (this model's learner, or a replacement of it) sees for the already
  /// windowed features x: x transformed by its pipeline's transformers, without learning.
  static const core::FeatureVector& learner_input(learners::Learner& learner,
                                                  const core::FeatureVector& x);
};

}  // namespace streamlearn::stream
