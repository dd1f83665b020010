#include "monitors/drift/kswin.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <span>
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
// The older part of the window is kept in value order while it is at most this many times
// stat_size: one pass over it then costs less than sorting the random sample.
constexpr std::int64_t kMaxOlderPerStatSize = 8;

// Moves the element at `from` of an ascending `values` into the place where `value` belongs, and
// writes `value` there: a removal and an insertion that only shift the elements in between.
template <typename T, typename Less>
void replace_in_sorted(std::vector<T>& values, std::size_t from, const T& value, Less less) {
  std::size_t to = from;
  while (to > 0 && less(value, values[to - 1])) {
    values[to] = values[to - 1];
    --to;
  }
  while (to + 1 < values.size() && less(values[to + 1], value)) {
    values[to] = values[to + 1];
    ++to;
  }
  values[to] = value;
}

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
  const auto window_size = static_cast<std::size_t>(params_.window_size);
  const auto stat_size = static_cast<std::size_t>(params_.stat_size);
  const std::size_t num_older = window_size - stat_size;
  window_values_.resize(window_size);
  sampled_positions_.reserve(stat_size);
  // One slot more than the sample: gather_random_sample() writes one value past its end.
  random_sample_.resize(stat_size + 1);
  recent_sample_.resize(stat_size);
  keep_sorted_older_ =
      params_.window_size - params_.stat_size <= kMaxOlderPerStatSize * params_.stat_size;
  sorted_recent_.reserve(stat_size);
  if (keep_sorted_older_) {
    sorted_older_.reserve(num_older);
    sampled_marks_.assign(num_older, 0);
  }
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
  sorted_ready_ = false;
  nans_in_window_ = 0;
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
  const std::int64_t num_older = capacity - params_.stat_size;
  if (window_size_ < capacity) {
    window_values_[static_cast<std::size_t>((window_head_ + window_size_) % capacity)] = x;
    ++window_size_;
  } else {
    double& oldest = window_values_[static_cast<std::size_t>(window_head_)];
    if (std::isnan(oldest)) --nans_in_window_;
    if (sorted_ready_ && !std::isnan(x)) {
      slide_sorted_window(oldest, window_at(num_older), x);
    } else {
      sorted_ready_ = false;
    }
    oldest = x;
    window_head_ = (window_head_ + 1) % capacity;
  }
  if (std::isnan(x)) ++nans_in_window_;
  if (window_size_ < capacity) {
    drift_detected_ = false;  // Not enough values for a test yet.
    return;
  }

  rng_.sample_range(static_cast<std::uint64_t>(num_older),
                    static_cast<std::uint64_t>(params_.stat_size), sampled_positions_);
  const auto stat_size = static_cast<std::size_t>(params_.stat_size);
  KolmogorovSmirnov::Result result;
  if (nans_in_window_ == 0) {
    if (!sorted_ready_) build_sorted_window();
    gather_random_sample();
    result = KolmogorovSmirnov::two_sample_sorted(std::span(random_sample_).first(stat_size),
                                                  sorted_recent_, KolmogorovSmirnov::Method::kAuto);
  } else {
    // SciPy's own path: a NaN in either sample makes the test NaN, and so no drift.
    for (std::size_t i = 0; i < stat_size; ++i)
      random_sample_[i] = window_at(static_cast<std::int64_t>(sampled_positions_[i]));
    for (std::size_t i = 0; i < stat_size; ++i)
      recent_sample_[i] = window_at(num_older + static_cast<std::int64_t>(i));
    result = KolmogorovSmirnov::two_sample(std::span(random_sample_).first(stat_size),
                                           recent_sample_, KolmogorovSmirnov::Method::kAuto);
  }
  p_value_ = result.p_value;
  statistic_ = result.statistic;
  drift_detected_ = p_value_ <= params_.alpha && statistic_ > kMinStatistic;
  if (drift_detected_) {
    // River keeps only the most recent values (until the reset of the next update).
    window_head_ = (window_head_ + num_older) % capacity;
    window_size_ = params_.stat_size;
    sorted_ready_ = false;
  }
}

void Kswin::build_sorted_window() {
  const std::int64_t num_older = params_.window_size - params_.stat_size;
  sorted_recent_.clear();
  for (std::int64_t i = num_older; i < params_.window_size; ++i)
    sorted_recent_.push_back(window_at(i));
  std::sort(sorted_recent_.begin(), sorted_recent_.end());
  if (keep_sorted_older_) {
    sorted_older_.clear();
    for (std::int64_t i = 0; i < num_older; ++i) sorted_older_.push_back({window_at(i), i});
    std::sort(sorted_older_.begin(), sorted_older_.end(),
              [](const SequencedValue& a, const SequencedValue& b) { return a.value < b.value; });
  }
  oldest_sequence_ = 0;
  sorted_ready_ = true;
}

void Kswin::slide_sorted_window(double leaving, double aging, double entering) {
  // `aging` leaves the recent part: find a bit-identical copy (equal values may differ in the sign
  // of a zero, which no comparison sees, but the multiset is kept exact all the same).
  auto recent = std::lower_bound(sorted_recent_.begin(), sorted_recent_.end(), aging);
  while (std::bit_cast<std::uint64_t>(*recent) != std::bit_cast<std::uint64_t>(aging)) {
    ++recent;
    SL_DCHECK(recent != sorted_recent_.end());
  }
  replace_in_sorted(sorted_recent_, static_cast<std::size_t>(recent - sorted_recent_.begin()),
                    entering, std::less<double>());
  if (keep_sorted_older_) {
    // `leaving` is the oldest value, the one with the smallest sequence number.
    const auto by_value = [](const SequencedValue& a, const SequencedValue& b) {
      return a.value < b.value;
    };
    auto older = std::lower_bound(sorted_older_.begin(), sorted_older_.end(),
                                  SequencedValue{leaving, 0}, by_value);
    while (older->sequence != oldest_sequence_) {
      ++older;
      SL_DCHECK(older != sorted_older_.end());
    }
    const std::int64_t num_older = params_.window_size - params_.stat_size;
    replace_in_sorted(sorted_older_, static_cast<std::size_t>(older - sorted_older_.begin()),
                      SequencedValue{aging, oldest_sequence_ + num_older}, by_value);
  }
  ++oldest_sequence_;
}

void Kswin::gather_random_sample() {
  const auto stat_size = static_cast<std::size_t>(params_.stat_size);
  if (!keep_sorted_older_) {
    for (std::size_t i = 0; i < stat_size; ++i)
      random_sample_[i] = window_at(static_cast<std::int64_t>(sampled_positions_[i]));
    std::sort(random_sample_.begin(),
              random_sample_.begin() + static_cast<std::ptrdiff_t>(stat_size));
    return;
  }
  // One pass over the older part in value order, keeping the sampled positions. Every value is
  // written and the write position advances only past sampled ones: no unpredictable branch.
  for (const std::uint64_t position : sampled_positions_) sampled_marks_[position] = 1;
  std::size_t count = 0;
  for (const SequencedValue& entry : sorted_older_) {
    random_sample_[count] = entry.value;
    count += sampled_marks_[static_cast<std::size_t>(entry.sequence - oldest_sequence_)];
  }
  SL_DCHECK(count == stat_size);
  for (const std::uint64_t position : sampled_positions_) sampled_marks_[position] = 0;
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
      sorted_ready_ = false;
      nans_in_window_ = std::count_if(window_values.begin(), window_values.end(),
                                      [](double v) { return std::isnan(v); });
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
