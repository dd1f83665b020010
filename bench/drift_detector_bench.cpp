// update() throughput of every registered concept-drift detector with its default params, through
// the DriftDetector interface the pipeline uses (one virtual update and one drift_detected() per
// value). Inputs are pre-generated, so only the detector is timed:
//   - bernoulli: a 0/1 error stream, error rate 0.2 for 2^19 values, then 0.5 for 2^19 (the
//     benchmark cycles through it, so the rate also falls back to 0.2), for every detector;
//   - gaussian: N(0, 1) then N(1, 1), same layout, for the detectors that River also feeds real
//     values (adwin, page_hinkley, kswin, hddm_a, hddm_w).
// Drifts and the resets they cause happen inside the timed loop, as they do in production. Items
// are updates.
//
//   build/bench/sl_bench --benchmark_filter=DriftDetectorUpdate --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one command line)

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn {
namespace {

using monitors::SplitMix64;

constexpr std::size_t kStreamLength = std::size_t{1} << 20;
// Values per timed iteration: long enough that the benchmark loop's own cost vanishes, short
// enough that KSWIN's iterations stay in the millisecond range.
constexpr std::size_t kValuesPerIteration = 4096;
static_assert(kStreamLength % kValuesPerIteration == 0);

// The same streams as tests/monitors/drift_test_streams.h builds (SplitMix64), with the change
// half-way.
const std::vector<double>& bernoulli_stream() {
  static const std::vector<double> values = [] {
    SplitMix64 rng(2024);
    std::vector<double> out(kStreamLength);
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = rng.uniform() < (i < kStreamLength / 2 ? 0.2 : 0.5) ? 1.0 : 0.0;
    return out;
  }();
  return values;
}

const std::vector<double>& gaussian_stream() {
  static const std::vector<double> values = [] {
    SplitMix64 rng(2025);
    std::vector<double> out(kStreamLength);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const double u1 = rng.uniform();
      const double u2 = rng.uniform();
      const double mean = i < kStreamLength / 2 ? 0.0 : 1.0;
      out[i] = mean + std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    return out;
  }();
  return values;
}

void run(benchmark::State& state, const char* expression, const std::vector<double>& values) {
  auto built = monitors::DriftDetectorRegistry::builtin().build(expression);
  if (!built) {
    state.SkipWithError(built.status().message().c_str());
    return;
  }
  monitors::DriftDetector& detector = **built;
  std::size_t offset = 0;
  std::int64_t drifts = 0;
  for (auto _ : state) {
    const double* chunk = values.data() + offset;
    for (std::size_t i = 0; i < kValuesPerIteration; ++i) {
      detector.update(chunk[i]);
      drifts += detector.drift_detected() ? 1 : 0;
    }
    offset += kValuesPerIteration;
    if (offset == values.size()) offset = 0;
  }
  benchmark::DoNotOptimize(drifts);
  const auto updates = state.iterations() * static_cast<std::int64_t>(kValuesPerIteration);
  state.SetItemsProcessed(updates);
  // Drifts per million updates: shows that resets are part of what was timed.
  state.counters["drifts_per_M"] =
      benchmark::Counter(1e6 * static_cast<double>(drifts) / static_cast<double>(updates));
}

// Every registry entry gets the Bernoulli benchmark, so a new detector is measured without
// editing this file; only the list of detectors that also take real values is written out.
const bool kRegistered = [] {
  for (const auto& entry : monitors::DriftDetectorRegistry::builtin().entries()) {
    benchmark::RegisterBenchmark(("DriftDetectorUpdateBernoulli/" + entry.name).c_str(),
                                 [name = entry.name](benchmark::State& state) {
                                   run(state, name.c_str(), bernoulli_stream());
                                 });
  }
  for (const char* name : {"adwin", "hddm_a", "hddm_w", "kswin", "page_hinkley"}) {
    benchmark::RegisterBenchmark(
        (std::string("DriftDetectorUpdateGaussian/") + name).c_str(),
        [name](benchmark::State& state) { run(state, name, gaussian_stream()); });
  }
  return true;
}();

}  // namespace
}  // namespace streamlearn
