#include "monitors/drift/hddm_a.h"

#include <cmath>

#include "core/param_writer.h"

namespace streamlearn::monitors {
namespace {

using core::ParamWriter;

constexpr std::uint32_t kStateVersion = 1;

void require_probability(core::ParamReader& reader, std::string_view key, double value) {
  if (!(value > 0 && value < 1))
    reader.reject(key, "must be in (0, 1), got " + ParamWriter::format_number(value));
}

}  // namespace

std::unique_ptr<DriftDetector> HddmA::create(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.drift_confidence = reader.number("drift_confidence", defaults.drift_confidence);
  params.warning_confidence = reader.number("warning_confidence", defaults.warning_confidence);
  params.two_sided_test = reader.boolean("two_sided_test", defaults.two_sided_test);
  require_probability(reader, "drift_confidence", params.drift_confidence);
  require_probability(reader, "warning_confidence", params.warning_confidence);
  return std::make_unique<HddmA>(params);
}

std::string HddmA::describe() const {
  const Params defaults;
  ParamWriter writer("hddm_a");
  writer.number("drift_confidence", params_.drift_confidence, defaults.drift_confidence);
  writer.number("warning_confidence", params_.warning_confidence, defaults.warning_confidence);
  writer.boolean("two_sided_test", params_.two_sided_test, defaults.two_sided_test);
  return writer.expression();
}

void HddmA::reset() {
  total_ = RunningMean();
  increase_cut_ = RunningMean();
  decrease_cut_ = RunningMean();
  drift_detected_ = false;
  warning_detected_ = false;
}

double HddmA::hoeffding_bound(double num_samples) const {
  // River's bound always uses drift_confidence, also for the warning test's cut points.
  return std::sqrt(1.0 / (2 * num_samples) * std::log(1.0 / params_.drift_confidence));
}

bool HddmA::exceeds_bound(const RunningMean& cut, double difference, double confidence) const {
  if (cut.count() == total_.count()) return false;
  const auto num_cut = static_cast<double>(cut.count());
  const auto num_total = static_cast<double>(total_.count());
  const double m = (num_total - num_cut) / num_cut * (1.0 / num_total);
  const double bound = std::sqrt(m / 2 * std::log(2.0 / confidence));
  return difference >= bound;
}

void HddmA::update(double x) {
  if (drift_detected_) reset();

  total_.update(x);
  // Right after a reset both cut points start at the first value.
  if (increase_cut_.count() == 0) increase_cut_ = total_;
  if (decrease_cut_.count() == 0) decrease_cut_ = total_;

  const double total_bound = hoeffding_bound(static_cast<double>(total_.count()));
  const double increase_bound = hoeffding_bound(static_cast<double>(increase_cut_.count()));
  if (increase_cut_.get() + increase_bound >= total_.get() + total_bound) increase_cut_ = total_;
  const double decrease_bound = hoeffding_bound(static_cast<double>(decrease_cut_.count()));
  if (decrease_cut_.get() - decrease_bound <= total_.get() - total_bound) decrease_cut_ = total_;

  const double increase = total_.get() - increase_cut_.get();
  if (exceeds_bound(increase_cut_, increase, params_.drift_confidence)) {
    warning_detected_ = false;
    drift_detected_ = true;
  } else {
    warning_detected_ = exceeds_bound(increase_cut_, increase, params_.warning_confidence);
    drift_detected_ = false;
  }

  if (!params_.two_sided_test) return;
  // As in River, a decrease can add drift or a warning but never clears what the increase test
  // set.
  const double decrease = decrease_cut_.get() - total_.get();
  if (exceeds_bound(decrease_cut_, decrease, params_.drift_confidence)) {
    drift_detected_ = true;
  } else if (exceeds_bound(decrease_cut_, decrease, params_.warning_confidence)) {
    warning_detected_ = true;
  }
}

void HddmA::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  total_.save(out);
  increase_cut_.save(out);
  decrease_cut_.save(out);
  out.write_bool(drift_detected_);
  out.write_bool(warning_detected_);
}

core::Status HddmA::load(core::StateReader& in) {
  HddmA loaded(params_);
  if (in.expect_version(kStateVersion) && loaded.total_.load(in).is_ok() &&
      loaded.increase_cut_.load(in).is_ok() && loaded.decrease_cut_.load(in).is_ok() &&
      in.read_bool(loaded.drift_detected_) && in.read_bool(loaded.warning_detected_))
    *this = loaded;
  return in.status("hddm_a");
}

}  // namespace streamlearn::monitors
