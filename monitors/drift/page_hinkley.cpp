#include "monitors/drift/page_hinkley.h"

#include "core/param_writer.h"

namespace streamlearn::monitors {
namespace {

using core::ParamWriter;

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

std::string_view PageHinkley::mode_name(Mode mode) {
  switch (mode) {
    case Mode::kUp:
      return "up";
    case Mode::kDown:
      return "down";
    case Mode::kBoth:
      break;
  }
  return "both";
}

std::unique_ptr<DriftDetector> PageHinkley::create(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.min_instances = reader.integer("min_instances", defaults.min_instances);
  params.delta = reader.number("delta", defaults.delta);
  params.threshold = reader.number("threshold", defaults.threshold);
  params.alpha = reader.number("alpha", defaults.alpha);
  const std::string mode = reader.text("mode", std::string(mode_name(defaults.mode)));
  if (params.min_instances < 1) {
    reader.reject("min_instances",
                  "must be an integer >= 1; got " + std::to_string(params.min_instances));
    params.min_instances = defaults.min_instances;
  }
  if (!(params.delta >= 0.0)) {
    reader.reject("delta",
                  "must be >= 0, e.g. 0.005; got " + ParamWriter::format_number(params.delta));
    params.delta = defaults.delta;
  }
  if (!(params.threshold > 0.0)) {
    reader.reject("threshold",
                  "must be > 0, e.g. 50; got " + ParamWriter::format_number(params.threshold));
    params.threshold = defaults.threshold;
  }
  if (!(params.alpha > 0.0 && params.alpha <= 1.0)) {
    reader.reject("alpha", "must be in (0, 1], e.g. 0.9999 (1 forgets nothing); got " +
                               ParamWriter::format_number(params.alpha));
    params.alpha = defaults.alpha;
  }
  if (mode == "up") {
    params.mode = Mode::kUp;
  } else if (mode == "down") {
    params.mode = Mode::kDown;
  } else if (mode == "both") {
    params.mode = Mode::kBoth;
  } else {
    reader.reject("mode", "must be up, down or both; got '" + mode + "'");
  }
  return std::make_unique<PageHinkley>(params);
}

std::string PageHinkley::describe() const {
  const Params defaults;
  ParamWriter writer("page_hinkley");
  writer.integer("min_instances", params_.min_instances, defaults.min_instances);
  writer.number("delta", params_.delta, defaults.delta);
  writer.number("threshold", params_.threshold, defaults.threshold);
  writer.number("alpha", params_.alpha, defaults.alpha);
  writer.text("mode", mode_name(params_.mode), mode_name(defaults.mode));
  return writer.expression();
}

std::unique_ptr<DriftDetector> PageHinkley::clone() const {
  return std::make_unique<PageHinkley>(params_);
}

void PageHinkley::reset() { *this = PageHinkley(params_); }

void PageHinkley::update(double x) {
  if (drift_detected_) reset();
  // River's stats.Mean: n += 1.0; mean += (1.0 / n) * (x - mean).
  num_samples_ += 1.0;
  mean_ += (1.0 / num_samples_) * (x - mean_);
  const double deviation = x - mean_;
  sum_increase_ = params_.alpha * sum_increase_ + deviation - params_.delta;
  sum_decrease_ = params_.alpha * sum_decrease_ + deviation + params_.delta;
  if (sum_increase_ < min_increase_) min_increase_ = sum_increase_;
  if (sum_decrease_ > max_decrease_) max_decrease_ = sum_decrease_;
  if (num_samples_ >= static_cast<double>(params_.min_instances)) {
    const double test_increase = sum_increase_ - min_increase_;
    const double test_decrease = max_decrease_ - sum_decrease_;
    const bool up = test_increase > params_.threshold;
    const bool down = test_decrease > params_.threshold;
    switch (params_.mode) {
      case Mode::kUp:
        drift_detected_ = up;
        break;
      case Mode::kDown:
        drift_detected_ = down;
        break;
      case Mode::kBoth:
        drift_detected_ = up || down;
        break;
    }
  }
}

void PageHinkley::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write_bool(drift_detected_);
  out.write(num_samples_);
  out.write(mean_);
  out.write(sum_increase_);
  out.write(sum_decrease_);
  out.write(min_increase_);
  out.write(max_decrease_);
}

core::Status PageHinkley::load(core::StateReader& in) {
  PageHinkley restored(params_);
  if (in.expect_version(kStateVersion) && in.read_bool(restored.drift_detected_) &&
      in.read(restored.num_samples_) && in.read(restored.mean_) &&
      in.read(restored.sum_increase_) && in.read(restored.sum_decrease_) &&
      in.read(restored.min_increase_) && in.read(restored.max_decrease_))
    *this = restored;
  return in.status("page_hinkley");
}

}  // namespace streamlearn::monitors
