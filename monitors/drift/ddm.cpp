#include "monitors/drift/ddm.h"

#include <cmath>

#include "core/param_writer.h"

namespace streamlearn::monitors {
namespace {

using core::ParamWriter;

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

std::unique_ptr<DriftDetector> Ddm::create(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.warm_start = reader.integer("warm_start", defaults.warm_start);
  params.warning_threshold = reader.number("warning_threshold", defaults.warning_threshold);
  params.drift_threshold = reader.number("drift_threshold", defaults.drift_threshold);
  if (params.warm_start < 0)
    reader.reject("warm_start", "must be >= 0, got " + std::to_string(params.warm_start));
  if (!(params.warning_threshold > 0))
    reader.reject("warning_threshold",
                  "must be > 0, got " + ParamWriter::format_number(params.warning_threshold));
  if (!(params.drift_threshold > 0))
    reader.reject("drift_threshold",
                  "must be > 0, got " + ParamWriter::format_number(params.drift_threshold));
  return std::make_unique<Ddm>(params);
}

std::string Ddm::describe() const {
  const Params defaults;
  ParamWriter writer("ddm");
  writer.integer("warm_start", params_.warm_start, defaults.warm_start);
  writer.number("warning_threshold", params_.warning_threshold, defaults.warning_threshold);
  writer.number("drift_threshold", params_.drift_threshold, defaults.drift_threshold);
  return writer.expression();
}

double Ddm::error_rate_std() const {
  if (error_rate_.count() == 0) return 0.0;
  const double p = error_rate_.get();
  return std::sqrt(p * (1 - p) / static_cast<double>(error_rate_.count()));
}

void Ddm::reset() {
  error_rate_ = RunningMean();
  p_min_ = std::numeric_limits<double>::infinity();
  s_min_ = std::numeric_limits<double>::infinity();
  ps_min_ = std::numeric_limits<double>::infinity();
  drift_detected_ = false;
  warning_detected_ = false;
}

void Ddm::update(double x) {
  if (drift_detected_) reset();

  error_rate_.update(x);
  const double p = error_rate_.get();
  const double s = error_rate_std();
  // warm_start is validated non-negative, so the comparison in unsigned arithmetic is exact.
  if (error_rate_.count() <= static_cast<std::uint64_t>(params_.warm_start)) return;

  // `<=`: a later point with the same p + s replaces the minimum, as in River.
  if (p + s <= ps_min_) {
    p_min_ = p;
    s_min_ = s;
    ps_min_ = p_min_ + s_min_;
  }
  warning_detected_ = p + s > p_min_ + params_.warning_threshold * s_min_;
  if (p + s > p_min_ + params_.drift_threshold * s_min_) {
    drift_detected_ = true;
    warning_detected_ = false;
  }
}

void Ddm::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  error_rate_.save(out);
  out.write(p_min_);
  out.write(s_min_);
  out.write(ps_min_);
  out.write_bool(drift_detected_);
  out.write_bool(warning_detected_);
}

core::Status Ddm::load(core::StateReader& in) {
  Ddm loaded(params_);
  if (in.expect_version(kStateVersion) && loaded.error_rate_.load(in).is_ok() &&
      in.read(loaded.p_min_) && in.read(loaded.s_min_) && in.read(loaded.ps_min_) &&
      in.read_bool(loaded.drift_detected_) && in.read_bool(loaded.warning_detected_))
    *this = loaded;
  return in.status("ddm");
}

}  // namespace streamlearn::monitors
