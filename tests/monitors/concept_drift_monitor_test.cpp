#include "monitors/drift/concept_drift_monitor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/monitors/drift_test_streams.h"

namespace streamlearn::monitors {
namespace {

std::unique_ptr<DriftDetector> detector(const std::string& expression) {
  return std::move(DriftDetectorRegistry::builtin().build(expression).value());
}

TEST(ConceptDriftMonitorTest, UsageExampleAlertsAtTheDetectorsDriftWithTheSegment) {
  ConceptDriftMonitor monitor("error_drift", detector("adwin"), {});
  const std::vector<double> errors = testing::error_stream(1, 6000, 3000, 0.1, 0.6);
  Alert alert;
  std::vector<std::uint64_t> alerts;
  for (std::uint64_t i = 0; i < errors.size(); ++i)
    if (monitor.observe(errors[i], i, 1000 * static_cast<std::int64_t>(i), alert).alert)
      alerts.push_back(i);
  ASSERT_FALSE(alerts.empty());
  EXPECT_GE(alerts[0], 3000u);
  EXPECT_LT(alerts[0], 3500u);
  EXPECT_EQ(monitor.drifts(), alerts.size());
  EXPECT_EQ(alert.kind, AlertKind::kConcept);
  EXPECT_EQ(alert.statistic, "adwin");
  EXPECT_TRUE(std::isnan(alert.threshold));
  EXPECT_FALSE(alert.has_reference);
}

TEST(ConceptDriftMonitorTest, SignalsEveryDriftButTheCooldownSuppressesAlerts) {
  const std::vector<double> errors = testing::error_stream(4, 20'000, 3000, 0.1, 0.6);
  ConceptDriftMonitor plain("e", detector("page_hinkley(threshold=5)"), {});
  ConceptDriftMonitor cooled("e", detector("page_hinkley(threshold=5)"),
                             {.cooldown = WindowLength::events(1'000'000)});
  Alert alert;
  std::uint64_t plain_alerts = 0;
  std::uint64_t cooled_alerts = 0;
  for (std::uint64_t i = 0; i < errors.size(); ++i) {
    plain_alerts += plain.observe(errors[i], i, 0, alert).alert;
    cooled_alerts += cooled.observe(errors[i], i, 0, alert).alert;
  }
  EXPECT_GT(plain.drifts(), 1u);
  EXPECT_EQ(plain_alerts, plain.drifts());
  EXPECT_EQ(cooled.drifts(), plain.drifts());
  EXPECT_EQ(cooled_alerts, 1u);
}

TEST(ConceptDriftMonitorTest, ReportsWhereWarningEpisodesStart) {
  ConceptDriftMonitor monitor("e", detector("ddm"), {});
  const std::vector<double> errors = testing::error_stream(2, 10'000, 5000, 0.1, 0.4);
  Alert alert;
  std::uint64_t warning_events = 0;
  std::uint64_t started = 0;
  for (std::uint64_t i = 0; i < errors.size(); ++i) {
    const auto signal = monitor.observe(errors[i], i, 0, alert);
    warning_events += signal.warning;
    started += signal.warning_started;
  }
  EXPECT_GT(started, 0u);
  EXPECT_GT(warning_events, started);  // an episode lasts several events
  EXPECT_EQ(monitor.warnings(), started);
}

}  // namespace
}  // namespace streamlearn::monitors
