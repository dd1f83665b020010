#include "monitors/drift/concept_drift_monitor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/core/corrupted_states.h"
#include "tests/monitors/alert_text.h"
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


void feed(ConceptDriftMonitor& monitor, const std::vector<double>& errors, std::uint64_t from,
          std::uint64_t to, std::vector<std::string>& out) {
  Alert alert;
  for (std::uint64_t i = from; i < to; ++i) {
    const auto signal = monitor.observe(errors[i], i, 1000 * static_cast<std::int64_t>(i), alert);
    if (signal.warning_started || signal.drift)
      out.push_back(std::to_string(i) + " warning " + std::to_string(signal.warning) + " started " +
                    std::to_string(signal.warning_started) + " drift " +
                    std::to_string(signal.drift));
    if (signal.alert) out.push_back(std::to_string(i) + " " + testing::alert_text(alert));
  }
  out.push_back("drifts " + std::to_string(monitor.drifts()) + " warnings " +
                std::to_string(monitor.warnings()) + " in warning " +
                std::to_string(monitor.in_warning()));
}

std::string saved(const ConceptDriftMonitor& monitor) {
  core::StateWriter out;
  monitor.save(out);
  return out.bytes();
}

TEST(ConceptDriftMonitorTest, RestoredMonitorSignalsAndAlertsExactlyAsTheUninterruptedOne) {
  const std::vector<double> errors = testing::error_stream(6, 12'000, 4000, 0.1, 0.4);
  const AlertPolicy::Params policy{.min_samples = 30, .cooldown = WindowLength::events(2000)};
  for (const std::string expression : {"ddm", "adwin", "hddm_w", "kswin(seed=3)"}) {
    ConceptDriftMonitor reference("e", detector(expression), policy);
    std::vector<std::string> expected;
    feed(reference, errors, 0, errors.size(), expected);
    ASSERT_GT(expected.size(), 2u) << expression << ": the stream must make the detector drift";
    // Cuts early, after the change, late, and (for detectors with a warning zone) in a warning.
    std::vector<std::uint64_t> cuts = {100, 4050, 7000};
    ConceptDriftMonitor scout("e", detector(expression), policy);
    Alert alert;
    for (std::uint64_t i = 0; i < errors.size() && cuts.size() == 3; ++i)
      if (scout.observe(errors[i], i, 0, alert).warning && i > 4000) cuts.push_back(i + 1);
    EXPECT_EQ(cuts.size() == 4, scout.detector().has_warning()) << expression;
    for (std::uint64_t cut : cuts) {
      SCOPED_TRACE(expression + ", cut at " + std::to_string(cut));
      ConceptDriftMonitor original("e", detector(expression), policy);
      std::vector<std::string> before;
      feed(original, errors, 0, cut, before);
      const std::string state = saved(original);
      ConceptDriftMonitor restored("e", detector(expression), policy);
      core::StateReader in(state);
      const core::Status loaded = restored.load(in);
      ASSERT_TRUE(loaded.is_ok()) << loaded.message();
      EXPECT_TRUE(in.at_end());
      EXPECT_EQ(saved(restored), state);
      std::vector<std::string> after_original, after_restored;
      feed(original, errors, cut, errors.size(), after_original);
      feed(restored, errors, cut, errors.size(), after_restored);
      EXPECT_EQ(after_restored, after_original);
      EXPECT_EQ(saved(restored), saved(original));
    }
  }
}

TEST(ConceptDriftMonitorTest, LoadRefusesAnotherDetectorAndCorruptStates) {
  const std::vector<double> errors = testing::error_stream(7, 6000, 3000, 0.1, 0.4);
  ConceptDriftMonitor original("e", detector("ddm"), {});
  std::vector<std::string> out;
  feed(original, errors, 0, 3100, out);
  const std::string state = saved(original);
  ConceptDriftMonitor other("e", detector("adwin"), {});
  core::StateReader in(state);
  const core::Status status = other.load(in);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("the checkpoint's detector is ddm"), std::string::npos)
      << status.message();
  ConceptDriftMonitor cooled("e", detector("ddm"), {.cooldown = WindowLength::events(10)});
  core::StateReader again(state);
  EXPECT_NE(cooled.load(again).message().find("another alert policy"), std::string::npos);
  testing::for_each_corrupted_state(state, 8, 200, [&](const std::string& bytes) {
    ConceptDriftMonitor restored("e", detector("ddm"), {});
    core::StateReader corrupt(bytes);
    if (!restored.load(corrupt).is_ok()) return;
    std::vector<std::string> rest;
    feed(restored, errors, 3100, errors.size(), rest);
  });
}

}  // namespace
}  // namespace streamlearn::monitors
