#include "monitors/metrics/performance_monitor.h"

#include <gtest/gtest.h>

#include "tests/core/corrupted_states.h"
#include "tests/monitors/alert_text.h"
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


// Right (1) or wrong (0) at each position from the position alone, accuracy 0.9 then 0.7 from
// 3000; a second apart with an hour's gap at 3500; the reference restarts at 4000.
void feed(PerformanceMonitor& monitor, std::uint64_t from, std::uint64_t to,
          std::vector<std::string>& out) {
  Alert alert;
  for (std::uint64_t i = from; i < to; ++i) {
    if (i == 4000) monitor.restart_reference();
    SplitMix64 rng(i * 104729 + 5);
    const double correct = rng.uniform() < (i < 3000 ? 0.9 : 0.7) ? 1.0 : 0.0;
    const std::int64_t time_ms = 1'000 * static_cast<std::int64_t>(i) + (i >= 3500 ? 3'600'000 : 0);
    if (monitor.observe(correct, i, time_ms, alert))
      out.push_back(std::to_string(i) + " " + testing::alert_text(alert));
  }
  out.push_back("reference " + testing::bits(monitor.reference_value()));
}

std::string saved(const PerformanceMonitor& monitor) {
  core::StateWriter out;
  monitor.save(out);
  return out.bytes();
}

std::vector<PerformanceMonitor::Params> performance_setups() {
  return {{.metric = "accuracy",
           .reference = WindowLength::events(500),
           .window = WindowLength::events(300),
           .step = WindowLength::events(100),
           .policy = {.threshold = 0.05, .cooldown = WindowLength::events(400)}},
          {.metric = "error_rate",
           .reference = WindowLength::milliseconds(500'000),
           .window = WindowLength::milliseconds(200'000),
           .step = WindowLength::milliseconds(100'000),
           .relative = false,
           .policy = {.threshold = 0.2, .consecutive = 2}}};
}

TEST(PerformanceMonitorTest, RestoredMonitorAlertsExactlyAsTheUninterruptedOne) {
  constexpr std::uint64_t kLength = 6000;
  for (const PerformanceMonitor::Params& params : performance_setups()) {
    PerformanceMonitor reference("drop", params);
    std::vector<std::string> expected;
    feed(reference, 0, kLength, expected);
    ASSERT_GT(expected.size(), 2u) << params.metric << ": the stream must raise alerts";
    for (std::uint64_t cut : {250u, 3050u, 3501u, 4100u}) {
      SCOPED_TRACE(params.metric + ", cut at " + std::to_string(cut));
      PerformanceMonitor original("drop", params);
      std::vector<std::string> before;
      feed(original, 0, cut, before);
      const std::string state = saved(original);
      PerformanceMonitor restored("drop", params);
      core::StateReader in(state);
      const core::Status loaded = restored.load(in);
      ASSERT_TRUE(loaded.is_ok()) << loaded.message();
      EXPECT_TRUE(in.at_end());
      EXPECT_EQ(saved(restored), state);
      std::vector<std::string> after_original, after_restored;
      feed(original, cut, kLength, after_original);
      feed(restored, cut, kLength, after_restored);
      EXPECT_EQ(after_restored, after_original);
      EXPECT_EQ(saved(restored), saved(original));
    }
  }
}

TEST(PerformanceMonitorTest, LoadRefusesAnotherMetricOrWindowAndCorruptStates) {
  const std::vector<PerformanceMonitor::Params> setups = performance_setups();
  PerformanceMonitor original("drop", setups[0]);
  std::vector<std::string> out;
  feed(original, 0, 3600, out);
  const std::string state = saved(original);
  PerformanceMonitor other_metric("drop", {.metric = "error_rate"});
  core::StateReader in(state);
  EXPECT_NE(other_metric.load(in).message().find("configuration changed"), std::string::npos);
  PerformanceMonitor::Params other_window = setups[0];
  other_window.step = WindowLength::events(150);
  PerformanceMonitor reshaped("drop", other_window);
  core::StateReader again(state);
  EXPECT_NE(reshaped.load(again).message().find("other settings"), std::string::npos);
  for (const PerformanceMonitor::Params& params : setups) {
    PerformanceMonitor source("drop", params);
    feed(source, 0, 3600, out);
    testing::for_each_corrupted_state(saved(source), 4, 200, [&](const std::string& bytes) {
      PerformanceMonitor restored("drop", params);
      core::StateReader corrupt(bytes);
      if (!restored.load(corrupt).is_ok()) return;
      std::vector<std::string> rest;
      feed(restored, 3600, 4600, rest);
    });
  }
}

}  // namespace
}  // namespace streamlearn::monitors
