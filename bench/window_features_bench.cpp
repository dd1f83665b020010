// Windowed features over a million keys: the events/s of the feature stage (and of a whole
// pipeline with it), the memory the stage holds, and whether that memory stays flat while keys
// come and go. Items are events.
//
// The events are card payments (bench/payment_stream.h): a user, a merchant (one of 1,000), an
// amount and a fraud label (2%), at 10 million events per hour of event time, so each of the
// 1,000,000 users (drawn uniformly, fixed seed) pays about 10 times an hour; a fifth of the events
// arrive up to 10 s out of order. The windows allow 5 s (out_of_order=5s), so a few events are
// late at window boundaries (counted, `late_per_M`). The user is a number (the window keys by
// its text); `_text_user` variants make it a string feature, interned in the FeatureSpace as it
// arrives, as the CSV and JSON decoders do with a categorical field (that interning is in the
// timed loop: subtract none_text_user); `_entity_user` variants make it a string entity (the
// schema's `entities`), carried as text and never interned.
//
// WindowFeatures/<kind>: the FeatureStage of one window step with three aggregates, built by
// FeatureStage::split as PipelineModel builds it. Warm-up: 2 million events; timed: 10 iterations
// of 1 million events (an hour of event time, across one hour boundary, where a tumbling window's
// keys all close). Counters: `keys` held at the end and `keys_peak` (sampled every 65,536
// events); `state_MB`, the growth of the process's resident memory from before the stage was built
// (after malloc_trim) to the end: window state, key table, and what the allocator keeps;
// `heap_MB`, the growth of the bytes malloc has handed out (mallinfo2: includes the untouched
// capacity of large vectors); both per key of keys_peak (`bytes_per_key`, `heap_bytes_per_key`);
// and `claimed_bytes_per_key`, WindowOperator::bytes_per_key() (window state only: no key table,
// nothing the aggregates allocate). `none` is the event generator alone, to subtract.
//
// WindowPipeline/<model>: `evaluate` without decoding: the stage, then
// PrequentialEvaluator::process (predict, metrics, learn) with the learner of the same
// expression, both built by PipelineModel::build.
//
// WindowFeaturesChurn/<kind>: one run of 40 million events (4 hours of event time) in which users
// retire: the live users are a range of ids that slides by the population every hour, so a user
// pays for about an hour and is then silent for ever (5 million distinct users in all). Resident
// memory and malloc's bytes in use, minus their values before the stage was built, and the keys
// held are sampled every million events and reported at 10%, 25%, 50%, 75% and 100% of the run;
// `rss_growth_pct` and `heap_growth_pct` are the growth from 50% to 100%, which is steady state.
//
//   build-bench/bench/sl_bench --benchmark_filter=Window --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "bench/payment_stream.h"
#include "stream/features/feature_stage.h"
#include "stream/pipeline_model.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn {
namespace {

using stream::features::FeatureStage;
using stream::features::WindowOperator;

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t total_pages = 0;
  std::size_t resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// Bytes malloc has handed out and not had back (glibc), whatever it holds beyond.
std::size_t heap_in_use_bytes() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

double megabytes(std::size_t bytes) { return static_cast<double>(bytes) / 1e6; }

// What a benchmark holds is measured from here: glibc keeps some memory an earlier benchmark in
// this process freed, and a benchmark reusing it would not show in the resident size;
// malloc_trim(0) gives every free page back first.
struct Memory {
  std::size_t rss = resident_bytes();
  std::size_t heap = heap_in_use_bytes();
};
Memory memory_after_trim() {
  malloc_trim(0);
  return {};
}

// The FeatureStage of window steps (none: an empty stage), built as PipelineModel builds it;
// split() wants a learner after the windows, which is dropped.
std::unique_ptr<FeatureStage> make_stage(std::string_view windows, core::FeatureSpace& space) {
  const std::string learner = "logistic_regression";
  auto split =
      FeatureStage::split(windows.empty() ? learner : std::string(windows) + " | " + learner);
  if (!split) return nullptr;
  return std::make_unique<FeatureStage>(split->windows, space);
}

std::uint64_t late_events(const FeatureStage& stage) {
  std::uint64_t late = 0;
  for (const WindowOperator& window : stage.windows()) late += window.counters().late;
  return late;
}

std::size_t keys_held(const FeatureStage& stage) {
  std::size_t keys = 0;
  for (const WindowOperator& window : stage.windows()) keys += window.num_keys();
  return keys;
}

constexpr std::uint64_t kWarmUpEvents = 2'000'000;
constexpr std::uint64_t kEventsPerIteration = 1'000'000;
constexpr std::uint64_t kKeySampleEvery = 65'536;

using bench::kNumUsers;
using bench::PaymentStream;
using User = PaymentStream::User;

// `windows` is a window step (or none); the stage alone runs.
void WindowFeatures(benchmark::State& state, const char* windows, User user) {
  core::FeatureSpace space;
  PaymentStream payments(space, {.user = user});
  const Memory before = memory_after_trim();
  auto stage = make_stage(windows, space);
  if (!stage) {
    state.SkipWithError("bad window expression");
    return;
  }
  stream::Event event;
  for (std::uint64_t i = 0; i < kWarmUpEvents; ++i) {
    payments.next(event);
    benchmark::DoNotOptimize(stage->apply(event));
  }
  std::size_t keys_peak = keys_held(*stage);
  const std::uint64_t late_before = late_events(*stage);
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < kEventsPerIteration; ++i) {
      payments.next(event);
      benchmark::DoNotOptimize(stage->apply(event));
      if (i % kKeySampleEvery == 0) keys_peak = std::max(keys_peak, keys_held(*stage));
    }
  }
  const Memory after;
  const std::uint64_t events = payments.position() - kWarmUpEvents;
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["keys"] = static_cast<double>(keys_held(*stage));
  state.counters["keys_peak"] = static_cast<double>(keys_peak);
  state.counters["rss_MB"] = megabytes(after.rss);
  state.counters["state_MB"] = megabytes(after.rss - before.rss);
  state.counters["heap_MB"] = megabytes(after.heap - before.heap);
  if (keys_peak > 0) {
    const auto per_key = [&](std::size_t bytes) {
      return static_cast<double>(bytes) / static_cast<double>(keys_peak);
    };
    state.counters["bytes_per_key"] = per_key(after.rss - before.rss);
    state.counters["heap_bytes_per_key"] = per_key(after.heap - before.heap);
    state.counters["claimed_bytes_per_key"] =
        static_cast<double>(stage->windows().front().bytes_per_key());
  }
  state.counters["late_per_M"] =
      static_cast<double>(late_events(*stage) - late_before) * 1e6 / static_cast<double>(events);
}

// The whole model expression: windows, then predict + metrics + learn.
void WindowPipeline(benchmark::State& state, const char* expression) {
  core::FeatureSpace space;
  PaymentStream payments(space, {});
  const Memory before = memory_after_trim();
  auto model = stream::PipelineModel::build(expression, space);
  if (!model) {
    state.SkipWithError(model.status().message().c_str());
    return;
  }
  FeatureStage* stage = model->features->empty() ? nullptr : model->features.get();
  stream::PrequentialEvaluator evaluator(*model->learner, {});
  evaluator.give_labels_to(stage);
  stream::Event event;
  const auto process = [&] {
    payments.next(event);
    if (stage && stage->apply(event)) return;
    evaluator.process(event);
  };
  for (std::uint64_t i = 0; i < kWarmUpEvents; ++i) process();
  for (auto _ : state)
    for (std::uint64_t i = 0; i < kEventsPerIteration; ++i) process();
  const Memory after;
  state.SetItemsProcessed(static_cast<std::int64_t>(payments.position() - kWarmUpEvents));
  state.counters["keys"] = stage ? static_cast<double>(keys_held(*stage)) : 0.0;
  state.counters["state_MB"] = megabytes(after.rss - before.rss);
}

void WindowFeaturesChurn(benchmark::State& state, const char* windows, User user,
                         std::uint32_t population) {
  constexpr std::uint64_t kEvents = 40'000'000;
  constexpr std::uint64_t kSampleEvery = 1'000'000;
  core::FeatureSpace space;
  PaymentStream payments(space, {.user = user, .population = population, .retire = true});
  const Memory before = memory_after_trim();
  auto stage = make_stage(windows, space);
  if (!stage) {
    state.SkipWithError("bad window expression");
    return;
  }
  struct Sample {
    Memory memory;
    std::size_t keys;
  };
  std::vector<Sample> samples;
  stream::Event event;
  for (auto _ : state) {
    for (std::uint64_t i = 1; i <= kEvents; ++i) {
      payments.next(event);
      benchmark::DoNotOptimize(stage->apply(event));
      if (i % kSampleEvery == 0) samples.push_back({Memory(), keys_held(*stage)});
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(payments.position()));
  for (const std::size_t percent : {10, 25, 50, 75, 100}) {
    const Sample& sample = samples[samples.size() * percent / 100 - 1];
    const std::string at = "_" + std::to_string(percent);
    state.counters["rss_MB" + at] = megabytes(sample.memory.rss - before.rss);
    state.counters["heap_MB" + at] = megabytes(sample.memory.heap - before.heap);
    state.counters["keys" + at] = static_cast<double>(sample.keys);
  }
  const auto growth = [&](std::size_t Memory::*field) {
    const double middle = static_cast<double>(samples[samples.size() / 2 - 1].memory.*field -
                                              before.*field);
    const double end = static_cast<double>(samples.back().memory.*field - before.*field);
    return 100.0 * (end / middle - 1.0);
  };
  state.counters["rss_growth_pct"] = growth(&Memory::rss);
  state.counters["heap_growth_pct"] = growth(&Memory::heap);
  const WindowOperator::Counters counters = stage->windows().front().counters();
  state.counters["closed"] = static_cast<double>(counters.keys.closed);
  state.counters["expired"] = static_cast<double>(counters.keys.expired);
  state.counters["evicted"] = static_cast<double>(counters.keys.evicted);
  state.counters["space_features"] = static_cast<double>(space.num_features());
}

// Three aggregates per window; every window allows 5 s out of order.
BENCHMARK_CAPTURE(WindowFeatures, none, "", User::kNumber)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(WindowFeatures, tumbling_1h,
                  "window(by=user, size=1h, out_of_order=5s, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kNumber)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(WindowFeatures, hopping_1h_every_5m,
                  "window(by=user, size=1h, step=5m, out_of_order=5s, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kNumber)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(WindowFeatures, session_30m,
                  "window(by=user, gap=30m, out_of_order=5s, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kNumber)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
// 7.2 KB per key: 7 GB for the million users.
BENCHMARK_CAPTURE(WindowFeatures, last_100_events,
                  "window(by=user, events=100, agg=[mean(amount), count(), max(amount)])",
                  User::kNumber)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(WindowFeatures, tumbling_1h_sketches,
                  "window(by=user, size=1h, out_of_order=5s, "
                  "agg=[nunique(merchant), quantile(amount, q=0.9), mean(amount)])",
                  User::kNumber)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
// The user as a string: the generator interns it as decoders do (subtract none_text_user).
BENCHMARK_CAPTURE(WindowFeatures, none_text_user, "", User::kText)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(WindowFeatures, tumbling_1h_text_user,
                  "window(by=user, size=1h, out_of_order=5s, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kText)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(WindowFeatures, tumbling_1h_entity_user,
                  "window(by=user, size=1h, out_of_order=5s, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kEntity)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(WindowPipeline, learner_only, "standard_scaler | logistic_regression")
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(WindowPipeline, tumbling_1h,
                  "window(by=user, size=1h, out_of_order=5s, "
                  "agg=[mean(amount), count(), max(amount)]) | "
                  "standard_scaler | logistic_regression")
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(WindowPipeline, hopping_1h_every_5m,
                  "window(by=user, size=1h, step=5m, out_of_order=5s, "
                  "agg=[mean(amount), count(), max(amount)]) | "
                  "standard_scaler | logistic_regression")
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);

// Churn: about 1.3 (ttl=30m) to 2 million keys (session: closed after 2 x gap without an event)
// are held at a time, so max_keys=3000000 leaves ttl and closing as the bounds; the last one keeps
// the default max_keys (1,000,000), which evicts instead.
BENCHMARK_CAPTURE(WindowFeaturesChurn, tumbling_1h_ttl_30m,
                  "window(by=user, size=1h, out_of_order=5s, ttl=30m, max_keys=3000000, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kNumber, kNumUsers)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(WindowFeaturesChurn, tumbling_1h_ttl_30m_text_user,
                  "window(by=user, size=1h, out_of_order=5s, ttl=30m, max_keys=3000000, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kText, kNumUsers)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(WindowFeaturesChurn, tumbling_1h_ttl_30m_entity_user,
                  "window(by=user, size=1h, out_of_order=5s, ttl=30m, max_keys=3000000, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kEntity, kNumUsers)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(WindowFeaturesChurn, session_30m,
                  "window(by=user, gap=30m, out_of_order=5s, max_keys=3000000, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kNumber, kNumUsers)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
// Unbounded windows keep a key until ttl (or max_keys) drops it.
BENCHMARK_CAPTURE(WindowFeaturesChurn, unbounded_ttl_30m,
                  "window(by=user, ttl=30m, max_keys=3000000, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kNumber, kNumUsers)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(WindowFeaturesChurn, tumbling_1h_sketches_ttl_30m,
                  "window(by=user, size=1h, out_of_order=5s, ttl=30m, max_keys=3000000, "
                  "agg=[nunique(merchant), quantile(amount, q=0.9), mean(amount)])",
                  User::kNumber, kNumUsers)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
// 100,000 live users: the last-100 window costs 7.2 KB per key.
BENCHMARK_CAPTURE(WindowFeaturesChurn, last_100_events_ttl_30m_100k_users,
                  "window(by=user, events=100, ttl=30m, agg=[mean(amount), count(), max(amount)])",
                  User::kNumber, 100'000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(WindowFeaturesChurn, session_30m_max_keys_1m,
                  "window(by=user, gap=30m, out_of_order=5s, "
                  "agg=[mean(amount), count(), max(amount)])",
                  User::kNumber, kNumUsers)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace streamlearn
