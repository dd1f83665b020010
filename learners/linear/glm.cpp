#include "learners/linear/glm.h"

#include <algorithm>
#include <cmath>

#include "core/param_writer.h"

namespace streamlearn::learners {
namespace {

using core::ParamWriter;

void require_non_negative(core::ParamReader& reader, std::string_view key, double value) {
  if (value < 0) reader.reject(key, "must be >= 0, got " + ParamWriter::format_number(value));
}

}  // namespace

Glm::Params Glm::read_params(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.lr = reader.number("lr", defaults.lr);
  params.l2 = reader.number("l2", defaults.l2);
  params.l1 = reader.number("l1", defaults.l1);
  params.intercept_init = reader.number("intercept_init", defaults.intercept_init);
  params.intercept_lr = reader.number("intercept_lr", defaults.intercept_lr);
  params.clip_gradient = reader.number("clip_gradient", defaults.clip_gradient);
  require_non_negative(reader, "lr", params.lr);
  require_non_negative(reader, "l2", params.l2);
  require_non_negative(reader, "l1", params.l1);
  require_non_negative(reader, "intercept_lr", params.intercept_lr);
  if (params.clip_gradient <= 0)
    reader.reject("clip_gradient",
                  "must be > 0, got " + ParamWriter::format_number(params.clip_gradient));
  // River raises NotImplementedError for this combination; refuse it up front.
  if (params.l1 != 0 && params.l2 != 0)
    reader.reject("l1",
                  "l1 and l2 cannot both be non-zero (River supports one penalty at a "
                  "time): set l1=0 or l2=0");
  return params;
}

std::string Glm::describe(std::string_view name, const Params& params) {
  const Params defaults;
  ParamWriter writer(std::string{name});
  writer.number("lr", params.lr, defaults.lr);
  writer.number("l2", params.l2, defaults.l2);
  writer.number("l1", params.l1, defaults.l1);
  writer.number("intercept_init", params.intercept_init, defaults.intercept_init);
  writer.number("intercept_lr", params.intercept_lr, defaults.intercept_lr);
  writer.number("clip_gradient", params.clip_gradient, defaults.clip_gradient);
  return writer.expression();
}

double Glm::raw_dot(const core::FeatureVector& x) const {
  // River starts the dot product at 0 and adds the intercept last.
  double dot = 0.0;
  const std::size_t size = weights_.size();
  core::for_each_numeric(x, [&](core::FeatureId id, double value) {
    if (id < size) dot += weights_[id] * value;
  });
  return dot + intercept_;
}

double Glm::learn_dot(const core::FeatureVector& x) {
  double dot = 0.0;
  core::for_each_numeric(x, [&](core::FeatureId id, double value) {
    if (id >= weights_.size()) {
      weights_.resize(id + 1, 0.0);
      if (params_.l1 != 0.0) cum_l1_.resize(id + 1, 0.0);
    }
    dot += weights_[id] * value;
  });
  return dot + intercept_;
}

void Glm::step(const core::FeatureVector& x, double loss_gradient) {
  const double gradient =
      std::max(std::min(loss_gradient, params_.clip_gradient), -params_.clip_gradient);
  intercept_ -= params_.intercept_lr * gradient;

  const double lr = params_.lr;
  const double l2 = params_.l2;
  if (l2 != 0.0) {
    // The penalty uses each weight from before this step: every feature of x is updated once.
    core::for_each_numeric(x, [&](core::FeatureId id, double value) {
      weights_[id] -= lr * (value * gradient + l2 * weights_[id]);
    });
  } else {
    core::for_each_numeric(
        x, [&](core::FeatureId id, double value) { weights_[id] -= lr * (value * gradient); });
  }

  if (params_.l1 == 0.0) return;
  max_cum_l1_ += params_.l1 * lr;
  core::for_each_numeric(x, [&](core::FeatureId id, double) {
    const double before = weights_[id];
    if (before > 0) {
      weights_[id] = std::max(0.0, before - (max_cum_l1_ + cum_l1_[id]));
    } else if (before < 0) {
      weights_[id] = std::min(0.0, before + (max_cum_l1_ - cum_l1_[id]));
    }
    cum_l1_[id] += weights_[id] - before;
  });
}

void Glm::save(core::StateWriter& out) const {
  out.write<std::uint32_t>(1);
  out.write(intercept_);
  out.write(max_cum_l1_);
  out.write_vector(weights_);
  out.write_vector(cum_l1_);
}

core::Status Glm::load(core::StateReader& in, std::string_view owner) {
  double intercept = 0, max_cum_l1 = 0;
  std::vector<double> weights, cum_l1;
  if (in.expect_version(1) && in.read(intercept) && in.read(max_cum_l1) &&
      in.read_vector(weights) && in.read_vector(cum_l1)) {
    const bool l1_consistent = params_.l1 != 0.0 ? cum_l1.size() == weights.size() : cum_l1.empty();
    if (l1_consistent) {
      intercept_ = intercept;
      max_cum_l1_ = max_cum_l1;
      weights_ = std::move(weights);
      cum_l1_ = std::move(cum_l1);
      return core::Status::ok();
    }
    in.fail();
  }
  return in.status(owner);
}

}  // namespace streamlearn::learners
