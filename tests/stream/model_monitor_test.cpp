#include "stream/model_monitor.h"

#include <gtest/gtest.h>

#include <random>

namespace streamlearn::stream {
namespace {

class CollectingSink final : public monitors::AlertSink {
 public:
  void publish(const monitors::Alert& alert) override { alerts.push_back(alert); }
  core::Status flush() override { return core::Status::ok(); }
  std::vector<monitors::Alert> alerts;
};

ModelMonitor::FeatureDrift small_windows(std::vector<std::string> features) {
  ModelMonitor::FeatureDrift drift;
  drift.features = std::move(features);
  drift.params.reference = monitors::WindowLength::events(1000);
  drift.params.window = monitors::WindowLength::events(1000);
  return drift;
}

// Features a (numeric, shifts by 1 at 5000), b (numeric, stationary), c (categorical, stationary).
void feed(ModelMonitor& monitor, core::FeatureSpace& space, std::size_t length) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  const core::FeatureId a = space.feature("a"), b = space.feature("b"), c = space.feature("c");
  const core::SymbolId red = space.value("red"), blue = space.value("blue");
  core::FeatureVector x;
  for (std::uint64_t i = 0; i < length; ++i) {
    x.clear();
    x.add_numeric(a, normal(rng) + (i >= 5000 ? 1.0 : 0.0));
    x.add_numeric(b, normal(rng));
    const core::SymbolId color = rng() % 2 ? red : blue;
    x.add_categorical(c, color, space.indicator(c, color));
    monitor.observe_features(x, i, monitors::WindowBounds::kNoTime);
  }
}

TEST(ModelMonitorTest, WatchesAllFeaturesAndAlertsOnTheOneThatDrifts) {
  core::FeatureSpace space;
  ModelMonitor::Params params;
  params.pipeline = "fraud";
  params.feature_drift = small_windows({});
  auto monitor = ModelMonitor::create(params, true, "label", space);
  ASSERT_TRUE(monitor.is_ok()) << monitor.status().message();
  CollectingSink sink;
  (*monitor)->add_sink(&sink);
  feed(**monitor, space, 10'000);
  ASSERT_FALSE(sink.alerts.empty());
  for (const monitors::Alert& alert : sink.alerts) {
    EXPECT_EQ(alert.feature, "a");
    EXPECT_EQ(alert.pipeline, "fraud");
    EXPECT_EQ(alert.model_action, "none");
    EXPECT_GE(alert.current.first_event, 5000u);
  }
  EXPECT_EQ(sink.alerts[0].id, "fraud/feature_drift/1");
  EXPECT_EQ((*monitor)->alerts_fired(), sink.alerts.size());
  const auto watched = (*monitor)->data_drift_monitors();
  ASSERT_EQ(watched.size(), 3u);
  EXPECT_EQ(watched[2]->feature(), "c");
  EXPECT_EQ(watched[2]->value_kind(), monitors::DataDriftMonitor::ValueKind::kCategorical);
}

TEST(ModelMonitorTest, ListedFeaturesOnlyAndTheCapIsCounted) {
  core::FeatureSpace space;
  ModelMonitor::Params listed;
  listed.feature_drift = small_windows({"b"});
  auto only_b = ModelMonitor::create(listed, true, "label", space);
  feed(**only_b, space, 10'000);
  EXPECT_EQ((*only_b)->alerts_fired(), 0u);
  ASSERT_EQ((*only_b)->data_drift_monitors().size(), 1u);

  core::FeatureSpace capped_space;
  ModelMonitor::Params capped;
  capped.feature_drift = small_windows({});
  capped.feature_drift->max_features = 2;
  auto two = ModelMonitor::create(capped, true, "label", capped_space);
  feed(**two, capped_space, 2000);
  EXPECT_EQ((*two)->data_drift_monitors().size(), 2u);
  EXPECT_EQ((*two)->features_over_cap(), 1u);
}

TEST(ModelMonitorTest, AValueOfTheOtherKindIsCountedNotObserved) {
  core::FeatureSpace space;
  ModelMonitor::Params params;
  params.feature_drift = small_windows({});
  auto monitor = ModelMonitor::create(params, true, "label", space);
  const core::FeatureId a = space.feature("a");
  core::FeatureVector x;
  x.add_numeric(a, 1.0);
  (*monitor)->observe_features(x, 0, monitors::WindowBounds::kNoTime);
  x.clear();
  const core::SymbolId text = space.value("n/a");
  x.add_categorical(a, text, space.indicator(a, text));
  (*monitor)->observe_features(x, 1, monitors::WindowBounds::kNoTime);
  EXPECT_EQ((*monitor)->kind_mismatches(), 1u);
}

TEST(ModelMonitorTest, LabelAndPredictionDriftUseTheTargetsKind) {
  core::FeatureSpace space;
  monitors::DataDriftMonitor::Params small;
  small.reference = monitors::WindowLength::events(1000);
  small.window = monitors::WindowLength::events(1000);
  ModelMonitor::Params params;
  params.label_drift = small;
  params.prediction_drift = small;
  auto monitor = ModelMonitor::create(params, true, "is_fraud", space);
  CollectingSink sink;
  (*monitor)->add_sink(&sink);
  std::mt19937_64 rng(5);
  for (std::uint64_t i = 0; i < 6000; ++i) {
    // Labels go from 10% to 50% positive at 3000; predictions stay at 10%.
    const double rate = i < 3000 ? 0.1 : 0.5;
    const bool label = static_cast<double>(rng() % 1000) < rate * 1000;
    const bool prediction = rng() % 10 == 0;
    (*monitor)->observe_prediction(core::Target::of_class(prediction), i, 0);
    (*monitor)->observe_label(core::Target::of_class(label), i, 0);
  }
  ASSERT_FALSE(sink.alerts.empty());
  for (const monitors::Alert& alert : sink.alerts) {
    EXPECT_EQ(alert.monitor, "label_drift");
    EXPECT_EQ(alert.feature, "is_fraud");
    EXPECT_EQ(alert.kind, monitors::AlertKind::kData);
  }
}

TEST(ModelMonitorTest, ModelReplacementRestartsEveryReference) {
  core::FeatureSpace space;
  ModelMonitor::Params params;
  params.feature_drift = small_windows({"a"});
  auto monitor = ModelMonitor::create(params, true, "label", space);
  CollectingSink sink;
  (*monitor)->add_sink(&sink);
  feed(**monitor, space, 4999);
  (*monitor)->model_replaced(2);
  // From 5000 on, a is shifted, but so is the new reference.
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal;
  core::FeatureVector x;
  for (std::uint64_t i = 5000; i < 10'000; ++i) {
    x.clear();
    x.add_numeric(space.feature("a"), normal(rng) + 1.0);
    (*monitor)->observe_features(x, i, monitors::WindowBounds::kNoTime);
  }
  EXPECT_TRUE(sink.alerts.empty());
  EXPECT_EQ((*monitor)->model_version(), 2u);
}

TEST(ModelMonitorTest, ValidateReportsEveryError) {
  ModelMonitor::Params params;
  params.drift_detector = "adwin(delta=nope)";
  params.performance.push_back({"drop", {.metric = "mae"}});
  params.label_drift = monitors::DataDriftMonitor::Params{};
  params.label_drift->statistic = "wasserstein_normalized";
  const core::Status status = ModelMonitor::validate(params, true);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("adwin"), std::string::npos);
  EXPECT_NE(status.message().find("metric 'mae'"), std::string::npos);
  EXPECT_NE(status.message().find("label_drift"), std::string::npos);
}

}  // namespace
}  // namespace streamlearn::stream
