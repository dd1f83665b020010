// Checkpoints of a realistic pipeline: how big one is, how long writing it takes, and what
// checkpointing every 10 seconds costs in throughput. Items are events.
//
// The pipeline is what `evaluate --delay 1000 --rolling 1000 --drift-detector adwin --on-drift
// background --monitor-features amount,merchant --checkpoint-dir DIR` builds in process, on the
// card payments of bench/payment_stream.h (`population` users, each with a one-hour tumbling
// window of three aggregates and a time-to-live of two hours): the window state, the names, the
// model (and a background one while a warning lasts), the metrics, the monitors (ADWIN and the
// data-drift references and windows of two features) and the 1,000 labels still to come.
//
// CheckpointWrite/<model>/<users>: after 3 million events (every user seen), each iteration
// writes one checkpoint with PipelineCheckpoints::write(): serializing (PipelineState::save),
// writing, fsync of the file and of the directory, rename. Counters: `MB`, the file's size;
// `bytes_per_user`; `save_cpu_ms`, the CPU time of the serializing alone; `write_ms`, the
// wall-clock time of all of it (Time) and CPU its CPU time (what fsync waits for is not CPU).
// The directory is `checkpoint-bench.tmp` in the working directory (a disk, not a tmpfs).
//
// CheckpointEvery/<model>/<interval>: the events/s of the same pipeline over 30 million events
// (about 40 s of wall time), checkpointing every `interval` of wall-clock time (0: never), as
// `--checkpoint-interval` does. `cost_pct` is the share of the run spent writing checkpoints
// (the writes' measured time over the run's), which is what the interval costs; it is measured
// directly here, in the same run, because the difference between two runs' rates is within
// their noise at 10 s.
//
//   build/bench/sl_bench --benchmark_filter=Checkpoint --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "bench/payment_stream.h"
#include "connectors/files/pipeline_checkpoints.h"
#include "stream/label_delay_queue.h"
#include "stream/model_monitor.h"
#include "stream/pipeline_model.h"
#include "stream/pipeline_state.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn {
namespace {

using bench::PaymentStream;

constexpr const char* kWindow =
    "window(by=user, size=1h, out_of_order=5s, ttl=2h, max_keys=2000000, "
    "agg=[mean(amount), count(), max(amount)]) | ";

// Everything `evaluate` holds for one run, built as it builds it.
class BenchPipeline {
 public:
  static std::unique_ptr<BenchPipeline> build(const std::string& learner,
                                              std::uint32_t population,
                                              const std::filesystem::path& directory,
                                              std::int64_t interval_ms,
                                              benchmark::State& state) {
    auto pipeline = std::unique_ptr<BenchPipeline>(new BenchPipeline(population));
    if (core::Status built = pipeline->build_parts(kWindow + learner, directory, interval_ms);
        !built) {
      state.SkipWithError(built.message().c_str());
      return nullptr;
    }
    return pipeline;
  }

  void process_one() {
    payments_.next(event_);
    if (model_->features->apply(event_)) return;
    evaluator_->process_delayed(event_, pending_);
  }

  connectors::PipelineCheckpoints& checkpoints() { return *checkpoints_; }
  const stream::PrequentialEvaluator& evaluator() const { return *evaluator_; }
  stream::PipelineState::Parts parts() {
    return {.model = model_->describe(),
            .space = &space_,
            .classes = &classes_,
            .windows = model_->features.get(),
            .evaluator = evaluator_.get(),
            .delayed = &pending_};
  }

 private:
  explicit BenchPipeline(std::uint32_t population)
      : payments_(space_, {.population = population}) {}

  core::Status build_parts(const std::string& expression, const std::filesystem::path& directory,
                           std::int64_t interval_ms) {
    auto model = stream::PipelineModel::build(expression, space_);
    if (!model) return model.status();
    model_ = std::make_unique<stream::PipelineModel>(std::move(*model));
    evaluator_ = std::make_unique<stream::PrequentialEvaluator>(
        *model_->learner,
        stream::PrequentialEvaluator::Options{.rolling_window = 1000,
                                              .on_drift = stream::OnDrift::kBackground});
    auto monitor = stream::ModelMonitor::create(
        {.drift_detector = "adwin",
         .feature_drift = stream::ModelMonitor::FeatureDrift{.features = {"amount", "merchant"}}},
        true, "fraud", space_);
    if (!monitor) return monitor.status();
    (*monitor)->use_class_names(&classes_);
    evaluator_->monitor_with(std::move(*monitor));
    evaluator_->give_labels_to(model_->features.get());
    std::filesystem::remove_all(directory);
    auto checkpoints = connectors::PipelineCheckpoints::open(
        {.directory = directory.string(), .interval_ms = interval_ms}, parts(),
        [this](core::StateWriter& out) { out.write(payments_.position()); },
        [](core::StateReader&) { return core::Status::ok(); });
    if (!checkpoints) return checkpoints.status();
    checkpoints_ = std::move(*checkpoints);
    return core::Status::ok();
  }

  core::FeatureSpace space_;
  core::ClassSet classes_;
  PaymentStream payments_;
  std::unique_ptr<stream::PipelineModel> model_;
  std::unique_ptr<stream::PrequentialEvaluator> evaluator_;
  stream::LabelDelayQueue pending_{1000};
  std::unique_ptr<connectors::PipelineCheckpoints> checkpoints_;
  stream::Event event_;
};

const std::filesystem::path kDirectory = "checkpoint-bench.tmp";

// This thread's CPU time: what serializing costs, whatever else the machine runs.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

void CheckpointWrite(benchmark::State& state, const char* learner, std::uint32_t population) {
  auto pipeline = BenchPipeline::build(learner, population, kDirectory, 0, state);
  if (!pipeline) return;
  constexpr std::uint64_t kWarmUpEvents = 3'000'000;
  for (std::uint64_t i = 0; i < kWarmUpEvents; ++i) pipeline->process_one();
  double save_seconds = 0.0;
  for (auto _ : state) {
    state.PauseTiming();  // the serializing alone, outside the timed write
    const double start = thread_cpu_seconds();
    const std::string payload =
        stream::PipelineState::save(pipeline->parts(), [](core::StateWriter& out) {
          out.write(std::uint64_t{0});
        });
    benchmark::DoNotOptimize(payload.data());
    save_seconds += thread_cpu_seconds() - start;
    state.ResumeTiming();
    if (core::Status written = pipeline->checkpoints().write(); !written) {
      state.SkipWithError(written.message().c_str());
      return;
    }
  }
  const connectors::PipelineCheckpoints::Counters& counters = pipeline->checkpoints().counters();
  const double iterations = static_cast<double>(state.iterations());
  state.counters["MB"] = static_cast<double>(counters.last_bytes) / 1e6;
  state.counters["bytes_per_user"] =
      static_cast<double>(counters.last_bytes) / static_cast<double>(population);
  state.counters["save_cpu_ms"] = 1e3 * save_seconds / iterations;
  state.counters["write_ms"] = 1e3 * counters.total_write_seconds / iterations;
  std::filesystem::remove_all(kDirectory);
}

void CheckpointEvery(benchmark::State& state, const char* learner, std::int64_t interval_ms) {
  constexpr std::uint64_t kEvents = 30'000'000;
  auto pipeline = BenchPipeline::build(learner, 100'000, kDirectory, interval_ms, state);
  if (!pipeline) return;
  double seconds = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < kEvents; ++i) {
      pipeline->process_one();
      if (interval_ms > 0) {
        if (core::Status written =
                pipeline->checkpoints().maybe_write(pipeline->evaluator().events());
            !written) {
          state.SkipWithError(written.message().c_str());
          return;
        }
      }
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const connectors::PipelineCheckpoints::Counters& counters = pipeline->checkpoints().counters();
  state.SetItemsProcessed(static_cast<std::int64_t>(kEvents * state.iterations()));
  state.counters["checkpoints"] = static_cast<double>(counters.written);
  state.counters["MB"] = static_cast<double>(counters.last_bytes) / 1e6;
  state.counters["cost_pct"] = 100.0 * counters.total_write_seconds / seconds;
  std::filesystem::remove_all(kDirectory);
}

constexpr const char* kLogistic = "standard_scaler | logistic_regression";
constexpr const char* kTree = "standard_scaler | hoeffding_tree";

BENCHMARK_CAPTURE(CheckpointWrite, logistic_regression_100k_users, kLogistic, 100'000)
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(CheckpointWrite, hoeffding_tree_100k_users, kTree, 100'000)
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(CheckpointWrite, hoeffding_tree_1m_users, kTree, 1'000'000)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(CheckpointEvery, hoeffding_tree_never, kTree, 0)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(CheckpointEvery, hoeffding_tree_10s, kTree, 10'000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(CheckpointEvery, hoeffding_tree_1s, kTree, 1'000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace streamlearn
