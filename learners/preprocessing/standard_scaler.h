#pragma once

/// STUB: to be implemented.

#include "core/param_reader.h"
#include "learners/learner.h"

namespace streamlearn::learners {

class StandardScaler final : public Transformer {
 public:
  struct Params {};
  explicit StandardScaler(Params params) : params_(params) {}
  static std::unique_ptr<Transformer> create(core::ParamReader& reader);

  std::string describe() const override { return "stub"; }
  std::unique_ptr<Transformer> clone() const override { return std::make_unique<StandardScaler>(params_); }
  void learn_one(const FeatureVector&) override {}
  void transform_one(const FeatureVector& x, FeatureVector& out) const override { out = x; }
  void save(core::StateWriter&) const override {}
  core::Status load(core::StateReader&) override { return core::Status::ok(); }

 private:
  Params params_;
};

}  // namespace streamlearn::learners
