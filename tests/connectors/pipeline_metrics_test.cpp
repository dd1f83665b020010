#include "connectors/prometheus/pipeline_metrics.h"

#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "connectors/prometheus/build_info.h"
#include "learners/learner_registry.h"
#include "tests/connectors/challenged_evaluator.h"
#include "monitors/alerts/alert.h"
#include "stream/serving_pipeline.h"

namespace streamlearn::connectors {
namespace {

class CountingOutput final : public stream::PipelineOutput {
 public:
  void prediction(const stream::Event&, const stream::Prediction&,
                  const stream::SourceRecord&) override {}
  void rejected(const stream::SourceRecord&, const stream::Rejection&) override {}
};

/// The value of the sample whose name and labels are exactly `series`, as exposed.
std::optional<double> sample(const std::string& scrape, const std::string& series) {
  std::istringstream lines(scrape);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return std::nullopt;
}

/// A scored pipeline: 600 labelled events (x uniform in [0, 1), then [5, 6) after `shift_at`),
/// monitored for concept drift (DDM) and data drift of x (reference 200, windows of 100).
class PipelineMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = std::move(learners::LearnerRegistry::builtin().build("gaussian_nb")).value();
    evaluator_ = std::make_unique<stream::PrequentialEvaluator>(
        *model_, stream::PrequentialEvaluator::Options{.rolling_window = 50});
    stream::ModelMonitor::Params monitor;
    monitor.pipeline = "p";
    monitor.drift_detector = "ddm";
    monitor.feature_drift = stream::ModelMonitor::FeatureDrift{
        .features = {"x"},
        .params = {.reference = monitors::WindowLength::events(200),
                   .window = monitors::WindowLength::events(100)}};
    auto created = stream::ModelMonitor::create(monitor, true, "label", space_);
    ASSERT_TRUE(created) << created.status().message();
    (*created)->add_sink(&metrics_.alert_sink());
    metrics_.declare_monitors(**created);
    evaluator_->monitor_with(std::move(*created));
    stream::EventSchema schema{.target = "label", .id_field = "id"};
    schema.target_optional = true;
    pipeline_ = std::make_unique<stream::ServingPipeline>(
        stream::ServingPipeline::Params{},
        std::move(stream::JsonEventDecoder::create(schema, space_, classes_)).value(), *evaluator_,
        output_);
  }

  void feed(std::size_t count, double offset) {
    for (std::size_t i = 0; i < count; ++i) {
      const double x = offset + static_cast<double>((i * 37) % 100) / 100.0;
      const std::string json = "{\"id\":\"e" + std::to_string(next_++) +
                               "\",\"x\":" + std::to_string(x) + ",\"label\":\"" +
                               (x < offset + 0.5 ? "a" : "b") + "\"}";
      stream::SourceRecord record;
      record.value = json;
      record.topic = "events";
      pipeline_->process(record);
    }
  }

  void publish() {
    const stream::ServingPipeline::Counters& counters = pipeline_->counters();
    metrics_.publish({.records = counters.records,
                      .events = counters.events,
                      .rejects = &pipeline_->rejects(),
                      .predictions = counters.events,
                      .pending = pipeline_->pending().size()},
                     *evaluator_);
  }

  core::FeatureSpace space_;
  core::ClassSet classes_;
  std::unique_ptr<learners::Learner> model_;
  std::unique_ptr<stream::PrequentialEvaluator> evaluator_;
  PipelineMetrics metrics_{"p"};
  CountingOutput output_;
  std::unique_ptr<stream::ServingPipeline> pipeline_;
  std::size_t next_ = 0;
};

TEST_F(PipelineMetricsTest, EveryStreamlearnSeriesHasThePipelineLabelAndBuildInfo) {
  feed(10, 0.0);
  publish();
  const std::string scrape = metrics_.scrape();
  std::istringstream lines(scrape);
  std::string line;
  int series = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("streamlearn_", 0) != 0) continue;
    ++series;
    EXPECT_NE(line.find("pipeline=\"p\""), std::string::npos) << line;
  }
  EXPECT_GT(series, 30);
  const std::string build = "streamlearn_build_info{pipeline=\"p\",git_commit=\"" +
                            std::string(build_git_commit()) + "\",version=\"" +
                            std::string(build_version()) + "\"}";
  EXPECT_EQ(sample(scrape, build), 1.0) << scrape;
  EXPECT_FALSE(build_git_commit().empty());
}

TEST_F(PipelineMetricsTest, CountsArePublishedNotLiveAndNeverGoDown) {
  feed(100, 0.0);
  const std::string events = "streamlearn_events_processed_total{pipeline=\"p\"}";
  EXPECT_EQ(sample(metrics_.scrape(), events), 0.0);  // nothing published yet
  publish();
  EXPECT_EQ(sample(metrics_.scrape(), events), 100.0);
  EXPECT_EQ(sample(metrics_.scrape(), "streamlearn_scored_predictions_total{pipeline=\"p\"}"),
            static_cast<double>(evaluator_->scored()));
  // A count published lower (a restarted component) leaves the counter where it was.
  metrics_.publish({.records = 5, .events = 5}, *evaluator_);
  EXPECT_EQ(sample(metrics_.scrape(), events), 100.0);
}

TEST_F(PipelineMetricsTest, RejectReasonsAndAlertSeriesExistAtZeroFromTheStart) {
  const std::string scrape = metrics_.scrape();
  for (std::string_view reason : stream::kRejectReasonNames)
    EXPECT_EQ(sample(scrape, "streamlearn_events_rejected_total{pipeline=\"p\",reason=\"" +
                                 std::string(reason) + "\"}"),
              0.0)
        << reason;
  EXPECT_EQ(
      sample(scrape,
             "streamlearn_alerts_total{pipeline=\"p\",kind=\"concept\",monitor=\"concept_drift\"}"),
      0.0)
      << scrape;
  EXPECT_EQ(
      sample(scrape,
             "streamlearn_alerts_total{pipeline=\"p\",kind=\"data\",monitor=\"feature_drift\"}"),
      0.0);
  EXPECT_EQ(sample(scrape, "streamlearn_model_replacements_total{pipeline=\"p\",action=\"reset\"}"),
            0.0);
}

TEST_F(PipelineMetricsTest, ModelMetricsByWindowAndDriftStatisticsByFeature) {
  feed(300, 0.0);
  publish();
  std::string scrape = metrics_.scrape();
  const auto accuracy = sample(
      scrape, "streamlearn_model_metric{pipeline=\"p\",metric=\"accuracy\",window=\"cumulative\"}");
  const auto rolling = sample(
      scrape, "streamlearn_model_metric{pipeline=\"p\",metric=\"accuracy\",window=\"rolling\"}");
  ASSERT_TRUE(accuracy && rolling) << scrape;
  std::vector<std::pair<std::string, double>> report;
  evaluator_->report(report);
  EXPECT_EQ(*accuracy, report[0].second);
  EXPECT_GT(*rolling, *accuracy);  // the model got better than its start

  // After the reference (200) and one window (100) of the same data: small statistics, and the
  // threshold of the watched one (wasserstein_normalized, Evidently's 0.1).
  const std::string wasserstein =
      "streamlearn_data_drift_statistic{pipeline=\"p\",feature=\"x\",monitor=\"feature_drift\","
      "statistic=\"wasserstein_normalized\"}";
  ASSERT_TRUE(sample(scrape, wasserstein)) << scrape;
  EXPECT_LT(*sample(scrape, wasserstein), 0.1);
  EXPECT_EQ(sample(scrape,
                   "streamlearn_data_drift_threshold{pipeline=\"p\",feature=\"x\","
                   "monitor=\"feature_drift\",statistic=\"wasserstein_normalized\"}"),
            0.1);

  // x moves: the next window's statistic crosses the threshold and the data alert is counted.
  feed(100, 5.0);
  publish();
  scrape = metrics_.scrape();
  EXPECT_GT(*sample(scrape, wasserstein), 0.1);
  EXPECT_EQ(
      sample(scrape,
             "streamlearn_alerts_total{pipeline=\"p\",kind=\"data\",monitor=\"feature_drift\"}"),
      1.0)
      << scrape;
  EXPECT_TRUE(sample(
      scrape, "streamlearn_concept_drift_warning{pipeline=\"p\",monitor=\"concept_drift\"}"));
}

TEST_F(PipelineMetricsTest, ReplacementsAreCountedByAction) {
  monitors::Alert alert;
  alert.monitor = "concept_drift";
  alert.kind = monitors::AlertKind::kConcept;
  alert.model_action = "swap";
  metrics_.alert_sink().publish(alert);
  alert.model_action = "reset";
  metrics_.alert_sink().publish(alert);
  metrics_.alert_sink().publish(alert);
  const std::string scrape = metrics_.scrape();
  EXPECT_EQ(sample(scrape, "streamlearn_model_replacements_total{pipeline=\"p\",action=\"swap\"}"),
            1.0);
  EXPECT_EQ(sample(scrape, "streamlearn_model_replacements_total{pipeline=\"p\",action=\"reset\"}"),
            2.0);
  EXPECT_EQ(
      sample(scrape,
             "streamlearn_alerts_total{pipeline=\"p\",kind=\"concept\",monitor=\"concept_drift\"}"),
      3.0);
}

TEST_F(PipelineMetricsTest, LatencyHistogramCountsEachObservationInItsBucket) {
  for (double seconds : {0.0005, 0.003, 0.003, 0.2, 400.0}) metrics_.observe_latency(seconds);
  const std::string before = metrics_.scrape();
  EXPECT_EQ(sample(before, "streamlearn_event_latency_seconds_count{pipeline=\"p\"}"), 0.0);
  publish();
  const std::string scrape = metrics_.scrape();
  const auto bucket = [&](const std::string& le) {
    return sample(scrape,
                  "streamlearn_event_latency_seconds_bucket{pipeline=\"p\",le=\"" + le + "\"}");
  };
  EXPECT_EQ(bucket("0.001"), 1.0) << scrape;
  EXPECT_EQ(bucket("0.0025"), 1.0);
  EXPECT_EQ(bucket("0.005"), 3.0);
  EXPECT_EQ(bucket("0.25"), 4.0);
  EXPECT_EQ(bucket("300"), 4.0);
  EXPECT_EQ(bucket("+Inf"), 5.0);
  EXPECT_EQ(sample(scrape, "streamlearn_event_latency_seconds_count{pipeline=\"p\"}"), 5.0);
  EXPECT_NEAR(*sample(scrape, "streamlearn_event_latency_seconds_sum{pipeline=\"p\"}"), 400.2065,
              1e-9);
  // Published once: the next publish adds nothing.
  publish();
  EXPECT_EQ(sample(metrics_.scrape(), "streamlearn_event_latency_seconds_count{pipeline=\"p\"}"),
            5.0);
}

TEST_F(PipelineMetricsTest, RecordLatencyIsMeasuredFromTheRecordTimestamp) {
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  metrics_.observe_record_latency(now_ms - 20'000, true);   // produced 20 s ago
  metrics_.observe_record_latency(now_ms + 60'000, false);  // a clock ahead: counted as 0
  publish();
  const std::string scrape = metrics_.scrape();
  EXPECT_EQ(sample(scrape, "streamlearn_event_latency_seconds_bucket{pipeline=\"p\",le=\"10\"}"),
            1.0);
  EXPECT_EQ(sample(scrape, "streamlearn_event_latency_seconds_bucket{pipeline=\"p\",le=\"30\"}"),
            2.0);
}

TEST_F(PipelineMetricsTest, LagSeriesFollowTheAssignment) {
  PipelineMetrics::ConsumerStats stats;
  stats.partitions = {{"events", 0, 12}, {"events", 1, 0}};
  stats.commits = 3;
  metrics_.publish_consumer(stats);
  std::string scrape = metrics_.scrape();
  EXPECT_EQ(
      sample(scrape,
             "streamlearn_consumer_lag_records{pipeline=\"p\",partition=\"0\",topic=\"events\"}"),
      12.0);
  EXPECT_EQ(sample(scrape, "streamlearn_offset_commits_total{pipeline=\"p\",result=\"ok\"}"), 3.0);
  stats.partitions = {{"events", 1, 7}};  // partition 0 was revoked
  stats.revocations = 1;
  metrics_.publish_consumer(stats);
  scrape = metrics_.scrape();
  EXPECT_FALSE(sample(
      scrape, "streamlearn_consumer_lag_records{pipeline=\"p\",partition=\"0\",topic=\"events\"}"));
  EXPECT_EQ(
      sample(scrape,
             "streamlearn_consumer_lag_records{pipeline=\"p\",partition=\"1\",topic=\"events\"}"),
      7.0);
  EXPECT_EQ(
      sample(scrape, "streamlearn_consumer_rebalances_total{pipeline=\"p\",change=\"revoked\"}"),
      1.0);
}

TEST_F(PipelineMetricsTest, ProcessMetricsAreReadFromProc) {
  const std::string scrape = metrics_.scrape();
  const auto resident = sample(scrape, "process_resident_memory_bytes");
  const auto start = sample(scrape, "process_start_time_seconds");
  ASSERT_TRUE(resident && start) << scrape;
  EXPECT_GT(*resident, 1e6);
  const double now_s = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
  EXPECT_LE(*start, now_s + 1);
  EXPECT_GT(*start, now_s - 24 * 3600);  // this test process started today
  EXPECT_GT(*sample(scrape, "process_open_fds"), 2.0);
  EXPECT_TRUE(sample(scrape, "process_cpu_seconds_total"));
}

TEST_F(PipelineMetricsTest, ReadinessIsWhatThePipelineSaysAndLivenessTracksPublishing) {
  EXPECT_FALSE(metrics_.ready());
  metrics_.set_ready(true);
  EXPECT_TRUE(metrics_.ready());
  // Silence grows until the pipeline publishes; publishing resets it (the liveness signal).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const double silent = metrics_.seconds_since_publish();
  EXPECT_GE(silent, 0.05);
  publish();
  EXPECT_EQ(sample(metrics_.scrape(), "streamlearn_ready{pipeline=\"p\"}"), 1.0);
  EXPECT_LT(metrics_.seconds_since_publish(), silent);
}

TEST(PipelineWindowMetricsTest, WindowCountersAreSeriesByWindowName) {
  auto split = stream::features::FeatureStage::split(
      "window(by=user, size=1m, max_keys=2, agg=[count()]) | logistic_regression");
  ASSERT_TRUE(split.is_ok()) << split.status().message();
  core::FeatureSpace space;
  stream::features::FeatureStage stage(split->windows, space);
  const core::FeatureId user = space.feature("user");
  const auto apply = [&](const std::string& name, std::int64_t time_ms) {
    stream::Event event;
    event.event_time_ms = time_ms;
    const core::SymbolId value = space.value(name);
    event.features.add_categorical(user, value, space.indicator(user, value));
    (void)stage.apply(event);
  };
  for (int i = 0; i < 5; ++i) apply("u" + std::to_string(i), i);  // 3 evicted by max_keys
  apply("u5", 600'000);  // the watermark closes the first minute: u3 and u4 dropped
  apply("u0", 10);       // late
  PipelineMetrics metrics("p");
  metrics.publish_windows(stage);
  const std::string scrape = metrics.scrape();
  const std::string labels = "{pipeline=\"p\",window=\"user_1m\"}";
  EXPECT_EQ(sample(scrape, "streamlearn_window_events_total" + labels), 7.0) << scrape;
  EXPECT_EQ(sample(scrape, "streamlearn_window_late_events_total" + labels), 1.0);
  EXPECT_EQ(sample(scrape, "streamlearn_window_keys" + labels), 1.0);
  EXPECT_EQ(sample(scrape, "streamlearn_window_state_bytes" + labels),
            static_cast<double>(stage.windows()[0].bytes_per_key()));
  const auto dropped = [&](const char* reason) {
    return sample(scrape, std::string("streamlearn_window_keys_dropped_total{pipeline=\"p\","
                                      "reason=\"") +
                              reason + "\",window=\"user_1m\"}");
  };
  EXPECT_EQ(dropped("evicted"), 3.0) << scrape;
  EXPECT_EQ(dropped("closed"), 2.0);
  EXPECT_EQ(dropped("expired"), 0.0);
}

TEST_F(PipelineMetricsTest, ChallengerSeriesFollowBothModelsAndCountPromotions) {
  testing::ChallengedEvaluator challenged;
  stream::PrequentialEvaluator& evaluator = challenged.evaluator;
  PipelineMetrics metrics("c");
  metrics.publish({}, evaluator);
  const std::string champion =
      "streamlearn_challenger_metric{pipeline=\"c\",metric=\"accuracy\",role=\"champion\"}";
  const std::string challenger =
      "streamlearn_challenger_metric{pipeline=\"c\",metric=\"accuracy\",role=\"challenger\"}";
  const std::string promotions = "streamlearn_challenger_promotions_total{pipeline=\"c\"}";
  std::string scrape = metrics.scrape();
  EXPECT_EQ(sample(scrape, champion), evaluator.challenger()->champion_value()) << scrape;
  EXPECT_EQ(sample(scrape, challenger), evaluator.challenger()->challenger_value()) << scrape;
  EXPECT_NE(sample(scrape, champion), sample(scrape, challenger));
  EXPECT_EQ(sample(scrape, promotions), 0.0) << scrape;
  ASSERT_TRUE(evaluator.promote_challenger());
  metrics.publish({}, evaluator);
  EXPECT_EQ(sample(metrics.scrape(), promotions), 1.0);
}

}  // namespace
}  // namespace streamlearn::connectors
