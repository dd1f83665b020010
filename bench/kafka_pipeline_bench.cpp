// End-to-end throughput of `streamlearn run`'s loop through the embedded broker (JSON events in,
// prediction records out), next to a consume-only baseline on the same broker and data: the
// pipeline's goal is to run at >= 90% of the baseline, so that the broker, not streamlearn, is
// the limit. Both read the same pre-produced topic with a fresh consumer group and are timed
// from their first record to their last (the group join is not counted).
//
//   build/bench/sl_bench --benchmark_filter=Kafka --benchmark_repetitions=3

#include <benchmark/benchmark.h>
#include <librdkafka/rdkafka.h>

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
        std::snprintf(json, sizeof(json),
                      R"({"id":"e%zu","key":"k%zu","ts":%zu,"x0":%.6f,"x1":%.6f,"x2":%.6f,"label":"%d"})",
                      i, i % 64, 1'700'000'000'000 + i, x0, x1, x2, x0 + x1 <= 8.0 ? 1 : 0);
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

/// Polls `source` to its end, calling `apply` on every record and marking it processed; returns
/// when the first record came.
template <typename Apply>
Clock::time_point consume_all(connectors::KafkaSource& source, std::size_t& records,
                              Apply&& apply) {
  stream::SourceRecord record;
  Clock::time_point first;
  while (true) {
    const auto polled = source.poll(100, record);
    if (polled == connectors::KafkaSource::Poll::kFinished) break;
    if (polled != connectors::KafkaSource::Poll::kRecord) continue;
    if (records++ == 0) first = Clock::now();
    apply(record);
    source.mark_processed();
  }
  return first;
}

double seconds_since(Clock::time_point first) {
  return std::chrono::duration<double>(Clock::now() - first).count();
}

/// Consume-only: the same consumer (KafkaSource), every record marked processed, nothing decoded.
void BM_KafkaConsumeOnly(benchmark::State& state) {
  Fixture& fixture = Fixture::get();
  for (auto _ : state) {
    auto source = std::move(connectors::KafkaSource::open(fixture.source_params())).value();
    std::size_t records = 0;
    std::size_t bytes = 0;
    const Clock::time_point first = consume_all(
        *source, records, [&](const stream::SourceRecord& record) { bytes += record.value.size(); });
    state.SetIterationTime(seconds_since(first));
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
    auto producer = std::move(connectors::KafkaProducer::open(
                                  {.bootstrap_servers = fixture.servers}, {}))
                        .value();
    const auto topic = producer->topic("copies");
    auto source = std::move(connectors::KafkaSource::open(fixture.source_params())).value();
    source->on_before_commit([&] { return producer->flush(60'000); });
    std::size_t records = 0;
    const Clock::time_point first =
        consume_all(*source, records, [&](const stream::SourceRecord& record) {
          producer->produce(topic, record.key, record.value);
          if (records % 1024 == 0) producer->poll();
        });
    if (!source->commit()) state.SkipWithError("commit failed");  // includes the last flush
    state.SetIterationTime(seconds_since(first));
    if (records != kEvents) state.SkipWithError("not every record was consumed");
    (void)source->close();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEvents));
}
BENCHMARK(BM_KafkaConsumeProduce)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

/// The pipeline: decode, predict, publish the prediction record, learn, then flush and commit.
void BM_KafkaPipeline(benchmark::State& state) {
  Fixture& fixture = Fixture::get();
  for (auto _ : state) {
    core::FeatureSpace features;
    core::ClassSet classes;
    auto model = std::move(learners::LearnerRegistry::builtin().build(
                               "standard_scaler | logistic_regression"))
                     .value();
    stream::PrequentialEvaluator evaluator(*model, {});
    auto producer = std::move(connectors::KafkaProducer::open(
                                  {.bootstrap_servers = fixture.servers}, {}))
                        .value();
    connectors::KafkaOutputs outputs(*producer, {.predictions = "predictions"}, classes);
    stream::EventSchema schema{.target = "label", .key_field = "key", .id_field = "id",
                               .time_field = "ts"};
    schema.target_optional = true;
    stream::ServingPipeline pipeline(
        {}, std::move(stream::JsonEventDecoder::create(schema, features, classes)).value(),
        evaluator, outputs);
    auto source = std::move(connectors::KafkaSource::open(fixture.source_params())).value();
    source->on_before_commit([&] { return producer->flush(60'000); });
    std::size_t records = 0;
    const Clock::time_point first = consume_all(
        *source, records, [&](const stream::SourceRecord& record) { pipeline.process(record); });
    if (!source->commit()) state.SkipWithError("commit failed");  // includes the last flush
    state.SetIterationTime(seconds_since(first));
    if (records != kEvents || outputs.predictions_written() != kEvents)
      state.SkipWithError("not every record got a prediction");
    (void)source->close();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEvents));
}
BENCHMARK(BM_KafkaPipeline)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace streamlearn
