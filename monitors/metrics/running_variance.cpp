#include "monitors/metrics/running_variance.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

void RunningVariance::revert(double x) {
  const double mean_old = mean_.get();
  mean_.revert(x);
  sum_of_squares_ -= (x - mean_old) * (x - mean_.get());
}

void RunningVariance::merge(const RunningVariance& other) {
  if (other.count() == 0) return;
  const double count = static_cast<double>(mean_.count());
  const double other_count = static_cast<double>(other.count());
  const double delta = other.mean() - mean();
  sum_of_squares_ = sum_of_squares_ + other.sum_of_squares_ +
                    delta * delta * count * other_count / (count + other_count);
  mean_.merge(other.mean_);
}

double RunningVariance::get() const {
  const std::uint64_t n = count();
  if (n <= 1) return 0.0;
  return sum_of_squares_ / static_cast<double>(n - 1);
}

void RunningVariance::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  mean_.save(out);
  out.write(sum_of_squares_);
}

core::Status RunningVariance::load(core::StateReader& in) {
  RunningVariance loaded;
  if (in.expect_version(kStateVersion) && loaded.mean_.load(in).is_ok() &&
      in.read(loaded.sum_of_squares_))
    *this = loaded;
  return in.status("RunningVariance");
}

}  // namespace streamlearn::monitors
