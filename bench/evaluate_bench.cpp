// End-to-end prequential evaluation, in process: decode the CSV + predict + learn + metrics, the
// loop `streamlearn evaluate` runs, on ../shared/reference/streams/sea_drift_100k.csv (or
// SL_SHARED_DIR). Items are events.
//
//   build/bench/sl_bench --benchmark_filter=Evaluate
//
// EvaluateSeaDriftDelayed is the same loop with labels revealed 1,000 events late (`evaluate
// --delay 1000`): each labelled event's features and prediction are copied into the pending ring
// and learned from there.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "connectors/files/file_source.h"
#include "learners/learner_registry.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn {
namespace {

std::filesystem::path sea_drift_file() {
  const char* shared = std::getenv("SL_SHARED_DIR");
  return std::filesystem::path(shared ? shared : SL_DEFAULT_SHARED_DIR) / "reference" /
         "streams" / "sea_drift_100k.csv";
}

// delay 0: test-then-train (process); else labels revealed `delay` events late.
void run_sea_drift(benchmark::State& state, const char* expression, std::uint64_t delay) {
  const auto file = sea_drift_file();
  if (!std::filesystem::exists(file)) {
    state.SkipWithError("sea_drift_100k.csv not found: set SL_SHARED_DIR");
    return;
  }
  std::uint64_t events = 0;
  for (auto _ : state) {
    auto model = learners::LearnerRegistry::builtin().build(expression);
    stream::EventSchema schema;
    schema.target = "label";
    core::FeatureSpace features;
    core::ClassSet classes;
    auto source = connectors::FileSource::open(file, schema, features, classes, {});
    if (!model || !source) {
      state.SkipWithError("cannot build the model or open the file");
      return;
    }
    stream::PrequentialEvaluator evaluator(**model, {});
    stream::Event event;
    if (delay == 0) {
      while ((*source)->next(event) == connectors::FileSource::Next::kEvent)
        evaluator.process(event);
    } else {
      stream::LabelDelayQueue pending(delay);
      while ((*source)->next(event) == connectors::FileSource::Next::kEvent)
        evaluator.process_delayed(event, pending);
      evaluator.reveal_pending(pending);
    }
    events += evaluator.events();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

void EvaluateSeaDrift(benchmark::State& state, const char* expression) {
  run_sea_drift(state, expression, 0);
}

void EvaluateSeaDriftDelayed(benchmark::State& state, const char* expression) {
  run_sea_drift(state, expression, 1000);
}

BENCHMARK_CAPTURE(EvaluateSeaDrift, scaler_logistic_regression,
                  "standard_scaler | logistic_regression")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(EvaluateSeaDrift, logistic_regression, "logistic_regression")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(EvaluateSeaDrift, gaussian_nb, "gaussian_nb")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(EvaluateSeaDrift, hoeffding_tree, "hoeffding_tree")
    ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(EvaluateSeaDriftDelayed, scaler_logistic_regression,
                  "standard_scaler | logistic_regression")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(EvaluateSeaDriftDelayed, hoeffding_tree, "hoeffding_tree")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace streamlearn
