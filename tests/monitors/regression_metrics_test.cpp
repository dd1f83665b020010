#include "monitors/metrics/regression_metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

using Report = std::vector<std::pair<std::string_view, double>>;

// The golden stream; the same generator in Python, fed to River 0.21.1's formulas, gave the
// expected values below.
std::vector<RegressionObservation> golden_stream() {
  SplitMix64 rng(3);
  std::vector<RegressionObservation> stream(1000);
  for (RegressionObservation& event : stream) {
    event.y_true = 10.0 * rng.uniform() - 3.0;
    event.y_pred = event.y_true + (rng.uniform() - 0.5) * 2.0;
  }
  return stream;
}

RegressionMetrics fitted(const std::vector<RegressionObservation>& stream, std::size_t window) {
  RegressionMetrics metrics(window);
  for (const RegressionObservation& event : stream) metrics.update(event.y_true, event.y_pred);
  return metrics;
}

TEST(RegressionMetricsTest, UsageExample) {
  RegressionMetrics metrics(/*window_size_events=*/0);
  metrics.update(/*y_true=*/3.0, /*y_pred=*/2.5);
  metrics.update(-0.5, 0.0);
  Report values;
  metrics.report(values);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0], (std::pair<std::string_view, double>{"mae", 0.5}));
  EXPECT_EQ(values[1], (std::pair<std::string_view, double>{"rmse", 0.5}));
  EXPECT_EQ(values[2].first, "r2");
  EXPECT_NEAR(values[2].second, 0.9183673469387755, 1e-15);
}

TEST(RegressionMetricsTest, MatchesRiverOnGoldenStream) {
  const RegressionMetrics metrics = fitted(golden_stream(), 0);
  EXPECT_EQ(metrics.count(), 1000u);
  EXPECT_NEAR(metrics.mae(), 0.5029966020766958, 1e-12);
  EXPECT_NEAR(metrics.rmse(), 0.5797598808330714, 1e-12);
  EXPECT_NEAR(metrics.r2(), 0.9584405256279609, 1e-12);
}

TEST(RegressionMetricsTest, MatchesRiverRollingOnGoldenStream) {
  // River: utils.Rolling(metric, window_size=50) around each metric.
  const RegressionMetrics metrics = fitted(golden_stream(), 50);
  EXPECT_EQ(metrics.count(), 50u);
  EXPECT_NEAR(metrics.mae(), 0.5044272367974035, 1e-12);
  EXPECT_NEAR(metrics.rmse(), 0.5783106974159454, 1e-12);
  EXPECT_NEAR(metrics.r2(), 0.9592210716311592, 1e-12);
}

TEST(RegressionMetricsTest, RollingEqualsCumulativeOverTheLastWindow) {
  std::mt19937_64 rng(111);
  std::normal_distribution<double> normal(20.0, 4.0);
  std::vector<RegressionObservation> stream(4000);
  for (RegressionObservation& event : stream) {
    event.y_true = normal(rng);
    event.y_pred = 0.9 * event.y_true + 2.0 + (normal(rng) - 20.0) / 2.0;
  }
  for (std::size_t window : {2u, 10u, 333u, 3999u, 10000u}) {
    const RegressionMetrics rolling = fitted(stream, window);
    const std::size_t kept = std::min(window, stream.size());
    const RegressionMetrics recomputed = fitted(
        std::vector<RegressionObservation>(stream.end() - static_cast<long>(kept), stream.end()),
        0);
    EXPECT_EQ(rolling.count(), kept);
    EXPECT_NEAR(rolling.mae(), recomputed.mae(), 1e-9) << "window " << window;
    EXPECT_NEAR(rolling.rmse(), recomputed.rmse(), 1e-9) << "window " << window;
    EXPECT_NEAR(rolling.r2(), recomputed.r2(), 1e-9) << "window " << window;
  }
}

TEST(RegressionMetricsTest, NoEventsReportZeroEverywhereAsRiver) {
  Report values;
  RegressionMetrics(5).report(values);
  ASSERT_EQ(values.size(), RegressionMetrics::kNames.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(values[i].first, RegressionMetrics::kNames[i]);
    EXPECT_EQ(values[i].second, 0.0);
  }
}

TEST(RegressionMetricsTest, SaveLoadGivesIdenticalMetricsThenAndAfterMoreEvents) {
  const std::vector<RegressionObservation> stream = golden_stream();
  for (std::size_t window : {0u, 30u}) {
    RegressionMetrics original(window);
    for (std::size_t i = 0; i < 500; ++i) original.update(stream[i].y_true, stream[i].y_pred);
    core::StateWriter out;
    original.save(out);
    RegressionMetrics loaded(window);
    core::StateReader in(out.bytes());
    ASSERT_TRUE(loaded.load(in).is_ok());
    EXPECT_TRUE(in.at_end());
    for (std::size_t i = 500; i < stream.size(); ++i) {
      original.update(stream[i].y_true, stream[i].y_pred);
      loaded.update(stream[i].y_true, stream[i].y_pred);
    }
    Report expected, actual;
    original.report(expected);
    loaded.report(actual);
    EXPECT_EQ(actual, expected) << "window " << window;
  }
}

TEST(RegressionMetricsTest, LoadRejectsAnotherWindowSizeAndCorruptState) {
  RegressionMetrics original(0);
  original.update(1.0, 2.0);
  core::StateWriter out;
  original.save(out);
  RegressionMetrics windowed(8);
  core::StateReader in(out.bytes());
  const core::Status status = windowed.load(in);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("configured with 8"), std::string::npos) << status.message();

  std::string corrupt = out.bytes();
  corrupt[0] = 9;  // another format version
  RegressionMetrics cumulative(0);
  core::StateReader corrupt_in(corrupt);
  EXPECT_FALSE(cumulative.load(corrupt_in).is_ok());
  EXPECT_EQ(cumulative.count(), 0u);
}

}  // namespace
}  // namespace streamlearn::monitors
