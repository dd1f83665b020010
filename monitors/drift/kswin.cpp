#include "monitors/drift/kswin.h"

#include <algorithm>
#include <utility>

#include "core/check.h"
#include "core/param_writer.h"
#include "monitors/drift/kolmogorov_smirnov.h"

namespace streamlearn::monitors {
namespace {

using core::ParamWriter;

constexpr std::uint32_t kStateVersion = 1;
// A window beyond this is a configuration mistake, not a use case: refuse it instead of
// allocating gigabytes.
constexpr std::int64_t kMaxWindowSize = 100'000'000;
// River flags drift only when the statistic also exceeds this.
constexpr double kMinStatistic = 0.1;

// Every reason these params cannot run, as (key, why). River accepts stat_size up to window_size
// but then fails at the first full window, since it samples stat_size of the
// window_size - stat_size older positions; that is rejected here up front.
std::vector<std::pair<std::string, std::string>> param_problems(const Kswin::Params& params) {
  std::vector<std::pair<std::string, std::string>> problems;
  if (!(params.alpha >= 0.0 && params.alpha <= 1.0))
    problems.emplace_back("alpha",
                          "must be in [0, 1], got " + ParamWriter::format_number(params.alpha));
  const bool stat_size_ok = params.stat_size >= 1 && params.stat_size <= kMaxWindowSize / 2;
  if (!stat_size_ok)
    problems.emplace_back("stat_size", "must be in [1, " + std::to_string(kMaxWindowSize / 2) +
                                           "], got " + std::to_string(params.stat_size));
  if (params.window_size < 2 || params.window_size > kMaxWindowSize) {
    problems.emplace_back("window_size", "must be in [2, " + std::to_string(kMaxWindowSize) +
                                             "], got " + std::to_string(params.window_size));
  } else if (stat_size_ok && params.window_size < 2 * params.stat_size) {
    problems.emplace_back("window_size",
                          "must be >= 2 * stat_size = " + std::to_string(2 * params.stat_size) +
                              ", got " + std::to_string(params.window_size));
  }
  return problems;
}

// The expression of these params, listing only the non-default ones.
std::string describe_params(const Kswin::Params& params) {
  const Kswin::Params defaults;
  ParamWriter writer("kswin");
  writer.number("alpha", params.alpha, defaults.alpha);
  writer.integer("window_size", params.window_size, defaults.window_size);
  writer.integer("stat_size", params.stat_size, defaults.stat_size);
  writer.integer("seed", params.seed, defaults.seed);
  return writer.expression();
}

}  // namespace

Kswin::Kswin(Params params) : params_(params) {
  SL_CHECK(param_problems(params_).empty());
  window_values_.resize(static_cast<std::size_t>(params_.window_size));
  sampled_positions_.reserve(static_cast<std::size_t>(params_.stat_size));
  random_sample_.resize(static_cast<std::size_t>(params_.stat_size));
  recent_sample_.resize(static_cast<std::size_t>(params_.stat_size));
  reset();
}

std::unique_ptr<DriftDetector> Kswin::create(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.alpha = reader.number("alpha", defaults.alpha);
  params.window_size = reader.integer("window_size", defaults.window_size);
  params.stat_size = reader.integer("stat_size", defaults.stat_size);
  params.seed = reader.integer("seed", defaults.seed);
  const auto problems = param_problems(params);
  for (const auto& [key, why] : problems) reader.reject(key, why);
  // On a problem, finish() reports it and this default detector is discarded.
  return std::make_unique<Kswin>(problems.empty() ? params : defaults);
}

std::string Kswin::describe() const { return describe_params(params_); }

std::unique_ptr<DriftDetector> Kswin::clone() const { return std::make_unique<Kswin>(params_); }

void Kswin::reset() {
  window_head_ = 0;
  window_size_ = 0;
  rng_.seed(params_.seed);
  drift_detected_ = false;
  p_value_ = 0.0;
  statistic_ = 0.0;
  num_samples_ = 0;
}

double Kswin::window_at(std::int64_t position) const {
  return window_values_[static_cast<std::size_t>((window_head_ + position) % params_.window_size)];
}

std::vector<double> Kswin::window() const {
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(window_size_));
  for (std::int64_t i = 0; i < window_size_; ++i) values.push_back(window_at(i));
  return values;
}

void Kswin::update(double x) {
  if (drift_detected_) reset();
  ++num_samples_;
  // Append to the deque of maxlen window_size: when full, the oldest value drops out.
  const std::int64_t capacity = params_.window_size;
  if (window_size_ < capacity) {
    window_values_[static_cast<std::size_t>((window_head_ + window_size_) % capacity)] = x;
    ++window_size_;
  } else {
    window_values_[static_cast<std::size_t>(window_head_)] = x;
    window_head_ = (window_head_ + 1) % capacity;
  }
  if (window_size_ < capacity) {
    drift_detected_ = false;  // Not enough values for a test yet.
    return;
  }

  const std::int64_t num_older = capacity - params_.stat_size;
  rng_.sample_range(static_cast<std::uint64_t>(num_older),
                    static_cast<std::uint64_t>(params_.stat_size), sampled_positions_);
  for (std::size_t i = 0; i < sampled_positions_.size(); ++i)
    random_sample_[i] = window_at(static_cast<std::int64_t>(sampled_positions_[i]));
  for (std::int64_t i = 0; i < params_.stat_size; ++i)
    recent_sample_[static_cast<std::size_t>(i)] = window_at(num_older + i);

  const KolmogorovSmirnov::Result result = KolmogorovSmirnov::two_sample(
      random_sample_, recent_sample_, KolmogorovSmirnov::Method::kAuto);
  p_value_ = result.p_value;
  statistic_ = result.statistic;
  drift_detected_ = p_value_ <= params_.alpha && statistic_ > kMinStatistic;
  if (drift_detected_) {
    // River keeps only the most recent values (until the reset of the next update).
    window_head_ = (window_head_ + num_older) % capacity;
    window_size_ = params_.stat_size;
  }
}

void Kswin::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(params_.alpha);
  out.write(params_.window_size);
  out.write(params_.stat_size);
  out.write(params_.seed);
  out.write_vector(window());
  rng_.save(out);
  out.write_bool(drift_detected_);
  out.write(p_value_);
  out.write(statistic_);
  out.write(num_samples_);
}

core::Status Kswin::load(core::StateReader& in) {
  Params saved;
  std::vector<double> window_values;
  PythonRandom rng;
  // The flag byte is read raw and checked with the other values below, after the params check,
  // so that a state saved with other params is reported as such even when it is also corrupt.
  std::uint8_t drift_detected = 0;
  double p_value = 0.0;
  double statistic = 0.0;
  std::int64_t num_samples = 0;
  if (in.expect_version(kStateVersion) && in.read(saved.alpha) && in.read(saved.window_size) &&
      in.read(saved.stat_size) && in.read(saved.seed) && in.read_vector(window_values) &&
      rng.load(in).is_ok() && in.read(drift_detected) && in.read(p_value) && in.read(statistic) &&
      in.read(num_samples)) {
    if (saved.alpha != params_.alpha || saved.window_size != params_.window_size ||
        saved.stat_size != params_.stat_size || saved.seed != params_.seed)
      return core::Status::error("Kswin: saved state is of " + describe_params(saved) +
                                 ", not of " + describe() + "; load it into a detector built as " +
                                 describe_params(saved));
    if (window_values.size() > static_cast<std::size_t>(params_.window_size) ||
        drift_detected > 1 || num_samples < 0) {
      in.fail();
    } else {
      std::copy(window_values.begin(), window_values.end(), window_values_.begin());
      window_head_ = 0;
      window_size_ = static_cast<std::int64_t>(window_values.size());
      rng_ = rng;
      drift_detected_ = drift_detected != 0;
      p_value_ = p_value;
      statistic_ = statistic;
      num_samples_ = num_samples;
    }
  }
  return in.status("Kswin");
}

}  // namespace streamlearn::monitors
