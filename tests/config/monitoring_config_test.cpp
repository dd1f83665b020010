#include "config/monitoring_config.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace streamlearn::config {
namespace {

TEST(MonitoringConfigTest, ShippedExampleParses) {
  const std::filesystem::path example =
      std::filesystem::path(SL_SOURCE_DIR) / "deploy/examples/monitoring.json";
  auto config = load_monitoring_config(example.string(), true);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->monitor.pipeline, "electricity-price");
  EXPECT_EQ(config->monitor.drift_detector, "ddm");
  EXPECT_EQ(config->on_drift, stream::OnDrift::kBackground);
  EXPECT_EQ(config->monitor.concept_policy.min_samples, 30u);
  ASSERT_EQ(config->monitor.performance.size(), 1u);
  EXPECT_EQ(config->monitor.performance[0].params.step, monitors::WindowLength::events(500));
  ASSERT_TRUE(config->monitor.feature_drift.has_value());
  EXPECT_TRUE(config->monitor.feature_drift->features.empty());  // "all"
  EXPECT_EQ(config->monitor.feature_drift->params.statistic, "psi");
  EXPECT_FALSE(config->monitor.feature_drift->params.use_default_threshold);
  EXPECT_EQ(config->monitor.feature_drift->params.policy.threshold, 0.2);
  EXPECT_EQ(config->monitor.feature_drift->params.policy.consecutive, 2u);
  EXPECT_TRUE(config->monitor.label_drift.has_value());
  EXPECT_EQ(config->alerts.file, "alerts.jsonl");
}

TEST(MonitoringConfigTest, EventTimeWindowsAndAWebhook) {
  auto config = parse_monitoring_config(R"({
    "monitoring": {
      "feature_drift": {"features": ["amount"], "reference": "1h", "window": "10m", "step": "1m"},
      "alerts": {"webhook": {"url": "http://127.0.0.1:9/hook", "timeout_ms": 500,
                             "fallback_file": "undelivered.jsonl"}}
    }})", "inline", false);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->monitor.pipeline, "default");
  EXPECT_EQ(config->monitor.feature_drift->params.reference, monitors::WindowLength::milliseconds(3'600'000));
  EXPECT_EQ(config->monitor.feature_drift->features, std::vector<std::string>{"amount"});
  ASSERT_TRUE(config->alerts.webhook.has_value());
  EXPECT_EQ(config->alerts.webhook->timeout_ms, 500);
  EXPECT_EQ(config->alerts.webhook->max_attempts, 3);
}

TEST(MonitoringConfigTest, ReportsEveryErrorWithItsJsonPath) {
  auto config = parse_monitoring_config(R"({
    "pipeline": "",
    "monitoring": {
      "concept_drift": {"on_drift": "retrain"},
      "performance": [{"metric": "accuracy", "window": "ten"}, {"metrik": "mae"}],
      "feature_drift": {"features": 3, "bins": 1, "cooldown": "5 min"},
      "alerts": {"webhook": {"timeout_ms": -1}},
      "extra": true
    }})", "pipeline.json", true);
  ASSERT_FALSE(config.is_ok());
  const std::string message = config.status().message();
  for (const char* expected : {
           "pipeline.json: invalid configuration (12 errors)",
           "$.pipeline: must be a non-empty string",
           "$.monitoring.concept_drift.detector: is required",
           "$.monitoring.concept_drift.on_drift: on_drift 'retrain' is not one of: none, reset, background",
           "$.monitoring.performance[0].window: invalid window length 'ten'",
           "$.monitoring.performance[1].metrik: unknown key; allowed here: metric, name",
           "$.monitoring.feature_drift.features: must be \"all\" or a non-empty array",
           "$.monitoring.feature_drift.bins: must be an integer from 2 to 10000",
           "$.monitoring.feature_drift.cooldown: invalid window length '5 min'",
           "$.monitoring.alerts.webhook.url: is required",
           "$.monitoring.alerts.webhook.timeout_ms: must be an integer from 1 to 600000",
           "$.monitoring.extra: unknown key"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\nin:\n" << message;
  }
}

TEST(MonitoringConfigTest, SemanticErrorsComeFromTheMonitorsValidation) {
  auto config = parse_monitoring_config(R"({"monitoring": {
      "concept_drift": {"detector": "adwinn"},
      "performance": [{"metric": "rmse"}]}})", "x.json", true);
  ASSERT_FALSE(config.is_ok());
  EXPECT_NE(config.status().message().find("adwinn"), std::string::npos);
  EXPECT_NE(config.status().message().find("metric 'rmse' is not one of the classification"),
            std::string::npos);
}

TEST(MonitoringConfigTest, NotJsonSaysWhere) {
  auto config = parse_monitoring_config("{\"monitoring\": ", "broken.json", true);
  ASSERT_FALSE(config.is_ok());
  EXPECT_NE(config.status().message().find("broken.json: not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace streamlearn::config
