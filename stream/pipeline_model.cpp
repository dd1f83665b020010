#include "stream/pipeline_model.h"

#include "learners/learner_registry.h"
#include "learners/pipeline.h"

namespace streamlearn::stream {

core::Result<PipelineModel> PipelineModel::build(std::string_view expression,
                                                 core::FeatureSpace& space) {
  auto split = features::FeatureStage::split(expression);
  if (!split) return split.status();
  auto learner = learners::LearnerRegistry::builtin().build(split->learner_expression, &space);
  if (!learner) {
    if (split->windows.empty()) return learner.status();
    return core::Status::error("model expression '" + std::string(expression) + "': " +
                               learner.status().message());
  }
  PipelineModel model;
  model.features = std::make_unique<features::FeatureStage>(split->windows, space);
  model.learner = std::move(*learner);
  return model;
}

std::string PipelineModel::describe() const {
  const std::string windows = features->describe();
  return windows.empty() ? learner->describe() : windows + " | " + learner->describe();
}

const core::FeatureVector& PipelineModel::learner_input(learners::Learner& learner,
                                                       const core::FeatureVector& x) {
  auto* pipeline = dynamic_cast<learners::Pipeline*>(&learner);
  return pipeline ? pipeline->transform(x) : x;
}

}  // namespace streamlearn::stream
