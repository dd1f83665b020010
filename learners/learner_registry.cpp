#include "learners/learner_registry.h"

#include "learners/linear/linear_regression.h"
#include "learners/linear/logistic_regression.h"
#include "core/model_expression.h"
#include "learners/naive_bayes/gaussian_nb.h"
#include "learners/pipeline.h"
#include "learners/preprocessing/bucketizer.h"
#include "learners/preprocessing/clipper.h"
#include "learners/preprocessing/feature_crosser.h"
#include "learners/preprocessing/feature_hasher.h"
#include "learners/preprocessing/min_max_scaler.h"
#include "learners/preprocessing/one_hot_encoder.h"
#include "learners/preprocessing/signed_log1p.h"
#include "learners/preprocessing/standard_scaler.h"
#include "learners/preprocessing/winsorizer.h"
#include "learners/tree/hoeffding_tree_classifier.h"

namespace streamlearn::learners {

const LearnerRegistry& LearnerRegistry::builtin() {
  static const LearnerRegistry registry = [] {
    LearnerRegistry r;
    r.add("logistic_regression", LogisticRegression::create,
          "binary logistic regression trained by SGD (River linear_model.LogisticRegression)");
    r.add("linear_regression", LinearRegression::create,
          "least-squares linear regression trained by SGD (River linear_model.LinearRegression)");
    r.add("gaussian_nb", GaussianNB::create, "Gaussian naive Bayes (River naive_bayes.GaussianNB)");
    r.add("hoeffding_tree", HoeffdingTreeClassifier::create,
          "Hoeffding tree classifier (River tree.HoeffdingTreeClassifier)");
    r.add("standard_scaler", StandardScaler::create,
          "online standardization to zero mean and unit variance (River "
          "preprocessing.StandardScaler)");
    r.add("min_max_scaler", MinMaxScaler::create,
          "online scaling to [0, 1] by the running min and max (River preprocessing.MinMaxScaler)");
    r.add("clip", Clipper::create, "clamps numeric features to fixed bounds: clip(min, max, cols)");
    r.add("winsorize", Winsorizer::create,
          "clips numeric features to their running P² quantiles: winsorize(lower=0.01, "
          "upper=0.99, cols)");
    r.add("log1p", SignedLog1p::create, "sign(x) * log1p(|x|) of numeric features: log1p(cols)");
    r.add("bucketize", Bucketizer::create,
          "numeric features to categorical buckets: bucketize(cols=[a], edges=[0, 10, 100])");
    r.add("one_hot", OneHotEncoder::create,
          "numeric codes to categories (zip=94110): one_hot(cols) (River "
          "preprocessing.OneHotEncoder)");
    r.add("hash", FeatureHasher::create,
          "the hashing trick into hash_<bucket> features: hash(cols, buckets=2^18, seed=0) (River "
          "preprocessing.FeatureHasher)");
    r.add("cross", FeatureCrosser::create,
          "adds the product feature of two or more features (a=x*b): cross(cols=[a, b])");
    return r;
  }();
  return registry;
}

void LearnerRegistry::add(std::string name, LearnerFactory factory, std::string summary) {
  factories_[std::move(name)] = {std::move(factory), nullptr, std::move(summary)};
}

void LearnerRegistry::add(std::string name, TransformerFactory factory, std::string summary) {
  factories_[std::move(name)] = {nullptr, std::move(factory), std::move(summary)};
}

void LearnerRegistry::add(std::string name, PlainTransformerFactory factory, std::string summary) {
  add(std::move(name),
      TransformerFactory([factory = std::move(factory)](core::ParamReader& reader,
                                                        core::FeatureSpace*) {
        return factory(reader);
      }),
      std::move(summary));
}

core::Result<std::unique_ptr<Learner>> LearnerRegistry::build(std::string_view expression,
                                                              core::FeatureSpace* features) const {
  auto steps = core::parse_model_expression(expression);
  if (!steps) return steps.status();

  std::vector<std::string> errors;
  std::vector<std::unique_ptr<Transformer>> transformers;
  std::unique_ptr<Learner> final;
  const std::size_t count = steps->size();
  for (std::size_t i = 0; i < count; ++i) {
    const core::ModelStep& step = (*steps)[i];
    const bool is_last = i + 1 == count;
    auto it = factories_.find(step.name);
    if (it == factories_.end()) {
      std::string known;
      for (const auto& [name, unused] : factories_) known += (known.empty() ? "" : ", ") + name;
      errors.push_back("unknown model '" + step.name + "' (known: " + known + ")");
      continue;
    }
    core::ParamReader params(step.name, step.params);
    if (it->second.transformer) {
      if (is_last) {
        errors.push_back("'" + step.name +
                         "' is a transformer: end the expression with a learner, e.g. '" +
                         step.name + " | logistic_regression'");
      }
      // A factory returns null only after reporting why through `params`.
      if (auto transformer = it->second.transformer(params, features))
        transformers.push_back(std::move(transformer));
    } else if (!is_last) {
      errors.push_back("'" + step.name + "' is a learner: only the last step may be a learner");
    } else {
      final = it->second.learner(params);
    }
    if (core::Status status = params.finish(); !status) errors.push_back(status.message());
  }
  if (!errors.empty()) {
    std::string message = "model expression '" + std::string(expression) + "':";
    for (const std::string& error : errors) message += "\n  " + error;
    return core::Status::error(message);
  }
  if (transformers.empty()) return final;
  return std::unique_ptr<Learner>(
      std::make_unique<Pipeline>(std::move(transformers), std::move(final)));
}

std::vector<LearnerRegistry::Entry> LearnerRegistry::entries() const {
  std::vector<Entry> entries;
  for (const auto& [name, factories] : factories_)
    entries.push_back({name, factories.summary, factories.transformer != nullptr});
  return entries;
}

}  // namespace streamlearn::learners
