// The per-event cost of data-drift monitoring: a ModelMonitor watching 10 numeric features
// (each a DataDriftMonitor: reference of 5000, window of 5000 tumbling or sliding by 500) fed
// pre-built feature vectors, as the pipeline does for every event. Items are events (10 feature
// values each); the window evaluations (statistics every closed window) are included.
//
//   build/bench/sl_bench --benchmark_filter=DataDrift

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "stream/model_monitor.h"

namespace streamlearn {
namespace {

constexpr std::size_t kNumFeatures = 10;
constexpr std::size_t kNumEvents = 1 << 16;

void DataDriftMonitoring(benchmark::State& state, std::int64_t step) {
  core::FeatureSpace space;
  std::vector<core::FeatureId> ids;
  for (std::size_t f = 0; f < kNumFeatures; ++f)
    ids.push_back(space.feature("x" + std::to_string(f)));
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal;
  std::vector<core::FeatureVector> events(kNumEvents);
  for (core::FeatureVector& x : events)
    for (core::FeatureId id : ids) x.add_numeric(id, normal(rng));

  stream::ModelMonitor::Params params;
  params.feature_drift.emplace();
  params.feature_drift->params.window = monitors::WindowLength::events(5000);
  params.feature_drift->params.step = monitors::WindowLength::events(step);
  auto monitor = stream::ModelMonitor::create(params, true, "label", space);
  if (!monitor) {
    state.SkipWithError(monitor.status().message().c_str());
    return;
  }
  std::uint64_t position = 0;
  for (auto _ : state) {
    for (const core::FeatureVector& x : events) {
      (*monitor)->observe_features(x, position++, monitors::WindowBounds::kNoTime);
    }
  }
  benchmark::DoNotOptimize((*monitor)->alerts_fired());
  state.SetItemsProcessed(static_cast<std::int64_t>(position));
}

BENCHMARK_CAPTURE(DataDriftMonitoring, ten_features_tumbling_5000, 5000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(DataDriftMonitoring, ten_features_sliding_5000_by_500, 500)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace streamlearn
