#pragma once

/// GaussianNB: Gaussian naive Bayes, a port of River's naive_bayes.GaussianNB (River 0.21.1). For
/// every class it counts the events and keeps, per feature, a running Gaussian (River's
/// proba.Gaussian: Welford mean and sample variance, ddof = 1). predict_proba_one computes the
/// joint log-likelihood of each learned class, log P(c) + sum over the features of x of
/// log(1e-9 + pdf_c(x_i)), where the pdf is 0 while a feature's variance is 0 (fewer than two
/// values, or all equal, or never seen with that class), and normalizes with scipy's logsumexp
/// as River does. Before any learning the prediction is empty (the event is not scored).
/// Categorical features enter as one-hot indicators with value 1.0. The class set is open: a new
/// class can arrive at any time.
///
/// Cost: learn_one O(features in x); predict_proba_one O(classes x features in x), each term an
/// exp and a log; nothing allocated per event in steady state. Memory O(classes x largest
/// FeatureId). Not thread-safe (prediction writes scratch buffers).
/// Reference: River's naive_bayes/gaussian.py, naive_bayes/base.py, proba/gaussian.py,
/// stats/var.py; Welford (1962); T. Chan, G. Golub and R. LeVeque, "Algorithms for computing the
/// sample variance", The American Statistician, 1983.
///
///     GaussianNB model({});
///     model.learn_one(x, Target::of_class(label));
///     model.predict_proba_one(x, proba);  // proba[c] = P(c | x)

#include <cstdint>
#include <vector>

#include "core/param_reader.h"
#include "learners/learner.h"

namespace streamlearn::learners {

class GaussianNB final : public Learner {
 public:
  /// River's GaussianNB has no parameters.
  struct Params {
    bool operator==(const Params&) const = default;
  };

  explicit GaussianNB(Params params) : params_(params) {}
  /// Registry factory: takes no parameters.
  static std::unique_ptr<Learner> create(core::ParamReader& reader);

  const Params& params() const { return params_; }
  /// Events learned with class `id`.
  std::uint64_t class_count(core::ClassId id) const {
    return id < class_counts_.size() ? class_counts_[id] : 0;
  }

  Task task() const override { return Task::kClassification; }
  std::string describe() const override { return "gaussian_nb"; }
  std::unique_ptr<Learner> clone() const override;

  void learn_one(const FeatureVector& x, const Target& y) override;
  void predict_proba_one(const FeatureVector& x, ClassProbabilities& out) override;

  void save(core::StateWriter& out) const override;
  [[nodiscard]] core::Status load(core::StateReader& in) override;

 private:
  /// River's proba.Gaussian over stats.Var(ddof=1): count, running mean, sum of squared
  /// deviations, and the two constants of its density, refreshed on update so that prediction
  /// does neither the division nor the square root (the values are the ones River computes).
  struct Gaussian {
    double count = 0;
    double mean = 0;
    double sum_squares = 0;
    double neg_two_variance = 0;  // -2 * variance
    double normalizer = 0;        // sqrt(tau * variance); 0 while the variance is 0

    void refresh_density();
    /// The normal density at x; 0 when the variance is 0, as River's proba.Gaussian returns.
    double density(double x) const;
  };

  Params params_;
  std::uint64_t total_count_ = 0;
  std::vector<std::uint64_t> class_counts_;       // by ClassId
  std::vector<core::ClassId> class_order_;        // learned classes in first-seen order (River's)
  std::vector<std::vector<Gaussian>> gaussians_;  // [ClassId][FeatureId]
  std::vector<double> log_likelihoods_;           // scratch, by position in class_order_
};

}  // namespace streamlearn::learners
