#include "monitors/metrics/performance_monitor.h"

#include <gtest/gtest.h>

#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

// 1 (right) with probability `accuracy`.
std::vector<std::uint64_t> run(PerformanceMonitor& monitor, std::size_t length, std::size_t change_at,
                               double accuracy_before, double accuracy_after, Alert& alert) {
  SplitMix64 rng(8);
  std::vector<std::uint64_t> fired;
  for (std::uint64_t i = 0; i < length; ++i) {
    const double accuracy = i < change_at ? accuracy_before : accuracy_after;
    const double correct = rng.uniform() < accuracy ? 1.0 : 0.0;
    if (monitor.observe(correct, i, WindowBounds::kNoTime, alert)) fired.push_back(i);
  }
  return fired;
}

TEST(PerformanceMonitorTest, UsageExampleAlertsWhenAccuracyDropsBelowTheReference) {
  PerformanceMonitor monitor("accuracy_drop", {.metric = "accuracy"});
  EXPECT_EQ(monitor.quantity(), PerformanceMonitor::Quantity::kCorrect);
  Alert alert;
  const auto fired = run(monitor, 20'000, 10'000, 0.9, 0.7, alert);
  ASSERT_FALSE(fired.empty());
  EXPECT_EQ(fired[0], 10'999u);  // the first window of 1000 after the drop
  EXPECT_EQ(alert.kind, AlertKind::kPerformance);
  EXPECT_EQ(alert.statistic, "accuracy");
  EXPECT_NEAR(alert.value, 0.7, 0.05);
  EXPECT_NEAR(monitor.reference_value(), 0.9, 0.03);
  EXPECT_DOUBLE_EQ(alert.threshold, monitor.reference_value() - 0.05);
  EXPECT_EQ(alert.reference.count, 1000u);
}

TEST(PerformanceMonitorTest, StableAccuracyRaisesNothing) {
  PerformanceMonitor monitor("a", {.metric = "accuracy"});
  Alert alert;
  EXPECT_TRUE(run(monitor, 50'000, 50'000, 0.9, 0.9, alert).empty());
}

TEST(PerformanceMonitorTest, AbsoluteThresholdOnALossMetric) {
  PerformanceMonitor monitor("loss", {.metric = "mae",
                                      .relative = false,
                                      .policy = {.threshold = 2.0, .consecutive = 2}});
  EXPECT_EQ(monitor.quantity(), PerformanceMonitor::Quantity::kAbsoluteError);
  Alert alert;
  std::vector<std::uint64_t> fired;
  for (std::uint64_t i = 0; i < 10'000; ++i) {
    const double error = i < 5000 ? 1.0 : 3.0;
    if (monitor.observe(error, i, WindowBounds::kNoTime, alert)) fired.push_back(i);
  }
  ASSERT_FALSE(fired.empty());
  EXPECT_EQ(fired[0], 6999u);  // two windows in a row above 2
  EXPECT_EQ(alert.threshold, 2.0);
  EXPECT_EQ(alert.value, 3.0);
}

TEST(PerformanceMonitorTest, ValidateNamesTheMetricsOfTheTask) {
  const core::Status status = PerformanceMonitor::validate("m", false, {.metric = "accuracy"});
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("regression metrics: mae, rmse"), std::string::npos);
}

}  // namespace
}  // namespace streamlearn::monitors
