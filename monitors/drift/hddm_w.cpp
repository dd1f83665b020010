#include "monitors/drift/hddm_w.h"

#include <cmath>

#include "core/param_writer.h"

namespace streamlearn::monitors {
namespace {

using core::ParamWriter;

constexpr std::uint32_t kStateVersion = 1;

// River writes (1 - lambd) ** 2, which CPython evaluates with the C library's pow. That is not
// always the correctly rounded x * x (about 1 lambda in 1000 differs in the last bit), and GCC
// rewrites pow(x, 2.0) into x * x, so the exponent goes through a volatile to keep the call.
double library_pow(double base, double exponent) {
  volatile double opaque_exponent = exponent;
  return std::pow(base, opaque_exponent);
}

// McDiarmid's bound for a weighted average with independent bound condition `ibc`.
double mcdiarmid_bound(double ibc, double confidence) {
  return std::sqrt(ibc * std::log(1 / confidence) / 2);
}

void write_sample(core::StateWriter& out, const HddmW::Sample& sample) {
  out.write(sample.ewma);
  out.write(sample.ibc);
  out.write_bool(sample.initialized);
}

bool read_sample(core::StateReader& in, HddmW::Sample& sample) {
  return in.read(sample.ewma) && in.read(sample.ibc) && in.read_bool(sample.initialized);
}

void require_probability(core::ParamReader& reader, std::string_view key, double value) {
  if (!(value > 0 && value < 1))
    reader.reject(key, "must be in (0, 1), got " + ParamWriter::format_number(value));
}

}  // namespace

HddmW::HddmW(Params params)
    : params_(params),
      lambda_squared_(params.lambda_val * params.lambda_val),
      complement_squared_(library_pow(1 - params.lambda_val, 2)) {}

std::unique_ptr<DriftDetector> HddmW::create(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.drift_confidence = reader.number("drift_confidence", defaults.drift_confidence);
  params.warning_confidence = reader.number("warning_confidence", defaults.warning_confidence);
  params.lambda_val = reader.number("lambda_val", defaults.lambda_val);
  params.two_sided_test = reader.boolean("two_sided_test", defaults.two_sided_test);
  require_probability(reader, "drift_confidence", params.drift_confidence);
  require_probability(reader, "warning_confidence", params.warning_confidence);
  if (!(params.lambda_val > 0 && params.lambda_val <= 1))
    reader.reject("lambda_val",
                  "must be in (0, 1], got " + ParamWriter::format_number(params.lambda_val));
  return std::make_unique<HddmW>(params);
}

std::string HddmW::describe() const {
  const Params defaults;
  ParamWriter writer("hddm_w");
  writer.number("drift_confidence", params_.drift_confidence, defaults.drift_confidence);
  writer.number("warning_confidence", params_.warning_confidence, defaults.warning_confidence);
  writer.number("lambda_val", params_.lambda_val, defaults.lambda_val);
  writer.boolean("two_sided_test", params_.two_sided_test, defaults.two_sided_test);
  return writer.expression();
}

void HddmW::reset() {
  total_ = Sample();
  increase_before_ = Sample();
  increase_after_ = Sample();
  decrease_before_ = Sample();
  decrease_after_ = Sample();
  increase_cutpoint_ = std::numeric_limits<double>::infinity();
  decrease_cutpoint_ = -std::numeric_limits<double>::infinity();
  drift_detected_ = false;
  warning_detected_ = false;
}

void HddmW::add(Sample& sample, double x) const {
  // watermill's EWMean: an exact zero mean means "empty", so the next value is taken verbatim.
  if (sample.ewma == 0.0) {
    sample.ewma = x;
  } else {
    sample.ewma = params_.lambda_val * x + (1.0 - params_.lambda_val) * sample.ewma;
  }
  sample.initialized = true;
  sample.ibc = lambda_squared_ + complement_squared_ * sample.ibc;
}

bool HddmW::mean_increased(const Sample& earlier, const Sample& later, double confidence) {
  if (!(earlier.initialized && later.initialized)) return false;
  const double bound = mcdiarmid_bound(earlier.ibc + later.ibc, confidence);
  return later.ewma - earlier.ewma > bound;
}

void HddmW::update(double x) {
  if (drift_detected_) reset();

  add(total_, x);

  // Cut points always use drift_confidence, as in River.
  const double total_bound = mcdiarmid_bound(total_.ibc, params_.drift_confidence);
  if (total_.ewma + total_bound < increase_cutpoint_) {
    increase_cutpoint_ = total_.ewma + total_bound;
    increase_before_ = total_;
    increase_after_ = Sample();
  } else {
    add(increase_after_, x);
  }
  if (mean_increased(increase_before_, increase_after_, params_.drift_confidence)) {
    warning_detected_ = false;
    drift_detected_ = true;
  } else {
    warning_detected_ =
        mean_increased(increase_before_, increase_after_, params_.warning_confidence);
    drift_detected_ = false;
  }

  // River maintains the decrease cut point even for the one-sided test.
  if (total_.ewma - total_bound > decrease_cutpoint_) {
    decrease_cutpoint_ = total_.ewma - total_bound;
    decrease_before_ = total_;
    decrease_after_ = Sample();
  } else {
    add(decrease_after_, x);
  }
  if (!params_.two_sided_test) return;
  // As in River, a decrease can add drift or a warning but never clears what the increase test
  // set.
  if (mean_increased(decrease_after_, decrease_before_, params_.drift_confidence)) {
    drift_detected_ = true;
  } else if (mean_increased(decrease_after_, decrease_before_, params_.warning_confidence)) {
    warning_detected_ = true;
  }
}

void HddmW::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  write_sample(out, total_);
  write_sample(out, increase_before_);
  write_sample(out, increase_after_);
  write_sample(out, decrease_before_);
  write_sample(out, decrease_after_);
  out.write(increase_cutpoint_);
  out.write(decrease_cutpoint_);
  out.write_bool(drift_detected_);
  out.write_bool(warning_detected_);
}

core::Status HddmW::load(core::StateReader& in) {
  HddmW loaded(params_);
  if (in.expect_version(kStateVersion) && read_sample(in, loaded.total_) &&
      read_sample(in, loaded.increase_before_) && read_sample(in, loaded.increase_after_) &&
      read_sample(in, loaded.decrease_before_) && read_sample(in, loaded.decrease_after_) &&
      in.read(loaded.increase_cutpoint_) && in.read(loaded.decrease_cutpoint_) &&
      in.read_bool(loaded.drift_detected_) && in.read_bool(loaded.warning_detected_))
    *this = loaded;
  return in.status("hddm_w");
}

}  // namespace streamlearn::monitors
