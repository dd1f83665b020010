#include "monitors/alerts/alert_policy.h"

#include <cmath>

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

bool AlertPolicy::breaches(double value, std::uint64_t samples) const {
  if (std::isnan(value) || samples < params_.min_samples) return false;
  return params_.direction == Direction::kAbove ? value > params_.threshold
                                                : value < params_.threshold;
}

bool AlertPolicy::cooling_down(std::uint64_t position, std::int64_t time_ms) const {
  if (!fired_ || params_.cooldown.is_zero()) return false;
  if (!params_.cooldown.by_time())
    return position - last_alert_position_ < static_cast<std::uint64_t>(params_.cooldown.amount);
  if (time_ms == WindowBounds::kNoTime || last_alert_time_ms_ == WindowBounds::kNoTime)
    return false;
  return time_ms - last_alert_time_ms_ < params_.cooldown.amount;
}

bool AlertPolicy::evaluate(double value, std::uint64_t samples, std::uint64_t position,
                           std::int64_t time_ms) {
  if (!breaches(value, samples)) {
    breaches_in_a_row_ = 0;
    return false;
  }
  if (++breaches_in_a_row_ < params_.consecutive) return false;
  if (cooling_down(position, time_ms)) return false;
  breaches_in_a_row_ = 0;
  fired_ = true;
  last_alert_position_ = position;
  last_alert_time_ms_ = time_ms;
  return true;
}

void AlertPolicy::reset() {
  breaches_in_a_row_ = 0;
  fired_ = false;
  last_alert_position_ = 0;
  last_alert_time_ms_ = WindowBounds::kNoTime;
}

void AlertPolicy::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(breaches_in_a_row_);
  out.write_bool(fired_);
  out.write(last_alert_position_);
  out.write(last_alert_time_ms_);
}

void AlertPolicy::save_params(core::StateWriter& out, const Params& params) {
  out.write(params.threshold);
  out.write(static_cast<std::uint8_t>(params.direction));
  out.write(params.min_samples);
  out.write(params.consecutive);
  params.cooldown.save(out);
}

core::Status AlertPolicy::load(core::StateReader& in) {
  AlertPolicy loaded(params_);
  if (in.expect_version(kStateVersion) && in.read(loaded.breaches_in_a_row_) &&
      in.read_bool(loaded.fired_) && in.read(loaded.last_alert_position_) &&
      in.read(loaded.last_alert_time_ms_))
    *this = loaded;
  return in.status("alert policy");
}

}  // namespace streamlearn::monitors
