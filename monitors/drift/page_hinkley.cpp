#include "monitors/drift/page_hinkley.h"

#include <charconv>

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

// The shortest text that parses back to the same double, so describe() round-trips.
std::string format_number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

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
    reader.reject("delta", "must be >= 0, e.g. 0.005; got " + format_number(params.delta));
    params.delta = defaults.delta;
  }
  if (!(params.threshold > 0.0)) {
    reader.reject("threshold", "must be > 0, e.g. 50; got " + format_number(params.threshold));
    params.threshold = defaults.threshold;
  }
  if (!(params.alpha > 0.0 && params.alpha <= 1.0)) {
    reader.reject("alpha", "must be in (0, 1], e.g. 0.9999 (1 forgets nothing); got " +
                               format_number(params.alpha));
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
  std::string args;
  const auto add = [&args](std::string_view key, std::string_view value) {
    args += (args.empty() ? "" : ", ") + std::string(key) + "=" + std::string(value);
  };
  if (params_.min_instances != defaults.min_instances)
    add("min_instances", std::to_string(params_.min_instances));
  if (params_.delta != defaults.delta) add("delta", format_number(params_.delta));
  if (params_.threshold != defaults.threshold) add("threshold", format_number(params_.threshold));
  if (params_.alpha != defaults.alpha) add("alpha", format_number(params_.alpha));
  if (params_.mode != defaults.mode) add("mode", mode_name(params_.mode));
  return args.empty() ? "page_hinkley" : "page_hinkley(" + args + ")";
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
  out.write<std::uint8_t>(drift_detected_ ? 1 : 0);
  out.write(num_samples_);
  out.write(mean_);
  out.write(sum_increase_);
  out.write(sum_decrease_);
  out.write(min_increase_);
  out.write(max_decrease_);
}

core::Status PageHinkley::load(core::StateReader& in) {
  PageHinkley restored(params_);
  std::uint8_t drift_flag = 0;
  if (in.expect_version(kStateVersion) && in.read(drift_flag) && in.read(restored.num_samples_) &&
      in.read(restored.mean_) && in.read(restored.sum_increase_) &&
      in.read(restored.sum_decrease_) && in.read(restored.min_increase_) &&
      in.read(restored.max_decrease_)) {
    if (drift_flag <= 1) {
      restored.drift_detected_ = drift_flag == 1;
      *this = restored;
      return core::Status::ok();
    }
    in.fail();
  }
  return in.status("page_hinkley");
}

}  // namespace streamlearn::monitors
