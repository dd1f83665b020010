#include "monitors/metrics/roc_auc.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 2;  // 2: bin counts instead of matrices

// numpy's pairwise summation (add.reduce on a contiguous float64 array), which numpy.trapz and so
// River use: a plain loop below 8 terms, eight interleaved partial sums up to 128 terms, and a
// split in two (at a multiple of 8) above that. `term(i)` gives the i-th term.
template <typename Term>
double pairwise_sum(const Term& term, std::size_t first, std::size_t n) {
  if (n < 8) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += term(first + i);
    return sum;
  }
  if (n <= 128) {
    double partial[8];
    for (std::size_t j = 0; j < 8; ++j) partial[j] = term(first + j);
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (std::size_t j = 0; j < 8; ++j) partial[j] += term(first + i + j);
    double sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
                 ((partial[4] + partial[5]) + (partial[6] + partial[7]));
    for (; i < n; ++i) sum += term(first + i);
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return pairwise_sum(term, first, half) + pairwise_sum(term, first + half, n - half);
}

}  // namespace

RocAuc::RocAuc(Params params) : params_(params) {
  SL_CHECK(params_.n_thresholds >= 2);
  const std::size_t n = params_.n_thresholds;
  thresholds_.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    thresholds_[i] = static_cast<double>(i) / static_cast<double>(n - 1);
  thresholds_.front() -= 1e-7;
  thresholds_.back() += 1e-7;
  positives_.assign(n + 1, 0);
  negatives_.assign(n + 1, 0);
}

std::size_t RocAuc::bin_of(double p_positive) const {
  // The thresholds are sorted: the bin is the number of them below p_positive.
  return static_cast<std::size_t>(
      std::lower_bound(thresholds_.begin(), thresholds_.end(), p_positive) - thresholds_.begin());
}

void RocAuc::update(core::ClassId y_true, double p_positive) {
  auto& counts = y_true == core::ClassSet::kPositive ? positives_ : negatives_;
  ++counts[bin_of(p_positive)];
  ++count_;
}

void RocAuc::revert(core::ClassId y_true, double p_positive) {
  auto& counts = y_true == core::ClassSet::kPositive ? positives_ : negatives_;
  --counts[bin_of(p_positive)];
  --count_;
}

void RocAuc::merge(const RocAuc& other) {
  SL_CHECK_EQ(params_.n_thresholds, other.params_.n_thresholds);
  for (std::size_t b = 0; b < positives_.size(); ++b) {
    positives_[b] += other.positives_[b];
    negatives_[b] += other.negatives_[b];
  }
  count_ += other.count_;
}

BinaryConfusionMatrix RocAuc::matrix(std::size_t i) const {
  // Threshold i predicts positive exactly for the bins above i.
  BinaryConfusionMatrix matrix;
  for (std::size_t b = 0; b < positives_.size(); ++b) {
    const bool predicted_positive = b > i;
    matrix.add(true, predicted_positive, positives_[b]);
    matrix.add(false, predicted_positive, negatives_[b]);
  }
  return matrix;
}

double RocAuc::get() const {
  // numpy.trapz(y=tpr, x=fpr): the i-th term is (x[i+1] - x[i]) * (y[i+1] + y[i]) / 2.0. The false
  // positive rate falls as the threshold rises, so the integral is negative and River negates it.
  std::vector<BinaryConfusionMatrix> matrices(thresholds_.size());
  for (std::size_t i = 0; i < matrices.size(); ++i) matrices[i] = matrix(i);
  const auto term = [&matrices](std::size_t i) {
    const BinaryConfusionMatrix& left = matrices[i];
    const BinaryConfusionMatrix& right = matrices[i + 1];
    return (right.false_positive_rate() - left.false_positive_rate()) *
           (right.true_positive_rate() + left.true_positive_rate()) / 2.0;
  };
  // Adding +0.0 turns River's -0.0 (an empty or one-class stream) into 0.0 and changes nothing
  // else.
  return -pairwise_sum(term, 0, matrices.size() - 1) + 0.0;
}

void RocAuc::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write<std::uint64_t>(params_.n_thresholds);
  out.write_vector(positives_);
  out.write_vector(negatives_);
}

core::Status RocAuc::load(core::StateReader& in) {
  std::uint64_t n_thresholds = 0;
  if (!in.expect_version(kStateVersion) || !in.read(n_thresholds)) return in.status("RocAuc");
  if (n_thresholds != params_.n_thresholds) {
    in.fail();  // so that an enclosing object's load fails too
    return core::Status::error("RocAuc: saved state has " + std::to_string(n_thresholds) +
                               " thresholds but this metric is configured with " +
                               std::to_string(params_.n_thresholds) +
                               "; use the saved n_thresholds or start the metric afresh");
  }
  std::vector<std::uint64_t> positives, negatives;
  if (!in.read_vector(positives) || !in.read_vector(negatives) ||
      positives.size() != n_thresholds + 1 || negatives.size() != n_thresholds + 1) {
    in.fail();
    return in.status("RocAuc");
  }
  positives_ = std::move(positives);
  negatives_ = std::move(negatives);
  count_ = 0;
  for (std::size_t b = 0; b < positives_.size(); ++b) count_ += positives_[b] + negatives_[b];
  return core::Status::ok();
}

}  // namespace streamlearn::monitors
