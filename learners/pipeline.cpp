#include "learners/pipeline.h"

namespace streamlearn::learners {

Pipeline::Pipeline(std::vector<std::unique_ptr<Transformer>> transformers,
                   std::unique_ptr<Learner> final)
    : transformers_(std::move(transformers)),
      final_(std::move(final)),
      buffers_(transformers_.size()) {}

std::string Pipeline::describe() const {
  std::string text;
  for (const auto& transformer : transformers_) text += transformer->describe() + " | ";
  return text + final_->describe();
}

std::unique_ptr<Learner> Pipeline::clone() const {
  std::vector<std::unique_ptr<Transformer>> transformers;
  for (const auto& transformer : transformers_) transformers.push_back(transformer->clone());
  return std::make_unique<Pipeline>(std::move(transformers), final_->clone());
}

const FeatureVector& Pipeline::transform(const FeatureVector& x) {
  const FeatureVector* current = &x;
  for (std::size_t i = 0; i < transformers_.size(); ++i) {
    transformers_[i]->transform_one(*current, buffers_[i]);
    current = &buffers_[i];
  }
  return *current;
}

void Pipeline::learn_one(const FeatureVector& x, const Target& y) {
  const FeatureVector* current = &x;
  for (std::size_t i = 0; i < transformers_.size(); ++i) {
    transformers_[i]->learn_transform_one(*current, buffers_[i]);
    current = &buffers_[i];
  }
  final_->learn_one(*current, y);
}

Target Pipeline::predict_one(const FeatureVector& x) { return final_->predict_one(transform(x)); }

void Pipeline::predict_proba_one(const FeatureVector& x, ClassProbabilities& out) {
  final_->predict_proba_one(transform(x), out);
}

void Pipeline::save(core::StateWriter& out) const {
  out.write<std::uint32_t>(1);
  for (const auto& transformer : transformers_) transformer->save(out);
  final_->save(out);
}

core::Status Pipeline::load(core::StateReader& in) {
  if (!in.expect_version(1)) return in.status("pipeline");
  for (auto& transformer : transformers_) SL_RETURN_IF_ERROR(transformer->load(in));
  return final_->load(in);
}

}  // namespace streamlearn::learners
