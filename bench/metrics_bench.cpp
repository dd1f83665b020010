// The cost of Prometheus metrics on the pipeline's hot path: `streamlearn run`'s per-record work
// (ServingPipeline: decode a JSON record, predict, publish, learn) on 200,000 pre-encoded records,
// without metrics, and with them as `run` exports them: each record's latency observed from its
// timestamp (the clock cached for 16 records), the counters published every second from the
// pipeline thread, and
// the endpoint serving /metrics on its thread to a scraper asking 10 times a second (50 times
// Prometheus's rate in deploy/prometheus/prometheus.yml). No Kafka, so that the difference is
// not lost in the broker's noise. The goal is under 5%.
//
//   build/bench/sl_bench --benchmark_filter=PipelineMetrics --benchmark_repetitions=20
//                        --benchmark_enable_random_interleaving=true

#include <benchmark/benchmark.h>
#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "connectors/prometheus/metrics_server.h"
#include "connectors/prometheus/pipeline_metrics.h"
#include "learners/learner_registry.h"
#include "stream/serving_pipeline.h"

namespace streamlearn {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kRecords = 200'000;

/// ~100-byte SEA events as Kafka would deliver them, timestamped a few milliseconds ago.
const std::vector<std::string>& record_values() {
  static const std::vector<std::string> values = [] {
    std::vector<std::string> out;
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> uniform(0.0, 10.0);
    char json[256];
    for (std::size_t i = 0; i < kRecords; ++i) {
      const double x0 = uniform(rng), x1 = uniform(rng), x2 = uniform(rng);
      std::snprintf(json, sizeof(json),
                    R"({"id":"e%zu","key":"k%zu","x0":%.6f,"x1":%.6f,"x2":%.6f,"label":"%d"})", i,
                    i % 64, x0, x1, x2, x0 + x1 <= 8.0 ? 1 : 0);
      out.emplace_back(json);
    }
    return out;
  }();
  return values;
}

class CountingOutput final : public stream::PipelineOutput {
 public:
  void prediction(const stream::Event&, const stream::Prediction&,
                  const stream::SourceRecord&) override {
    ++predictions_;
  }
  void rejected(const stream::SourceRecord&, const stream::Rejection&) override { std::abort(); }
  std::size_t predictions() const { return predictions_; }

 private:
  std::size_t predictions_ = 0;
};

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

/// GETs /metrics every 100 ms until stopped.
void scrape_until(const std::string& url, const std::atomic<bool>& stop,
                  std::atomic<std::uint64_t>& scrapes) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  while (!stop.load()) {
    if (curl_easy_perform(curl) == CURLE_OK) ++scrapes;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  curl_easy_cleanup(curl);
}

void run(benchmark::State& state, bool with_metrics) {
  const std::vector<std::string>& values = record_values();
  std::uint64_t scraped = 0;
  for (auto _ : state) {
    core::FeatureSpace features;
    core::ClassSet classes;
    auto model = std::move(learners::LearnerRegistry::builtin().build(
                               "standard_scaler | logistic_regression"))
                     .value();
    stream::PrequentialEvaluator evaluator(*model, {.rolling_window = 1000});
    CountingOutput output;
    stream::EventSchema schema{.target = "label", .key_field = "key", .id_field = "id"};
    schema.target_optional = true;
    stream::ServingPipeline pipeline(
        {}, std::move(stream::JsonEventDecoder::create(schema, features, classes)).value(),
        evaluator, output);
    connectors::PipelineMetrics metrics("bench");
    std::unique_ptr<connectors::MetricsServer> server;
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> scrapes{0};
    std::thread scraper;
    if (with_metrics) {
      server =
          std::move(connectors::MetricsServer::start({.listen = "127.0.0.1:0"}, metrics)).value();
      scraper = std::thread(scrape_until, "http://" + server->address() + "/metrics",
                            std::cref(stop), std::ref(scrapes));
    }
    const std::int64_t timestamp_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count() -
                                      5;
    stream::SourceRecord record;
    record.topic = "events";
    record.timestamp_ms = timestamp_ms;
    const Clock::time_point start = Clock::now();
    Clock::time_point next_publish = start + std::chrono::seconds(1);
    for (std::size_t i = 0; i < values.size(); ++i) {
      record.value = values[i];
      record.offset = static_cast<std::int64_t>(i);
      pipeline.process(record);
      if (!with_metrics) continue;
      // As KafkaRunner: the latency of every record (never waited for here), the clock checked
      // every 64 records for publishing.
      metrics.observe_record_latency(record.timestamp_ms, false);
      if (i % 64 == 0 && Clock::now() >= next_publish) {
        metrics.publish({.records = i + 1, .events = pipeline.counters().events}, evaluator);
        next_publish = Clock::now() + std::chrono::seconds(1);
      }
    }
    // Timed: the records only (not starting the server or joining the scraper).
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
    if (with_metrics) {
      stop = true;
      scraper.join();
      scraped += scrapes.load();
    }
    if (output.predictions() != kRecords) state.SkipWithError("not every record was predicted");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRecords));
  state.counters["scrapes_per_iteration"] =
      static_cast<double>(scraped) / static_cast<double>(state.iterations());
}

void BM_PipelineMetrics_Off(benchmark::State& state) { run(state, false); }
BENCHMARK(BM_PipelineMetrics_Off)->Unit(benchmark::kMillisecond)->UseManualTime();

void BM_PipelineMetrics_Exported(benchmark::State& state) { run(state, true); }
BENCHMARK(BM_PipelineMetrics_Exported)->Unit(benchmark::kMillisecond)->UseManualTime();

}  // namespace
}  // namespace streamlearn
