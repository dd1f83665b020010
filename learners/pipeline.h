#pragma once

/// Pipeline: transformers followed by one learner, River's compose.Pipeline. learn_one updates
/// each unsupervised transformer on its input, then transforms, and finally trains the learner on
/// the transformed features; predict_one only transforms (River's default: unsupervised steps
/// learn in learn_one, not during prediction). The intermediate feature vectors are buffers owned
/// by the pipeline, so a pipeline allocates nothing per event in steady state.

#include <memory>
#include <vector>

#include "learners/learner.h"

namespace streamlearn::learners {

class Pipeline final : public Learner {
 public:
  Pipeline(std::vector<std::unique_ptr<Transformer>> transformers, std::unique_ptr<Learner> final);

  Task task() const override { return final_->task(); }
  std::string describe() const override;
  std::unique_ptr<Learner> clone() const override;

  void learn_one(const FeatureVector& x, const Target& y) override;
  Target predict_one(const FeatureVector& x) override;
  void predict_proba_one(const FeatureVector& x, ClassProbabilities& out) override;

  void save(core::StateWriter& out) const override;
  core::Status load(core::StateReader& in) override;

  const Learner& final_learner() const { return *final_; }

  /// Applies every transformer to x, as predict_one does (nothing learns): the features the final
  /// learner sees. Returns the last buffer (or x itself when there are no transformers), valid
  /// until the next call.
  const FeatureVector& transform(const FeatureVector& x);

 private:

  std::vector<std::unique_ptr<Transformer>> transformers_;
  std::unique_ptr<Learner> final_;
  std::vector<FeatureVector> buffers_;  // one per transformer
};

}  // namespace streamlearn::learners
