// Observability end to end: `streamlearn run` consuming from the embedded broker, scraped by
// Debian's prometheus with the shipped configuration and alerting rules. Asked through
// Prometheus's HTTP API: every PromQL expression of the Grafana dashboard and of the rules
// returns data, and the drift alert goes pending or firing after an injected drift and not
// before. The live scrape passes `promtool check metrics` and exports every metric the dashboard
// and the rules use. The window features of a key are served at /features/{key} while it runs.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "connectors/kafka/embedded_broker.h"
#include "tests/deploy/deploy_files.h"
#include "tests/e2e/prometheus_server.h"
#include "tests/kafka/kafka_test_kit.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr char kDriftAlert[] = "StreamlearnDriftDetected";

/// Polls `done` every 500 ms until it is true or `seconds` passed.
bool eventually(int seconds, const std::function<bool()>& done) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return done();
}

/// Events whose label is x0 + x1 > threshold, with x0 drawn from [x0_low, x0_low + 10) and x1
/// from [0, 10): a concept logistic regression learns exactly; shifting x0_low (and the
/// threshold with it) is a data drift of x0.
std::vector<std::pair<std::string, std::string>> events(std::size_t first, std::size_t count,
                                                        double x0_low, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 10.0);
  std::vector<std::pair<std::string, std::string>> keyed;
  for (std::size_t i = first; i < first + count; ++i) {
    const double x0 = x0_low + uniform(rng);
    const double x1 = uniform(rng);
    const Json event = {{"id", "e" + std::to_string(i)},
                        {"key", "k" + std::to_string(i % 16)},
                        {"x0", x0},
                        {"x1", x1},
                        {"label", x0 + x1 > x0_low + 10.0 ? "1" : "0"}};
    keyed.emplace_back("k" + std::to_string(i % 16), event.dump());
  }
  return keyed;
}

class ObservabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PrometheusServer::installed() || deploy::promtool().empty())
      GTEST_SKIP() << "prometheus and promtool are needed: run scripts/install_deps.sh "
                      "(Debian package prometheus)";
    auto started = connectors::EmbeddedBroker::start({.num_brokers = 1});
    ASSERT_TRUE(started) << started.status().message();
    broker_ = std::move(*started);
    servers_ = broker_->bootstrap_servers();
    ASSERT_TRUE(broker_->create_topic("events", 2));
    dir_ = scratch_dir();
  }

  void produce(const std::vector<std::pair<std::string, std::string>>& records) {
    auto producer = TestProducer::connect(servers_);
    ASSERT_TRUE(producer) << producer.status().message();
    for (const auto& [key, value] : records) ASSERT_TRUE(producer->produce("events", key, value));
    const core::Status flushed = producer->flush();
    ASSERT_TRUE(flushed) << flushed.message();
  }

  std::string write_config() {
    const Json config = {
        {"pipeline", "e2e"},
        {"model", "standard_scaler | logistic_regression"},
        {"features", {{{"window", {{"events", 100}, {"agg", {"mean(x0)", "count()"}}}}}}},
        {"kafka",
         {{"bootstrap_servers", servers_},
          {"properties", {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}}}}},
        {"source", {{"topics", {"events"}}, {"group_id", "e2e"}, {"commit_interval_ms", 200}}},
        {"schema", {{"target", "label"}, {"key", "key"}, {"id", "id"}}},
        {"outputs", {{"predictions", "predictions"}, {"dead_letter", "dead-letter"}}},
        {"metrics", {{"listen", "127.0.0.1:0"}, {"rolling_window", 500}}},
        {"monitoring",
         {{"concept_drift", {{"detector", "ddm"}}},
          {"feature_drift", {{"features", {"x0", "x1"}}, {"reference", 2000}, {"window", 1000}}}}},
    };
    const std::filesystem::path path = dir_ / "pipeline.json";
    std::ofstream(path) << config.dump(2);
    return path.string();
  }

  /// The expressions of the dashboard and of the alerting rules, each as it must return data:
  /// Grafana's variables substituted, comparisons as `bool` (so that a rule that is not firing
  /// still shows that its series exist).
  static std::map<std::string, std::string> expressions() {
    std::map<std::string, std::string> all;
    for (const deploy::DashboardQuery& query : deploy::dashboard_queries(deploy::load_dashboard()))
      all["dashboard " + query.where] =
          deploy::with_bool_comparisons(deploy::substitute_variables(query.expr));
    const std::string rules = deploy::read_text(deploy::source_path("deploy/prometheus/rules.yml"));
    for (const auto& [name, expr] : deploy::alert_expressions(rules))
      all["rule " + name] = deploy::with_bool_comparisons(expr);
    return all;
  }

  std::unique_ptr<connectors::EmbeddedBroker> broker_;
  std::string servers_;
  std::filesystem::path dir_;
};

TEST_F(ObservabilityTest, DashboardAndRulesHaveDataAndTheDriftAlertFiresAfterTheDriftOnly) {
  // Before the drift: 4,000 events (the drift monitors' reference is the first 2,000).
  ASSERT_NO_FATAL_FAILURE(produce(events(0, 4000, 0.0, 1)));
  auto pipeline = ChildProcess::streamlearn({"run", "--config", write_config()}, dir_, "pipeline");
  ASSERT_TRUE(pipeline) << pipeline.status().message();
  ASSERT_TRUE(pipeline->wait_for_output("metrics at http://", 30'000)) << pipeline->stderr_text();
  std::smatch match;
  const std::string err = pipeline->stderr_text();
  ASSERT_TRUE(std::regex_search(err, match, std::regex(R"(metrics at http://([0-9.:]+)/metrics)")));
  const std::string metrics_address = match[1];

  auto prometheus = PrometheusServer::start(dir_ / "prometheus", metrics_address);
  ASSERT_TRUE(prometheus) << prometheus.status().message();

  // Every event is processed and Prometheus has scraped enough for rates (two samples).
  ASSERT_TRUE(eventually(
      60,
      [&] {
        auto processed =
            prometheus->query("min_over_time(streamlearn_events_processed_total[20s])");
        return processed && !processed->at("result").empty() &&
               std::stod(processed->at("result")[0].at("value")[1].get<std::string>()) >= 4000;
      }))
      << "Prometheus did not see the 4,000 events processed for 20 s:\n"
      << prometheus->log() << pipeline->stderr_text();

  const std::map<std::string, std::string> all = expressions();
  ASSERT_GT(all.size(), 20u);
  std::vector<std::string> empty;
  eventually(30, [&] {
    empty.clear();
    for (const auto& [where, expr] : all) {
      auto data = prometheus->query(expr);
      EXPECT_TRUE(data) << where << ": " << data.status().message();
      if (data && data->at("result").empty()) empty.push_back(where + ": " + expr);
    }
    return empty.empty();
  });
  for (const std::string& missing : empty) ADD_FAILURE() << "no data for " << missing;

  // Before the drift, the drift alert is not pending or firing.
  auto before = prometheus->alert_state(kDriftAlert);
  ASSERT_TRUE(before) << before.status().message();
  EXPECT_EQ(*before, "inactive");

  // The scrape is valid exposition format and exports every metric the files use.
  auto scrape = http_get("http://" + metrics_address + "/metrics");
  ASSERT_TRUE(scrape) << scrape.status().message();
  ASSERT_EQ(scrape->status, 200);
  const std::filesystem::path scrape_file = dir_ / "scrape.txt";
  std::ofstream(scrape_file) << scrape->body;
  const deploy::CommandResult checked = deploy::run(deploy::promtool() + " check metrics < " +
                                                    deploy::shell_quote(scrape_file.string()));
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  std::set<std::string> exported;
  const std::regex type_line(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) )");
  for (std::sregex_iterator it(scrape->body.begin(), scrape->body.end(), type_line), end; it != end;
       ++it)
    exported.insert((*it)[1]);
  for (const auto& [where, expr] : all) {
    for (std::string metric : deploy::metric_tokens(expr)) {
      for (const char* suffix : {"_bucket", "_sum", "_count"})
        if (metric.ends_with(suffix) && !exported.contains(metric))
          metric.erase(metric.size() - std::string_view(suffix).size());
      EXPECT_TRUE(exported.contains(metric)) << where << " uses " << metric << ", not exported";
    }
  }

  // The feature store: the current window of a key, from the running pipeline; and the
  // window's counters, through Prometheus.
  auto features = http_get("http://" + metrics_address + "/features/k3");
  ASSERT_TRUE(features) << features.status().message();
  EXPECT_EQ(features->status, 200) << features->body;
  const Json looked_up = Json::parse(features->body);
  EXPECT_EQ(looked_up["features"]["count()@key_last_100"], 100) << features->body;
  const double mean_x0 = looked_up["features"]["mean(x0)@key_last_100"].get<double>();
  EXPECT_TRUE(mean_x0 > 3.0 && mean_x0 < 7.0) << features->body;  // x0 uniform in [0, 10)
  EXPECT_EQ(http_get("http://" + metrics_address + "/features/nobody")->status, 404);
  auto window_events = prometheus->query("streamlearn_window_events_total{window=\"key_last_100\"}");
  ASSERT_TRUE(window_events) << window_events.status().message();
  ASSERT_FALSE(window_events->at("result").empty());
  EXPECT_EQ(std::stod(window_events->at("result")[0].at("value")[1].get<std::string>()), 4000.0);

  auto healthy = http_get("http://" + metrics_address + "/healthz");
  auto ready = http_get("http://" + metrics_address + "/readyz");
  ASSERT_TRUE(healthy && ready);
  EXPECT_EQ(healthy->status, 200) << healthy->body;
  EXPECT_EQ(ready->status, 200) << ready->body;

  // The drift: x0 moves from [0, 10) to [10, 20).
  ASSERT_NO_FATAL_FAILURE(produce(events(4000, 3000, 10.0, 2)));
  std::string after;
  EXPECT_TRUE(eventually(60,
                         [&] {
                           auto state = prometheus->alert_state(kDriftAlert);
                           after = state ? *state : state.status().message();
                           return after == "pending" || after == "firing";
                         }))
      << "the drift alert stayed " << after << "\n"
      << pipeline->stderr_text();
  auto alerts = prometheus->api("alerts");
  ASSERT_TRUE(alerts) << alerts.status().message();
  bool data_drift = false;
  for (const Json& alert : alerts->at("alerts"))
    data_drift |= alert["labels"].value("alertname", "") == kDriftAlert &&
                  alert["labels"].value("kind", "") == "data" &&
                  alert["labels"].value("monitor", "") == "feature_drift";
  EXPECT_TRUE(data_drift) << alerts->dump(2);

  pipeline->terminate();
  EXPECT_EQ(pipeline->wait_for_exit(30'000), 0) << pipeline->stderr_text();
}

}  // namespace
}  // namespace streamlearn::testing
