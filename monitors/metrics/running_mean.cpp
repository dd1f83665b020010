#include "monitors/metrics/running_mean.h"

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

void RunningMean::revert(double x) {
  SL_DCHECK(count_ > 0);
  --count_;
  if (count_ == 0) {
    mean_ = 0.0;
    return;
  }
  mean_ -= (1.0 / static_cast<double>(count_)) * (x - mean_);
}

void RunningMean::merge(const RunningMean& other) {
  if (other.count_ == 0) return;
  const double old_count = static_cast<double>(count_);
  count_ += other.count_;
  mean_ = (old_count * mean_ + static_cast<double>(other.count_) * other.mean_) /
          static_cast<double>(count_);
}

void RunningMean::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(count_);
  out.write(mean_);
}

core::Status RunningMean::load(core::StateReader& in) {
  RunningMean loaded;
  if (in.expect_version(kStateVersion) && in.read(loaded.count_) && in.read(loaded.mean_))
    *this = loaded;
  return in.status("RunningMean");
}

}  // namespace streamlearn::monitors
