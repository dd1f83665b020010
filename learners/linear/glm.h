#pragma once

/// Glm: the weights, intercept and plain-SGD update shared by LinearRegression and
/// LogisticRegression, a port of River's linear_model.base.GLM driven by optim.SGD (River 0.21.1).
/// The caller supplies the loss gradient with respect to the raw output w·x + b; Glm does the
/// rest in River's order: the raw output is computed with the weights from before the update, the
/// loss gradient is clipped, the intercept moves by intercept_lr times it, then every weight of a
/// feature present in x moves by lr times (x_i * gradient + l2 * w_i), and finally the cumulative
/// L1 penalty (Tsuruoka et al., 2009) is applied to those weights when l1 is non-zero.
///
/// Weights live in a vector indexed by FeatureId that grows when a new feature arrives, so an
/// update costs O(features in x) time and nothing is allocated per event in steady state; memory is
/// O(largest FeatureId). Sums run over x in its own order, as River iterates its dicts, so the
/// results match River bit for bit on streams whose features arrive in a fixed order.
/// Not thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/feature_vector.h"
#include "core/param_reader.h"
#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::learners {

class Glm {
 public:
  /// River's GLM parameters with the defaults of LinearRegression and LogisticRegression.
  struct Params {
    double lr = 0.01;             // the SGD learning rate (optim.SGD(lr))
    double l2 = 0.0;              // L2 penalty added to the weight gradient as l2 * w_i
    double l1 = 0.0;              // cumulative L1 penalty; exclusive with l2, as in River
    double intercept_init = 0.0;  // the intercept before any learning
    double intercept_lr = 0.01;   // constant learning rate of the intercept; 0 freezes it
    double clip_gradient = 1e12;  // bound on the absolute loss gradient
    bool operator==(const Params&) const = default;
  };

  /// Reads the parameters by River's names and checks them; problems go to the reader.
  static Params read_params(core::ParamReader& reader);
  /// `name`, or `name(key=value, ...)` with every parameter that differs from its default.
  static std::string describe(std::string_view name, const Params& params);

  explicit Glm(const Params& params) : params_(params), intercept_(params.intercept_init) {}

  const Params& params() const { return params_; }
  double intercept() const { return intercept_; }
  /// The weight of a feature; 0 for a feature never learned.
  double weight(core::FeatureId id) const { return id < weights_.size() ? weights_[id] : 0.0; }

  /// w·x + intercept with the current weights (River's _raw_dot_one).
  double raw_dot(const core::FeatureVector& x) const;

  /// One SGD step on x. `loss_gradient(raw)` returns d loss / d raw at the raw output `raw`.
  template <typename LossGradient>
  void learn_one(const core::FeatureVector& x, LossGradient&& loss_gradient) {
    const double raw = learn_dot(x);
    step(x, loss_gradient(raw));
  }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in, std::string_view owner);

 private:
  /// raw_dot that first makes room for every feature of x (their weights start at 0).
  double learn_dot(const core::FeatureVector& x);
  void step(const core::FeatureVector& x, double loss_gradient);

  Params params_;
  double intercept_;
  std::vector<double> weights_;  // by FeatureId
  // Cumulative L1 penalty state (River's max_cum_l1 and cum_l1); used only when l1 != 0.
  double max_cum_l1_ = 0.0;
  std::vector<double> cum_l1_;  // by FeatureId
};

}  // namespace streamlearn::learners
