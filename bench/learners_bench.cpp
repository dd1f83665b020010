// learn_one + predict_one throughput per registered learner, on a pre-generated SEA stream (3
// numeric features), so only the model is timed. Items are events.
//
//   build/bench/sl_bench --benchmark_filter=Learner

#include <benchmark/benchmark.h>

#include <vector>

#include "connectors/synthetic/synthetic_stream_registry.h"
#include "learners/learner_registry.h"

namespace streamlearn {
namespace {

const std::vector<stream::Event>& sea_events() {
  static const std::vector<stream::Event> events = [] {
    core::FeatureSpace features;
    core::ClassSet classes;
    auto generator = connectors::SyntheticStreamRegistry::builtin().build_drift(
        "sea(noise=0.1)", "sea(variant=1, noise=0.1)", {.position = 50'000, .width = 1'000}, 42,
        features, classes);
    std::vector<stream::Event> out(100'000);
    for (stream::Event& event : out) (*generator)->next(event);
    return out;
  }();
  return events;
}

void LearnerPredictThenLearn(benchmark::State& state, const char* expression) {
  auto model = learners::LearnerRegistry::builtin().build(expression);
  if (!model) {
    state.SkipWithError(model.status().message().c_str());
    return;
  }
  const auto& events = sea_events();
  core::ClassProbabilities proba;
  std::size_t i = 0;
  for (auto _ : state) {
    const stream::Event& event = events[i];
    (*model)->predict_proba_one(event.features, proba);
    benchmark::DoNotOptimize(proba.values().data());
    (*model)->learn_one(event.features, event.label);
    if (++i == events.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void LearnerPredictOnly(benchmark::State& state, const char* expression) {
  auto model = learners::LearnerRegistry::builtin().build(expression);
  if (!model) {
    state.SkipWithError(model.status().message().c_str());
    return;
  }
  const auto& events = sea_events();
  for (const stream::Event& event : events) (*model)->learn_one(event.features, event.label);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize((*model)->predict_one(events[i].features));
    if (++i == events.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(LearnerPredictThenLearn, logistic_regression, "logistic_regression");
BENCHMARK_CAPTURE(LearnerPredictThenLearn, scaler_logistic_regression,
                  "standard_scaler | logistic_regression");
BENCHMARK_CAPTURE(LearnerPredictThenLearn, gaussian_nb, "gaussian_nb");
BENCHMARK_CAPTURE(LearnerPredictThenLearn, hoeffding_tree, "hoeffding_tree");
BENCHMARK_CAPTURE(LearnerPredictOnly, logistic_regression, "logistic_regression");
BENCHMARK_CAPTURE(LearnerPredictOnly, gaussian_nb, "gaussian_nb");
BENCHMARK_CAPTURE(LearnerPredictOnly, hoeffding_tree, "hoeffding_tree");

}  // namespace
}  // namespace streamlearn
