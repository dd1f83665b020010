#include "monitors/metrics/classification_metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

using Report = std::vector<std::pair<std::string_view, double>>;

struct LabelledPrediction {
  core::ClassId y_true;
  core::ClassProbabilities proba;
};

// The golden binary stream; the same generator in Python, fed to River 0.21.1's formulas, gave
// the expected values below. p_positive is sometimes exactly 0 or 1, so clamping matters.
std::vector<LabelledPrediction> golden_binary_stream() {
  SplitMix64 rng(42);
  std::vector<LabelledPrediction> stream(2000);
  for (LabelledPrediction& event : stream) {
    event.y_true = rng.uniform() < 0.6 ? 1 : 0;
    const double p = std::min(1.0, std::max(0.0, 0.35 * event.y_true + 0.8 * rng.uniform() - 0.1));
    event.proba.reset(2);
    event.proba[0] = 1.0 - p;
    event.proba[1] = p;
  }
  return stream;
}

// The golden three-class stream: for its first 50 events the model knows classes 0 and 1 only,
// so a true class 2 is missing from the probabilities (River's CrossEntropy then adds 0).
std::vector<LabelledPrediction> golden_multiclass_stream() {
  SplitMix64 rng(7);
  std::vector<LabelledPrediction> stream(500);
  for (std::size_t i = 0; i < stream.size(); ++i) {
    LabelledPrediction& event = stream[i];
    event.y_true = std::min<core::ClassId>(2, static_cast<core::ClassId>(rng.uniform() * 3));
    const std::size_t num_classes = i < 50 ? 2 : 3;
    event.proba.reset(num_classes);
    double total = 0.0;
    for (core::ClassId c = 0; c < num_classes; ++c) {
      event.proba[c] = rng.uniform() + (c == event.y_true ? 1.0 : 0.0);
      total += event.proba[c];
    }
    for (core::ClassId c = 0; c < num_classes; ++c) event.proba[c] = event.proba[c] / total;
  }
  return stream;
}

ClassificationMetrics fitted(const std::vector<LabelledPrediction>& stream, std::size_t window) {
  ClassificationMetrics metrics(window);
  for (const LabelledPrediction& event : stream) metrics.update(event.y_true, event.proba);
  return metrics;
}

TEST(ClassificationMetricsTest, UsageExample) {
  ClassificationMetrics metrics(/*window_size_events=*/1000);
  core::ClassProbabilities proba;
  proba.reset(2);
  proba[0] = 0.2;
  proba[1] = 0.8;
  metrics.update(/*y_true=*/1, proba);
  Report values;
  metrics.report(values);
  ASSERT_EQ(values.size(), 6u);
  EXPECT_EQ(values[0].first, "accuracy");
  EXPECT_EQ(values[0].second, 1.0);
  EXPECT_EQ(values[1].first, "log_loss");
  EXPECT_DOUBLE_EQ(values[1].second, -std::log(0.8));
}

TEST(ClassificationMetricsTest, MatchesRiverOnGoldenBinaryStream) {
  const ClassificationMetrics metrics = fitted(golden_binary_stream(), 0);
  EXPECT_EQ(metrics.count(), 2000u);
  EXPECT_NEAR(metrics.accuracy(), 0.719, 1e-12);
  EXPECT_NEAR(metrics.log_loss(), 0.4675378185975523, 1e-12);
  EXPECT_NEAR(metrics.roc_auc(), 0.841164004031057, 1e-12);
  EXPECT_NEAR(metrics.f1(), 0.7486583184257604, 1e-12);
  EXPECT_NEAR(metrics.precision(), 0.8009569377990431, 1e-12);
  EXPECT_NEAR(metrics.recall(), 0.7027707808564232, 1e-12);
}

TEST(ClassificationMetricsTest, MatchesRiverRollingOnGoldenBinaryStream) {
  // River: utils.Rolling(metric, window_size=100) around each metric.
  const ClassificationMetrics metrics = fitted(golden_binary_stream(), 100);
  EXPECT_EQ(metrics.count(), 100u);
  EXPECT_NEAR(metrics.accuracy(), 0.7, 1e-12);
  EXPECT_NEAR(metrics.log_loss(), 0.46635844806790644, 1e-12);
  EXPECT_NEAR(metrics.roc_auc(), 0.8217582417582419, 1e-12);
  EXPECT_NEAR(metrics.f1(), 0.7619047619047619, 1e-12);
  EXPECT_NEAR(metrics.precision(), 0.7868852459016393, 1e-12);
  EXPECT_NEAR(metrics.recall(), 0.7384615384615385, 1e-12);
}

TEST(ClassificationMetricsTest, MatchesRiverCrossEntropyOnGoldenMulticlassStream) {
  const ClassificationMetrics metrics = fitted(golden_multiclass_stream(), 0);
  EXPECT_NEAR(metrics.accuracy(), 0.97, 1e-12);
  EXPECT_NEAR(metrics.log_loss(), 0.46645686375623313, 1e-12);  // River's CrossEntropy
  EXPECT_NEAR(metrics.roc_auc(), 0.985624645490641, 1e-12);     // class 1 against the rest
  EXPECT_NEAR(metrics.f1(), 0.9828571428571428, 1e-12);
  EXPECT_NEAR(metrics.precision(), 0.9662921348314607, 1e-12);
  EXPECT_EQ(metrics.recall(), 1.0);

  const ClassificationMetrics rolling = fitted(golden_multiclass_stream(), 60);
  EXPECT_NEAR(rolling.log_loss(), 0.4899626128826771, 1e-12);
  EXPECT_EQ(rolling.accuracy(), 1.0);
}

TEST(ClassificationMetricsTest, RollingEqualsCumulativeOverTheLastWindow) {
  std::mt19937_64 rng(101);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<LabelledPrediction> stream(3000);
  for (LabelledPrediction& event : stream) {
    event.y_true = uniform(rng) < 0.3 ? 1 : 0;
    const double p = std::clamp(uniform(rng) * 0.7 + 0.3 * event.y_true, 0.0, 1.0);
    event.proba.reset(2);
    event.proba[0] = 1.0 - p;
    event.proba[1] = p;
  }
  for (std::size_t window : {1u, 7u, 250u, 2999u, 5000u}) {
    const ClassificationMetrics rolling = fitted(stream, window);
    const std::size_t kept = std::min(window, stream.size());
    const ClassificationMetrics recomputed = fitted(
        std::vector<LabelledPrediction>(stream.end() - static_cast<long>(kept), stream.end()), 0);
    EXPECT_EQ(rolling.count(), kept);
    // Counts are exact, so these are equal to the bit.
    EXPECT_EQ(rolling.accuracy(), recomputed.accuracy()) << "window " << window;
    EXPECT_EQ(rolling.roc_auc(), recomputed.roc_auc()) << "window " << window;
    EXPECT_EQ(rolling.f1(), recomputed.f1()) << "window " << window;
    EXPECT_EQ(rolling.precision(), recomputed.precision()) << "window " << window;
    EXPECT_EQ(rolling.recall(), recomputed.recall()) << "window " << window;
    EXPECT_NEAR(rolling.log_loss(), recomputed.log_loss(), 1e-12) << "window " << window;
  }
}

TEST(ClassificationMetricsTest, EmptyPredictionIsNotScored) {
  ClassificationMetrics metrics(3);
  core::ClassProbabilities nothing;
  metrics.update(1, nothing);
  EXPECT_EQ(metrics.count(), 0u);
}

TEST(ClassificationMetricsTest, NoEventsReportZeroEverywhereAsRiver) {
  Report values;
  ClassificationMetrics().report(values);
  ASSERT_EQ(values.size(), ClassificationMetrics::kNames.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(values[i].first, ClassificationMetrics::kNames[i]);
    EXPECT_EQ(values[i].second, 0.0) << values[i].first;
  }
}

TEST(ClassificationMetricsTest, ReportAppendsInAFixedOrder) {
  const ClassificationMetrics metrics = fitted(golden_binary_stream(), 0);
  Report values = {{"earlier", 1.0}};
  metrics.report(values);
  ASSERT_EQ(values.size(), 7u);
  EXPECT_EQ(values[0].first, "earlier");
  const std::vector<std::string_view> names = {"accuracy", "log_loss",  "roc_auc",
                                               "f1",       "precision", "recall"};
  const std::vector<double> expected = {metrics.accuracy(), metrics.log_loss(),  metrics.roc_auc(),
                                        metrics.f1(),       metrics.precision(), metrics.recall()};
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(values[i + 1].first, names[i]);
    EXPECT_EQ(values[i + 1].second, expected[i]);
  }
}

TEST(ClassificationMetricsTest, SaveLoadGivesIdenticalMetricsThenAndAfterMoreEvents) {
  const std::vector<LabelledPrediction> stream = golden_binary_stream();
  for (std::size_t window : {0u, 50u}) {
    ClassificationMetrics original(window);
    for (std::size_t i = 0; i < 1000; ++i) original.update(stream[i].y_true, stream[i].proba);
    core::StateWriter out;
    original.save(out);
    ClassificationMetrics loaded(window);
    core::StateReader in(out.bytes());
    ASSERT_TRUE(loaded.load(in).is_ok());
    EXPECT_TRUE(in.at_end());
    for (std::size_t i = 1000; i < stream.size(); ++i) {
      original.update(stream[i].y_true, stream[i].proba);
      loaded.update(stream[i].y_true, stream[i].proba);
    }
    Report expected, actual;
    original.report(expected);
    loaded.report(actual);
    EXPECT_EQ(actual, expected) << "window " << window;
    EXPECT_EQ(loaded.count(), original.count());
  }
}

TEST(ClassificationMetricsTest, LoadRejectsAnotherWindowSizeAndTruncatedState) {
  ClassificationMetrics original(10);
  const std::vector<LabelledPrediction> stream = golden_binary_stream();
  for (std::size_t i = 0; i < 20; ++i) original.update(stream[i].y_true, stream[i].proba);
  core::StateWriter out;
  original.save(out);

  ClassificationMetrics cumulative(0);
  core::StateReader in(out.bytes());
  const core::Status status = cumulative.load(in);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("window of 10 events"), std::string::npos) << status.message();

  ClassificationMetrics same_window(10);
  const std::string truncated = out.bytes().substr(0, out.bytes().size() - 3);
  core::StateReader truncated_in(truncated);
  EXPECT_FALSE(same_window.load(truncated_in).is_ok());
  EXPECT_EQ(same_window.count(), 0u);  // a failed load leaves the metrics as they were
}

}  // namespace
}  // namespace streamlearn::monitors
