// `streamlearn evaluate` with monitors, as a user runs it: the built binary on a drifting file
// written by the test, alerts in a JSON Lines file and in the final JSON.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

CommandRun run_evaluate(const std::filesystem::path& dir, const std::string& arguments) {
  return run_streamlearn("evaluate " + arguments, dir);
}

// 20,000 events a second apart: `shifted` moves by one standard deviation at 10,000, `steady`
// does not, and the label's concept flips at 10,000 (label = shifted + steady > 0, then < 0).
std::filesystem::path drifting_file(const std::filesystem::path& dir) {
  const auto path = dir / "drifting.csv";
  std::ofstream out(path);
  out << "ts,shifted,steady,color,label\n";
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal;
  for (int i = 0; i < 20'000; ++i) {
    const double shifted = normal(rng) + (i >= 10'000 ? 1.0 : 0.0);
    const double steady = normal(rng);
    const bool positive = (shifted - (i >= 10'000 ? 1.0 : 0.0) + steady > 0) == (i < 10'000);
    out << 1'700'000'000'000 + static_cast<long long>(i) * 1000 << "," << shifted << "," << steady
        << "," << (rng() % 3 == 0 ? "red" : "blue") << "," << (positive ? 1 : 0) << "\n";
  }
  return path;
}

std::vector<nlohmann::json> read_lines(const std::filesystem::path& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(EvaluateMonitoringTest, AlertsOnTheDriftAndNotBeforeInTheFileAndTheResult) {
  const auto dir = scratch_dir();
  const auto data = drifting_file(dir);
  const auto alerts_file = dir / "alerts.jsonl";
  const CommandRun run = run_evaluate(dir, "--data " + data.string() +
                               " --target label --time ts --model logistic_regression"
                               " --drift-detector ddm --monitor-features all"
                               " --alerts " + alerts_file.string() + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = nlohmann::json::parse(run.out);
  const auto alerts = read_lines(alerts_file);
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(result["alerts_fired"], alerts.size());
  EXPECT_EQ(result["alerts"].size(), alerts.size());
  EXPECT_EQ(result["alerts"][0], alerts[0]);
  bool concept_alert = false;
  bool shifted_alert = false;
  for (const auto& alert : alerts) {
    for (const char* key : {"id", "event_time", "wall_time", "pipeline", "monitor", "kind",
                            "feature", "statistic", "value", "threshold", "window",
                            "model_version", "new_model_version", "model_action", "action",
                            "evidence"})
      EXPECT_TRUE(alert.contains(key)) << key << " missing in " << alert.dump();
    EXPECT_EQ(alert["action"], "retrain");
    EXPECT_GE(alert["window"]["current"]["last_event"].get<int>(), 10'000) << alert.dump();
    if (alert["kind"] == "concept") {
      concept_alert = true;
      EXPECT_EQ(alert["model_action"], "none");  // no --on-drift: the alert only
      EXPECT_EQ(alert["new_model_version"], alert["model_version"]);
    }
    if (alert["kind"] == "data") {
      EXPECT_NE(alert["feature"], "steady") << alert.dump();
      EXPECT_NE(alert["feature"], "color") << alert.dump();
      shifted_alert |= alert["feature"] == "shifted";
      EXPECT_TRUE(alert["event_time"].is_string());
      EXPECT_EQ(alert["window"]["reference"]["first_event"], 0);
    }
  }
  EXPECT_TRUE(concept_alert);
  EXPECT_TRUE(shifted_alert);
  EXPECT_EQ(result["model_version"], 1);
  EXPECT_EQ(result["on_drift"], "none");
}

TEST(EvaluateMonitoringTest, ConfigurationFileSetsMonitorsAndPrintsAlertsAsTheyFire) {
  const auto dir = scratch_dir();
  const auto data = drifting_file(dir);
  const auto config = dir / "pipeline.json";
  std::ofstream(config) << R"({"pipeline": "test-pipeline", "monitoring": {
      "performance": [{"metric": "accuracy", "reference": 2000, "window": 1000, "threshold": 0.1}],
      "label_drift": {"reference": 2000, "window": 2000},
      "alerts": {"stdout": true}}})";
  const CommandRun run = run_evaluate(dir, "--data " + data.string() +
                               " --target label --time ts --model logistic_regression --config " +
                               config.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Alerts go to stdout as JSON Lines (alerts.stdout) and to stderr as one line each.
  const auto first_line = nlohmann::json::parse(run.out.substr(0, run.out.find('\n')));
  EXPECT_EQ(first_line["pipeline"], "test-pipeline");
  EXPECT_EQ(first_line["kind"], "performance");
  EXPECT_EQ(first_line["monitor"], "accuracy_drop");
  EXPECT_NE(run.err.find("alert: performance accuracy_drop: accuracy = "), std::string::npos)
      << run.err;
}

// Rows i in [first, last) of a stream whose `amount` is normal(shift, 1) and `country` is "fr" or
// "de" (or "us" with `new_country`), label amount > shift.
std::filesystem::path rows_file(const std::filesystem::path& dir, const std::string& name,
                                double shift, bool new_country, std::uint64_t seed) {
  const auto path = dir / name;
  std::ofstream out(path);
  out << "amount,country,label\n";
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  for (int i = 0; i < 6000; ++i) {
    const double amount = normal(rng) + shift;
    const char* country = rng() % 2 ? "fr" : (new_country ? "us" : "de");
    out << amount << "," << country << "," << (amount > shift ? 1 : 0) << "\n";
  }
  return path;
}

TEST(EvaluateMonitoringTest, SavedReferenceProfileJudgesALaterRun) {
  const auto dir = scratch_dir();
  const auto training = rows_file(dir, "training.csv", 0.0, false, 1);
  const auto profile = dir / "reference.profile";
  const std::string monitors = " --target label --model gaussian_nb --monitor-features all --json";
  CommandRun run = run_evaluate(dir, "--data " + training.string() + monitors +
                                         " --save-reference " + profile.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["alerts_fired"], 0);

  // The same distribution judged against the saved profile: no alert. A shifted amount and a new
  // country: alerts from the first window on, since the reference is the saved one.
  const auto same = rows_file(dir, "same.csv", 0.0, false, 2);
  run = run_evaluate(dir, "--data " + same.string() + monitors + " --reference " + profile.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["alerts_fired"], 0);

  const auto shifted = rows_file(dir, "shifted.csv", 1.0, true, 3);
  run = run_evaluate(dir, "--data " + shifted.string() + monitors + " --reference " +
                              profile.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto alerts = nlohmann::json::parse(run.out)["alerts"];
  std::set<std::string> features;
  for (const auto& alert : alerts) {
    features.insert(alert["feature"].get<std::string>());
    EXPECT_EQ(alert["window"]["reference"]["count"], 5000);
  }
  EXPECT_EQ(features, (std::set<std::string>{"amount", "country"}));
  EXPECT_EQ(alerts[0]["window"]["current"]["first_event"], 0);

  run = run_evaluate(dir, "--data " + shifted.string() + monitors + " --reference " +
                              training.string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not a streamlearn reference profile"), std::string::npos) << run.err;
}

TEST(EvaluateMonitoringTest, SettingsErrorsAreReportedBeforeAnyEventIsRead) {
  const auto dir = scratch_dir();
  const auto data = drifting_file(dir);
  CommandRun run = run_evaluate(dir, "--data " + data.string() +
                         " --target label --model logistic_regression --on-drift reset");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--on-drift reset needs a drift detector"), std::string::npos) << run.err;

  const auto config = dir / "bad.json";
  std::ofstream(config) << R"({"monitoring": {"feature_drift": {"statistic": "p_value"}}})";
  run = run_evaluate(dir, "--data " + data.string() + " --target label --model logistic_regression" +
                     " --config " + config.string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("statistic 'p_value' is not one of"), std::string::npos) << run.err;

  run = run_evaluate(dir, "--data " + data.string() + " --target label --model logistic_regression" +
                     " --webhook http://127.0.0.1:9/hook");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--webhook needs --alerts PATH"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace streamlearn::testing
