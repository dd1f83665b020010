#pragma once

/// STUB: to be implemented.

#include "core/param_reader.h"
#include "learners/learner.h"

namespace streamlearn::learners {

class LogisticRegression final : public Learner {
 public:
  struct Params {};
  explicit LogisticRegression(Params params) : params_(params) {}
  static std::unique_ptr<Learner> create(core::ParamReader& reader);

  Task task() const override { return Task::kClassification; }
  std::string describe() const override { return "stub"; }
  std::unique_ptr<Learner> clone() const override { return std::make_unique<LogisticRegression>(params_); }
  void learn_one(const FeatureVector&, const Target&) override {}
  void save(core::StateWriter&) const override {}
  core::Status load(core::StateReader&) override { return core::Status::ok(); }

 private:
  Params params_;
};

}  // namespace streamlearn::learners
