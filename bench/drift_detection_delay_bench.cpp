// Detection delay and false-alarm rate of every registered concept-drift detector with its default
// params: a measurement, not a speed benchmark. Each benchmark runs once and reports counters.
//
// Sudden changes (DriftDetectionDelay/<detector>/<scenario>): 100 seeded streams (seeds 1..100)
// with a change at index 10,000. Binary scenarios for every detector: a 0/1 error stream whose
// error rate steps from 0.2 to 0.5 (bernoulli_0.2_to_0.5) or from 0.2 to 0.3
// (bernoulli_0.2_to_0.3). Real-valued scenarios for adwin, kswin and page_hinkley: N(0, 1) whose
// mean steps to 1 (gaussian_0_to_1) or 0.5 (gaussian_0_to_0.5). The delay of a stream is the
// index of the first drift flag at or after the change minus 10,000; flags before the change are
// false alarms. Each stream runs 20,000 values past the change (40,000 for the 0.2 to 0.3 step).
// Counters: detected (fraction of seeds flagged before the stream ends), delay_mean (over detected
// seeds), delay_median / delay_p90 / delay_max (nearest-rank, over all seeds, a missed change
// counting as infinitely late), false_alarms_before (mean number of flags in the 10,000 values
// before the change), delay_bound (the bound written in monitors/drift/README.md and checked by the
// test: 1.25 x delay_p90, rounded up to two significant digits).
//
// False alarms (DriftDetectionFalseAlarms/<detector>/<stream>): drift flags on 1,000,000-value
// stationary streams (seeds 1001..1005): bernoulli_0.2 for every detector, gaussian for the
// real-valued ones. Counters: per_M_mean over the five streams, per_M_min and per_M_max per
// stream, bound_per_M (the documented bound: 1.25 x per_M_max rounded up the same way, then up to
// a whole number, at least 1).
//
// The streams are those of tests/monitors/drift_test_streams.h (SplitMix64), so
// tests/monitors/drift_detection_delay_test.cpp checks a subset of exactly these streams.
//
//   build/bench/sl_bench --benchmark_filter=DriftDetection --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn {
namespace {

using monitors::SplitMix64;

constexpr std::size_t kChangeAt = 10'000;
constexpr std::uint64_t kNumSeeds = 100;
constexpr std::size_t kStationaryLength = 1'000'000;
constexpr std::uint64_t kFirstStationarySeed = 1001;
constexpr std::uint64_t kNumStationarySeeds = 5;
// River's general-purpose detectors; the others (drift.binary in River) take 0/1 errors.
const std::vector<std::string> kRealValued = {"adwin", "kswin", "page_hinkley"};

// testing::error_stream and testing::gaussian_stream (tests/monitors/drift_test_streams.cpp)
// rewritten here, value for value, since that file needs gtest.

std::vector<double> error_stream(std::uint64_t seed, std::size_t length, std::size_t change_at,
                                 double rate_before, double rate_after) {
  SplitMix64 rng(seed);
  std::vector<double> values(length);
  for (std::size_t i = 0; i < length; ++i)
    values[i] = rng.uniform() < (i < change_at ? rate_before : rate_after) ? 1.0 : 0.0;
  return values;
}

// gaussian_stream(seed, length, 0.0), plus `shift` from change_at on.
std::vector<double> shifted_gaussian_stream(std::uint64_t seed, std::size_t length,
                                            std::size_t change_at, double shift) {
  SplitMix64 rng(seed);
  std::vector<double> values(length);
  for (std::size_t i = 0; i < length; ++i) {
    const double u1 = rng.uniform();
    const double u2 = rng.uniform();
    values[i] =
        0.0 + 1.0 * std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * std::numbers::pi * u2);
    if (i >= change_at) values[i] += shift;
  }
  return values;
}

struct Scenario {
  const char* name;
  bool real_valued;     // only for the real-valued detectors
  std::size_t horizon;  // values after the change
  std::vector<double> (*make)(std::uint64_t seed, std::size_t length);
};

const Scenario kScenarios[] = {
    {"bernoulli_0.2_to_0.5", false, 20'000,
     [](std::uint64_t seed, std::size_t length) {
       return error_stream(seed, length, kChangeAt, 0.2, 0.5);
     }},
    {"bernoulli_0.2_to_0.3", false, 40'000,
     [](std::uint64_t seed, std::size_t length) {
       return error_stream(seed, length, kChangeAt, 0.2, 0.3);
     }},
    {"gaussian_0_to_1", true, 20'000,
     [](std::uint64_t seed, std::size_t length) {
       return shifted_gaussian_stream(seed, length, kChangeAt, 1.0);
     }},
    {"gaussian_0_to_0.5", true, 20'000,
     [](std::uint64_t seed, std::size_t length) {
       return shifted_gaussian_stream(seed, length, kChangeAt, 0.5);
     }},
};

std::unique_ptr<monitors::DriftDetector> build(const std::string& name) {
  return monitors::DriftDetectorRegistry::builtin().build(name).value();
}

// The documented bound: 1.25 x `value`, rounded up to two significant digits (at least 1).
double documented_bound(double value) {
  const double target = std::max(1.25 * value, 1.0);
  const double step = std::pow(10.0, std::floor(std::log10(target)) - 1.0);
  return std::ceil(target / step - 1e-9) * step;
}

// Nearest-rank percentile of ascending values: the smallest value with at least `fraction` of
// them at or below it.
double percentile(const std::vector<double>& sorted, double fraction) {
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

void measure_delay(benchmark::State& state, const std::string& detector_name,
                   const Scenario& scenario) {
  const std::size_t length = kChangeAt + scenario.horizon;
  std::vector<double> delays;  // infinity for a missed change
  double detected_delay_sum = 0.0;
  std::int64_t detected = 0;
  std::int64_t false_alarms = 0;
  for (auto _ : state) {
    for (std::uint64_t seed = 1; seed <= kNumSeeds; ++seed) {
      const std::vector<double> values = scenario.make(seed, length);
      auto detector = build(detector_name);
      double delay = std::numeric_limits<double>::infinity();
      for (std::size_t i = 0; i < length; ++i) {
        detector->update(values[i]);
        if (!detector->drift_detected()) continue;
        if (i < kChangeAt) {
          ++false_alarms;
        } else {
          delay = static_cast<double>(i - kChangeAt);
          break;
        }
      }
      delays.push_back(delay);
      if (std::isfinite(delay)) {
        ++detected;
        detected_delay_sum += delay;
      }
    }
  }
  std::sort(delays.begin(), delays.end());
  const auto num_seeds = static_cast<double>(delays.size());
  state.counters["detected"] = static_cast<double>(detected) / num_seeds;
  state.counters["delay_mean"] =
      detected > 0 ? detected_delay_sum / static_cast<double>(detected) : std::nan("");
  state.counters["delay_median"] = percentile(delays, 0.5);
  state.counters["delay_p90"] = percentile(delays, 0.9);
  state.counters["delay_max"] = delays.back();
  state.counters["false_alarms_before"] = static_cast<double>(false_alarms) / num_seeds;
  state.counters["delay_bound"] = documented_bound(percentile(delays, 0.9));
}

void measure_false_alarms(benchmark::State& state, const std::string& detector_name,
                          bool gaussian) {
  std::vector<double> per_million;
  for (auto _ : state) {
    for (std::uint64_t seed = kFirstStationarySeed;
         seed < kFirstStationarySeed + kNumStationarySeeds; ++seed) {
      const std::vector<double> values =
          gaussian ? shifted_gaussian_stream(seed, kStationaryLength, kStationaryLength, 0.0)
                   : error_stream(seed, kStationaryLength, kStationaryLength, 0.2, 0.2);
      auto detector = build(detector_name);
      std::int64_t flags = 0;
      for (const double value : values) {
        detector->update(value);
        flags += detector->drift_detected() ? 1 : 0;
      }
      per_million.push_back(static_cast<double>(flags) * 1e6 /
                            static_cast<double>(kStationaryLength));
    }
  }
  double sum = 0.0;
  for (const double rate : per_million) sum += rate;
  state.counters["per_M_mean"] = sum / static_cast<double>(per_million.size());
  state.counters["per_M_min"] = *std::min_element(per_million.begin(), per_million.end());
  state.counters["per_M_max"] = *std::max_element(per_million.begin(), per_million.end());
  state.counters["bound_per_M"] = std::ceil(documented_bound(state.counters["per_M_max"]));
}

// Every registry entry is measured, so a new detector shows up here without editing this file.
const bool kRegistered = [] {
  for (const auto& entry : monitors::DriftDetectorRegistry::builtin().entries()) {
    const bool real_valued =
        std::find(kRealValued.begin(), kRealValued.end(), entry.name) != kRealValued.end();
    for (const Scenario& scenario : kScenarios) {
      if (scenario.real_valued && !real_valued) continue;
      benchmark::RegisterBenchmark(
          ("DriftDetectionDelay/" + entry.name + "/" + scenario.name).c_str(),
          [name = entry.name, &scenario](benchmark::State& state) {
            measure_delay(state, name, scenario);
          })
          ->Iterations(1)
          ->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark(
        ("DriftDetectionFalseAlarms/" + entry.name + "/bernoulli_0.2").c_str(),
        [name = entry.name](benchmark::State& state) { measure_false_alarms(state, name, false); })
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
    if (real_valued) {
      benchmark::RegisterBenchmark(
          ("DriftDetectionFalseAlarms/" + entry.name + "/gaussian").c_str(),
          [name = entry.name](benchmark::State& state) { measure_false_alarms(state, name, true); })
          ->Iterations(1)
          ->Unit(benchmark::kMillisecond);
    }
  }
  return true;
}();

}  // namespace
}  // namespace streamlearn
