#include "monitors/drift/eddm.h"

#include <cmath>

#include "core/param_writer.h"

namespace streamlearn::monitors {
namespace {

using core::ParamWriter;

constexpr std::uint32_t kStateVersion = 1;

// River writes var ** 0.5, which CPython evaluates with the C library's pow. That is not always
// the correctly rounded sqrt (about 1 value in 1000 differs in the last bit), so the call is kept
// and its exponent goes through a volatile lest the compiler rewrite it.
double library_pow(double base, double exponent) {
  volatile double opaque_exponent = exponent;
  return std::pow(base, opaque_exponent);
}

}  // namespace

std::unique_ptr<DriftDetector> Eddm::create(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.warm_start = reader.integer("warm_start", defaults.warm_start);
  params.alpha = reader.number("alpha", defaults.alpha);
  params.beta = reader.number("beta", defaults.beta);
  if (params.warm_start < 0)
    reader.reject("warm_start", "must be >= 0, got " + std::to_string(params.warm_start));
  if (!(params.alpha > 0 && params.alpha <= 1))
    reader.reject("alpha", "must be in (0, 1], got " + ParamWriter::format_number(params.alpha));
  if (!(params.beta > 0 && params.beta <= 1))
    reader.reject("beta", "must be in (0, 1], got " + ParamWriter::format_number(params.beta));
  // River raises ValueError for this: the warning level must not be below the drift level.
  if (params.alpha < params.beta)
    reader.reject("alpha", "must be >= beta (" + ParamWriter::format_number(params.beta) +
                               "), got " + ParamWriter::format_number(params.alpha));
  return std::make_unique<Eddm>(params);
}

std::string Eddm::describe() const {
  const Params defaults;
  ParamWriter writer("eddm");
  writer.integer("warm_start", params_.warm_start, defaults.warm_start);
  writer.number("alpha", params_.alpha, defaults.alpha);
  writer.number("beta", params_.beta, defaults.beta);
  return writer.expression();
}

void Eddm::reset() {
  error_distances_ = RunningVariance();
  num_samples_ = 0;
  last_error_ = 0;
  num_errors_ = 0;
  p2s_max_ = -1.0;
  drift_detected_ = false;
  warning_detected_ = false;
}

void Eddm::update(double x) {
  if (drift_detected_) reset();

  ++num_samples_;
  // River tests `x == 1`, so only an exact 1 is an error.
  if (x != 1.0) return;

  ++num_errors_;
  error_distances_.update(static_cast<double>(num_samples_ - last_error_));
  // warm_start is validated non-negative, so the comparisons in unsigned arithmetic are exact.
  const auto warm_start = static_cast<std::uint64_t>(params_.warm_start);
  if (num_samples_ > warm_start) {
    const double mean = error_distances_.mean();
    const double std_dev = library_pow(error_distances_.get(), 0.5);
    const double p2s = mean + 2 * std_dev;
    if (p2s > p2s_max_) {
      p2s_max_ = p2s;
    } else if (num_errors_ > warm_start) {
      const double level = p2s / p2s_max_;
      if (level < params_.beta) {
        drift_detected_ = true;
      } else {
        warning_detected_ = level < params_.alpha;
      }
    }
  }
  last_error_ = num_samples_;
}

void Eddm::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  error_distances_.save(out);
  out.write(num_samples_);
  out.write(last_error_);
  out.write(num_errors_);
  out.write(p2s_max_);
  out.write_bool(drift_detected_);
  out.write_bool(warning_detected_);
}

core::Status Eddm::load(core::StateReader& in) {
  Eddm loaded(params_);
  if (in.expect_version(kStateVersion) && loaded.error_distances_.load(in).is_ok() &&
      in.read(loaded.num_samples_) && in.read(loaded.last_error_) && in.read(loaded.num_errors_) &&
      in.read(loaded.p2s_max_) && in.read_bool(loaded.drift_detected_) &&
      in.read_bool(loaded.warning_detected_))
    *this = loaded;
  return in.status("eddm");
}

}  // namespace streamlearn::monitors
