#include "monitors/metrics/log_loss.h"

#include <algorithm>
#include <cmath>

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;
constexpr double kMinProbability = 1e-15;
constexpr double kMaxProbability = 1 - 1e-15;

// River's utils.math.clamp: max(min(p, maximum), minimum). NaN passes through, as in Python.
double clamp_probability(double p) {
  return std::max(std::min(p, kMaxProbability), kMinProbability);
}

}  // namespace

double LogLoss::binary_loss(bool positive, double p_positive) {
  const double p = clamp_probability(p_positive);
  return positive ? -std::log(p) : -std::log(1 - p);
}

double LogLoss::cross_entropy(const ClassificationObservation& observation) {
  if (!observation.true_class_known) return 0.0;
  return -std::log(clamp_probability(observation.p_true));
}

LogLoss::Terms LogLoss::terms(const ClassificationObservation& observation) {
  // Both terms, with one logarithm when their arguments are equal: always for the positive class,
  // and for the negative one whenever the model's p0 is exactly 1 - p1.
  const double p = clamp_probability(observation.p_positive);
  const double binary_argument = observation.y_true == core::ClassSet::kPositive ? p : 1 - p;
  const double binary = -std::log(binary_argument);
  if (!observation.true_class_known) return {binary, 0.0};
  const double cross_argument = clamp_probability(observation.p_true);
  return {binary, cross_argument == binary_argument ? binary : -std::log(cross_argument)};
}

void LogLoss::update(const ClassificationObservation& observation) {
  const Terms loss = terms(observation);
  binary_.update(loss.binary);
  cross_entropy_.update(loss.cross_entropy);
  num_classes_seen_ = std::max<std::uint64_t>(
      num_classes_seen_, std::uint64_t{std::max(observation.y_true, observation.y_pred)} + 1);
}

void LogLoss::revert(const ClassificationObservation& observation) {
  const Terms loss = terms(observation);
  binary_.revert(loss.binary);
  cross_entropy_.revert(loss.cross_entropy);
}

void LogLoss::merge(const LogLoss& other) {
  binary_.merge(other.binary_);
  cross_entropy_.merge(other.cross_entropy_);
  num_classes_seen_ = std::max(num_classes_seen_, other.num_classes_seen_);
}

void LogLoss::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  binary_.save(out);
  cross_entropy_.save(out);
  out.write(num_classes_seen_);
}

core::Status LogLoss::load(core::StateReader& in) {
  LogLoss loaded;
  if (in.expect_version(kStateVersion) && loaded.binary_.load(in).is_ok() &&
      loaded.cross_entropy_.load(in).is_ok() && in.read(loaded.num_classes_seen_))
    *this = loaded;
  return in.status("LogLoss");
}

}  // namespace streamlearn::monitors
