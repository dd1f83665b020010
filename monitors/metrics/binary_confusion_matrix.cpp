#include "monitors/metrics/binary_confusion_matrix.h"

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

// Python's float division, with River's ZeroDivisionError -> 0.0 convention.
double divide_or_zero(double numerator, double denominator) {
  return denominator == 0.0 ? 0.0 : numerator / denominator;
}

}  // namespace

void BinaryConfusionMatrix::revert(bool actual_positive, bool predicted_positive) {
  std::uint64_t& counter = cell(actual_positive, predicted_positive);
  SL_DCHECK(counter > 0);
  --counter;
}

void BinaryConfusionMatrix::merge(const BinaryConfusionMatrix& other) {
  true_positives_ += other.true_positives_;
  false_positives_ += other.false_positives_;
  true_negatives_ += other.true_negatives_;
  false_negatives_ += other.false_negatives_;
}

double BinaryConfusionMatrix::precision() const {
  const auto tp = static_cast<double>(true_positives_);
  return divide_or_zero(tp, tp + static_cast<double>(false_positives_));
}

double BinaryConfusionMatrix::recall() const {
  const auto tp = static_cast<double>(true_positives_);
  return divide_or_zero(tp, tp + static_cast<double>(false_negatives_));
}

double BinaryConfusionMatrix::f1() const {
  constexpr double kBetaSquared = 1.0;
  const double p = precision();
  const double r = recall();
  // Same operation order as River's FBeta.get(), so the same bits.
  return divide_or_zero((1.0 + kBetaSquared) * p * r, kBetaSquared * p + r);
}

double BinaryConfusionMatrix::false_positive_rate() const {
  const auto fp = static_cast<double>(false_positives_);
  return divide_or_zero(fp, fp + static_cast<double>(true_negatives_));
}

void BinaryConfusionMatrix::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(true_positives_);
  out.write(false_positives_);
  out.write(true_negatives_);
  out.write(false_negatives_);
}

core::Status BinaryConfusionMatrix::load(core::StateReader& in) {
  BinaryConfusionMatrix loaded;
  if (in.expect_version(kStateVersion) && in.read(loaded.true_positives_) &&
      in.read(loaded.false_positives_) && in.read(loaded.true_negatives_) &&
      in.read(loaded.false_negatives_))
    *this = loaded;
  return in.status("BinaryConfusionMatrix");
}

}  // namespace streamlearn::monitors
