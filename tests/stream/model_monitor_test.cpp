#include "stream/model_monitor.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/core/corrupted_states.h"
#include "tests/monitors/alert_text.h"

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


// A monitor with every kind of monitor, fed as the evaluator feeds it, and the names and classes
// it takes ids from: what a checkpoint of the monitoring side holds.
class MonitoredStream {
 public:
  explicit MonitoredStream(std::size_t max_features = 4) {
    ModelMonitor::Params params;
    params.pipeline = "p";
    params.drift_detector = "ddm";
    params.concept_policy.min_samples = 50;
    params.performance.push_back({"accuracy_drop",
                                  {.metric = "accuracy",
                                   .reference = monitors::WindowLength::events(300),
                                   .window = monitors::WindowLength::events(200),
                                   .step = monitors::WindowLength::events(100)}});
    params.performance.push_back(
        {"loss_rise",
         {.metric = "log_loss",
          .reference = monitors::WindowLength::milliseconds(300'000),
          .window = monitors::WindowLength::milliseconds(200'000),
          .relative = false,
          .policy = {.threshold = 0.6, .consecutive = 2}}});
    ModelMonitor::FeatureDrift drift;
    drift.max_features = max_features;
    drift.params.reference = monitors::WindowLength::events(400);
    drift.params.window = monitors::WindowLength::events(300);
    drift.params.step = monitors::WindowLength::events(100);
    drift.params.max_categories = 3;
    drift.params.policy.cooldown = monitors::WindowLength::events(500);
    params.feature_drift = drift;
    monitors::DataDriftMonitor::Params target;
    target.reference = monitors::WindowLength::events(300);
    target.window = monitors::WindowLength::milliseconds(300'000);
    target.step = monitors::WindowLength::milliseconds(100'000);
    params.prediction_drift = target;
    params.label_drift = target;
    monitor_ = std::move(ModelMonitor::create(params, true, "label", space_).value());
    monitor_->add_sink(&sink_);
    monitor_->use_class_names(&classes_);
    monitor_->use_wall_clock([]() -> std::int64_t { return 42; });
    classes_.intern("0");
  }

  // Event i: numeric a shifts at 3000, b is stationary, c takes 5 colours (3 tracked) whose mix
  // changes at 3500, e is numeric but categorical every 50th event (a kind mismatch), d appears at
  // 2500 (over the cap of 4 features); the error rate rises at 3000. On each concept alert the
  // model is "replaced", as on_drift reset does.
  void feed(std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t i = from; i < to; ++i) {
      std::mt19937_64 rng(i * 31 + 7);
      std::normal_distribution<double> normal;
      std::uniform_real_distribution<double> uniform;
      const std::int64_t time_ms = 1'000 * static_cast<std::int64_t>(i) + (i >= 3300 ? 900'000 : 0);
      x_.clear();
      x_.add_numeric(space_.feature("a"), normal(rng) + (i >= 3000 ? 1.0 : 0.0));
      x_.add_numeric(space_.feature("b"), normal(rng));
      const double u = uniform(rng);
      const core::FeatureId c = space_.feature("c");
      const core::SymbolId colour =
          space_.value("colour" + std::to_string(static_cast<int>(5 * (i >= 3500 ? u * u : u))));
      x_.add_categorical(c, colour, space_.indicator(c, colour));
      const core::FeatureId e = space_.feature("e");
      if (i % 50 == 0)
        x_.add_categorical(e, colour, space_.indicator(e, colour));
      else
        x_.add_numeric(e, normal(rng));
      if (i >= 2500) x_.add_numeric(space_.feature("d"), normal(rng));
      monitor_->observe_features(x_, i, time_ms);
      const bool wrong = uniform(rng) < (i >= 3000 ? 0.35 : 0.1);
      const core::ClassId label = classes_.intern(uniform(rng) < (i >= 3500 ? 0.8 : 0.5) ? "1" : "0");
      const core::ClassId predicted = wrong ? 1 - label : label;
      monitor_->observe_prediction(core::Target::of_class(predicted), i, time_ms);
      const ModelMonitor::Outcome outcome{.error = wrong ? 1.0 : 0.0,
                                          .log_loss = wrong ? 1.2 : 0.2 + 0.1 * uniform(rng)};
      const auto signal = monitor_->observe_outcome(outcome, i, time_ms);
      if (signal.alert) {
        monitor_->publish_concept_alert("reset", ++version_);
        monitor_->model_replaced(version_);
      }
      monitor_->observe_label(core::Target::of_class(label), i, time_ms);
    }
  }

  std::vector<std::string> summary() const {
    std::vector<std::string> lines = outputs_;
    std::string counts = "alerts " + std::to_string(monitor_->alerts_fired()) + " mismatches " +
                         std::to_string(monitor_->kind_mismatches()) + " over cap " +
                         std::to_string(monitor_->features_over_cap()) + " version " +
                         std::to_string(monitor_->model_version()) + " drifts";
    for (std::uint64_t position : monitor_->drift_positions())
      counts += " " + std::to_string(position);
    lines.push_back(counts);
    for (const monitors::DataDriftMonitor* drift : monitor_->data_drift_monitors()) {
      std::string line = drift->monitor() + " " + drift->feature();
      for (const auto& [name, value] : drift->last_statistics())
        line += " " + name + "=" + testing::bits(value);
      lines.push_back(line);
    }
    for (const monitors::Alert& alert : monitor_->kept_alerts())
      lines.push_back("kept " + testing::alert_text(alert));
    return lines;
  }

  std::string save() const {
    core::StateWriter out;
    space_.save(out);
    classes_.save(out);
    out.write(version_);
    monitor_->save(out);
    return out.bytes();
  }

  core::Status load(const std::string& bytes) {
    core::StateReader in(bytes);
    SL_RETURN_IF_ERROR(space_.load(in));
    SL_RETURN_IF_ERROR(classes_.load(in));
    if (!in.read(version_)) return in.status("test");
    return monitor_->load(in);
  }

  ModelMonitor& monitor() { return *monitor_; }
  core::FeatureSpace& space() { return space_; }
  std::vector<std::string>& outputs() { return outputs_; }

 private:
  class Recorder final : public monitors::AlertSink {
   public:
    explicit Recorder(std::vector<std::string>& out) : out_(out) {}
    void publish(const monitors::Alert& alert) override {
      out_.push_back(testing::alert_text(alert));
    }
    core::Status flush() override { return core::Status::ok(); }

   private:
    std::vector<std::string>& out_;
  };

  core::FeatureSpace space_;
  core::ClassSet classes_;
  std::vector<std::string> outputs_;
  Recorder sink_{outputs_};
  std::unique_ptr<ModelMonitor> monitor_;
  core::FeatureVector x_;
  std::uint64_t version_ = 1;
};

std::size_t count_containing(const std::vector<std::string>& lines, const std::string& text) {
  std::size_t count = 0;
  for (const std::string& line : lines) count += line.find(text) != std::string::npos;
  return count;
}

TEST(ModelMonitorTest, RestoredMonitorRaisesTheSameAlertsAtTheSamePositions) {
  constexpr std::uint64_t kLength = 6000;
  MonitoredStream reference;
  reference.feed(0, kLength);
  const std::vector<std::string> all = reference.summary();
  for (const std::string kind : {"concept_drift", "accuracy_drop", "loss_rise", "feature_drift a",
                                 "feature_drift c", "prediction_drift", "label_drift"})
    EXPECT_GT(count_containing(all, kind), 0u) << kind << " must alert for the test to mean much";
  EXPECT_GT(reference.monitor().kind_mismatches(), 0u);
  EXPECT_GT(reference.monitor().features_over_cap(), 0u);
  for (std::uint64_t cut : {200u, 2600u, 3100u, 3400u, 4500u}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    MonitoredStream original;
    original.feed(0, cut);
    const std::size_t before = original.outputs().size();
    const std::string state = original.save();
    MonitoredStream restored;
    const core::Status loaded = restored.load(state);
    ASSERT_TRUE(loaded.is_ok()) << loaded.message();
    EXPECT_EQ(restored.save(), state);
    original.feed(cut, kLength);
    restored.feed(cut, kLength);
    std::vector<std::string> expected = original.summary();
    expected.erase(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(before));
    std::vector<std::string> got = restored.summary();
    // The restored monitor's kept alerts include those from before the cut, as the original's.
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected[i]) << i;
    EXPECT_EQ(restored.save(), original.save());
  }
}

TEST(ModelMonitorTest, LoadNamesAChangedConfigurationAndAnUnrestoredFeatureSpace) {
  MonitoredStream original;
  original.feed(0, 1000);
  core::StateWriter out;
  original.monitor().save(out);
  const std::string state = out.bytes();

  core::FeatureSpace space;
  ModelMonitor::Params fewer;
  fewer.drift_detector = "ddm";
  auto other = ModelMonitor::create(fewer, true, "label", space);
  core::StateReader in(state);
  const core::Status changed = (*other)->load(in);
  ASSERT_FALSE(changed.is_ok());
  EXPECT_NE(changed.message().find("the monitors configured: the configuration changed"),
            std::string::npos)
      << changed.message();

  MonitoredStream wider(5);
  const core::Status cap = wider.load(original.save());
  ASSERT_FALSE(cap.is_ok());
  EXPECT_NE(cap.message().find("the features watched for drift"), std::string::npos)
      << cap.message();

  MonitoredStream fresh;  // its FeatureSpace holds none of the names yet
  core::StateReader again(state);
  const core::Status unrestored = fresh.monitor().load(again);
  ASSERT_FALSE(unrestored.is_ok());
  EXPECT_NE(unrestored.message().find("restore the FeatureSpace before the monitor"),
            std::string::npos)
      << unrestored.message();
}

TEST(ModelMonitorTest, CorruptStatesFailOrMonitorOnNeverCrash) {
  MonitoredStream original;
  original.feed(0, 3200);
  testing::for_each_corrupted_state(original.save(), 12, 250, [](const std::string& bytes) {
    MonitoredStream restored;
    if (!restored.load(bytes).is_ok()) return;
    restored.feed(3200, 4200);
    EXPECT_FALSE(restored.save().empty());
  });
}

}  // namespace
}  // namespace streamlearn::stream
