// End-to-end throughput of `streamlearn run`'s loop through the embedded broker (JSON events in,
// prediction records out), next to a consume-only baseline on the same broker and data: the
// pipeline's goal is to run at >= 90% of the baseline, so that the broker, not streamlearn, is
// the limit. Each reads the same pre-produced topic with a fresh consumer group and is timed
// from its first record to its last flush and commit (the group join is not counted). Two more
// separate the costs: consume-and-produce (no decoding: the floor of anything that writes one
// record per record read) and the pipeline without producing (its own work only). The counter
// `process_cores` is the CPU of every thread (ours, librdkafka's, the in-process broker's) over
// the span: 2 means this 2-core machine is saturated.
//
//   build/bench/sl_bench --benchmark_filter=Kafka --benchmark_repetitions=5
//                        --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>
#include <librdkafka/rdkafka.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>

#include "connectors/kafka/embedded_broker.h"
#include "connectors/kafka/kafka_outputs.h"
#include "connectors/kafka/kafka_producer.h"
#include "connectors/kafka/kafka_source.h"
#include "learners/learner_registry.h"
#include "stream/prediction_json.h"
#include "stream/serving_pipeline.h"

namespace streamlearn {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kPartitions = 16;
// ~100-byte events: 16 partitions x 40k stay under the mock's ~5 MB per partition.
constexpr std::size_t kEvents = 640'000;

/// The broker with the `events` topic filled once per process.
struct Fixture {
  std::unique_ptr<connectors::EmbeddedBroker> broker;
  std::string servers;
  int next_group = 0;

  static Fixture& get() {
    static Fixture fixture = [] {
      Fixture f;
      f.broker = std::move(connectors::EmbeddedBroker::start({.num_brokers = 3})).value();
      f.servers = f.broker->bootstrap_servers();
      (void)f.broker->create_topic("events", kPartitions);
      (void)f.broker->create_topic("predictions", 32);
      (void)f.broker->create_topic("copies", 32);
      auto producer =
          std::move(connectors::KafkaProducer::open({.bootstrap_servers = f.servers}, {})).value();
      const auto topic = producer->topic("events");
      std::mt19937_64 rng(42);
      std::uniform_real_distribution<double> uniform(0.0, 10.0);
      char json[256];
      for (std::size_t i = 0; i < kEvents; ++i) {
        const double x0 = uniform(rng), x1 = uniform(rng), x2 = uniform(rng);
        std::snprintf(
            json, sizeof(json),
            R"({"id":"e%zu","key":"k%zu","ts":%zu,"x0":%.6f,"x1":%.6f,"x2":%.6f,"label":"%d"})", i,
            i % 64, 1'700'000'000'000 + i, x0, x1, x2, x0 + x1 <= 8.0 ? 1 : 0);
        const std::string key = "k" + std::to_string(i % 64);
        producer->produce(topic, key, json);
      }
      if (!producer->flush(60'000)) std::abort();
      return f;
    }();
    return fixture;
  }

  connectors::KafkaSource::Params source_params() {
    return {.connection = {.bootstrap_servers = servers,
                           .properties = {{"session.timeout.ms", "6000"}}},
            .topics = {"events"},
            .group_id = "bench-" + std::to_string(next_group++),
            .from = {.kind = connectors::StartPosition::Kind::kEarliest},
            .until = {.kind = connectors::StopCondition::Kind::kEnd}};
  }
};

/// CPU seconds used so far by every thread of the process: ours, librdkafka's and the broker's.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// The timed span: from the first record to the end of the last flush and commit.
struct Span {
  Clock::time_point first;
  double first_cpu = 0;

  void start() {
    first = Clock::now();
    first_cpu = process_cpu_seconds();
  }
  /// Records the span as the iteration's time, and the process's CPU cores in use over it
  /// (2 on this machine means the broker, librdkafka and the pipeline are sharing saturated cores).
  void stop(benchmark::State& state) const {
    const double seconds = std::chrono::duration<double>(Clock::now() - first).count();
    state.SetIterationTime(seconds);
    state.counters["process_cores"] = (process_cpu_seconds() - first_cpu) / seconds;
  }
};

/// Polls `source` to its end, calling `apply` on every record and marking it processed; starts
/// `span` at the first record.
template <typename Apply>
void consume_all(connectors::KafkaSource& source, std::size_t& records, Span& span, Apply&& apply) {
  stream::SourceRecord record;
  while (true) {
    const auto polled = source.poll(100, record);
    if (polled == connectors::KafkaSource::Poll::kFinished) break;
    if (polled != connectors::KafkaSource::Poll::kRecord) continue;
    if (records++ == 0) span.start();
    apply(record);
    source.mark_processed();
  }
}

/// Consume-only: the same consumer (KafkaSource), every record marked processed, nothing decoded.
void BM_KafkaConsumeOnly(benchmark::State& state) {
  Fixture& fixture = Fixture::get();
  for (auto _ : state) {
    auto source = std::move(connectors::KafkaSource::open(fixture.source_params())).value();
    std::size_t records = 0;
    std::size_t bytes = 0;
    Span span;
    consume_all(*source, records, span,
                [&](const stream::SourceRecord& record) { bytes += record.value.size(); });
    span.stop(state);
    benchmark::DoNotOptimize(bytes);
    if (records != kEvents) state.SkipWithError("not every record was consumed");
    (void)source->close();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEvents));
}
BENCHMARK(BM_KafkaConsumeOnly)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

/// Consume and produce: every record copied as is to an output topic, then flushed and committed.
/// The floor of any pipeline that writes one record per record it reads, on this broker.
void BM_KafkaConsumeProduce(benchmark::State& state) {
  Fixture& fixture = Fixture::get();
  for (auto _ : state) {
    auto producer =
        std::move(connectors::KafkaProducer::open({.bootstrap_servers = fixture.servers}, {}))
            .value();
    const auto topic = producer->topic("copies");
    auto source = std::move(connectors::KafkaSource::open(fixture.source_params())).value();
    source->on_before_commit([&] { return producer->flush(60'000); });
    std::size_t records = 0;
    Span span;
    consume_all(*source, records, span, [&](const stream::SourceRecord& record) {
      producer->produce(topic, record.key, record.value);
      if (records % 1024 == 0) producer->poll();
    });
    if (!source->commit()) state.SkipWithError("commit failed");  // includes the last flush
    span.stop(state);
    if (records != kEvents) state.SkipWithError("not every record was consumed");
    (void)source->close();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEvents));
}
BENCHMARK(BM_KafkaConsumeProduce)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

/// Serializes each prediction record as KafkaOutputs does, then drops it: the pipeline's own work
/// without the cost of producing (librdkafka's producer and the broker receiving).
class SerializeOnlyOutput final : public stream::PipelineOutput {
 public:
  explicit SerializeOnlyOutput(const core::ClassSet& classes) : classes_(classes) {}
  void prediction(const stream::Event& event, const stream::Prediction& prediction,
                  const stream::SourceRecord& origin) override {
    stream::write_prediction_json(event, prediction, origin, classes_, record_);
    bytes_ += record_.size();
    ++predictions_;
  }
  void rejected(const stream::SourceRecord&, const stream::Rejection&) override { std::abort(); }
  std::size_t predictions() const { return predictions_; }

 private:
  const core::ClassSet& classes_;
  std::string record_;
  std::size_t bytes_ = 0;
  std::size_t predictions_ = 0;
};

/// The pipeline: decode, predict (`standard_scaler | logistic_regression`), write the prediction
/// record, learn; then flush and commit. `produce` false: the record is serialized, not produced.
void run_pipeline(benchmark::State& state, bool produce) {
  Fixture& fixture = Fixture::get();
  for (auto _ : state) {
    core::FeatureSpace features;
    core::ClassSet classes;
    auto model = std::move(learners::LearnerRegistry::builtin().build(
                               "standard_scaler | logistic_regression"))
                     .value();
    stream::PrequentialEvaluator evaluator(*model, {});
    auto producer =
        std::move(connectors::KafkaProducer::open({.bootstrap_servers = fixture.servers}, {}))
            .value();
    connectors::KafkaOutputs kafka_outputs(*producer, {.predictions = "predictions"}, classes,
                                           features);
    SerializeOnlyOutput serialize_only(classes);
    stream::EventSchema schema{
        .target = "label", .key_field = "key", .id_field = "id", .time_field = "ts"};
    schema.target_optional = true;
    stream::ServingPipeline pipeline(
        {}, std::move(stream::JsonEventDecoder::create(schema, features, classes)).value(),
        evaluator, produce ? static_cast<stream::PipelineOutput&>(kafka_outputs) : serialize_only);
    auto source = std::move(connectors::KafkaSource::open(fixture.source_params())).value();
    source->on_before_commit([&] { return producer->flush(60'000); });
    std::size_t records = 0;
    Span span;
    consume_all(*source, records, span,
                [&](const stream::SourceRecord& record) { pipeline.process(record); });
    if (!source->commit()) state.SkipWithError("commit failed");  // includes the last flush
    span.stop(state);
    const std::size_t predictions =
        produce ? kafka_outputs.predictions_written() : serialize_only.predictions();
    if (records != kEvents || predictions != kEvents)
      state.SkipWithError("not every record got a prediction");
    (void)source->close();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEvents));
}

void BM_KafkaPipeline(benchmark::State& state) { run_pipeline(state, true); }
BENCHMARK(BM_KafkaPipeline)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_KafkaPipelineWithoutProducing(benchmark::State& state) { run_pipeline(state, false); }
BENCHMARK(BM_KafkaPipelineWithoutProducing)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace streamlearn
