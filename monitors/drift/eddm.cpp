#include "monitors/drift/eddm.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

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

// River's p' + 2s' = mean + 2 * var ** 0.5 needs library_pow, which cost more than the rest of an
// update. But pow(v, 0.5) and the correctly rounded sqrt(v) differ by about an ulp at most
// (glibc's pow is within 0.54 ulp of the exact root), so, with mean >= 1, mean + 2 * sqrt(v) is
// within 2^-50 of River's value, relative. When that estimate is below the maximum, and above the
// thresholds times the maximum, by a relative 2^-40 (room for a pow a thousand ulps off), River's
// comparisons come out the same with either value, and pow is skipped: for nearly every error
// once the maximum has settled.
constexpr double kClearlyBelow = 1.0 - 0x1p-40;
constexpr double kClearlyAbove = 1.0 + 0x1p-40;

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
  if (num_samples_ > static_cast<std::uint64_t>(params_.warm_start)) {
    const double mean = error_distances_.mean();
    const double variance = error_distances_.get();
    if (!compare_estimate(mean + 2 * std::sqrt(variance)))
      compare(mean + 2 * library_pow(variance, 0.5));
  }
  last_error_ = num_samples_;
}

void Eddm::compare(double p2s) {
  if (p2s > p2s_max_) {
    p2s_max_ = p2s;
  } else if (num_errors_ > static_cast<std::uint64_t>(params_.warm_start)) {
    const double level = p2s / p2s_max_;
    if (level < params_.beta) {
      drift_detected_ = true;
    } else {
      warning_detected_ = level < params_.alpha;
    }
  }
}

bool Eddm::compare_estimate(double estimate) {
  // A new maximum must be River's exact value. p2s_max_ starts at -1, so the first comparison
  // after a reset always goes on to compare().
  if (!(estimate <= p2s_max_ * kClearlyBelow)) return false;
  if (num_errors_ <= static_cast<std::uint64_t>(params_.warm_start)) return true;  // No level yet.
  // The level p2s / p2s_max_ is clearly at or above both thresholds, or clearly in [beta, alpha).
  if (estimate >= p2s_max_ * std::max(params_.alpha, params_.beta) * kClearlyAbove) {
    warning_detected_ = false;
    return true;
  }
  if (estimate >= p2s_max_ * params_.beta * kClearlyAbove &&
      estimate <= p2s_max_ * params_.alpha * kClearlyBelow) {
    warning_detected_ = true;
    return true;
  }
  return false;
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
