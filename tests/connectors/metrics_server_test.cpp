#include "connectors/prometheus/metrics_server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "connectors/http/feature_lookup_route.h"

namespace streamlearn::connectors {
namespace {

struct Reply {
  long status = 0;
  std::string content_type;
  std::string body;
};

std::size_t append(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

Reply get(const std::string& address, const std::string& path) {
  Reply reply;
  CURL* curl = curl_easy_init();
  const std::string url = "http://" + address + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK) << url;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  char* type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
  if (type) reply.content_type = type;
  curl_easy_cleanup(curl);
  return reply;
}

TEST(MetricsServerTest, ServesMetricsHealthAndReadiness) {
  PipelineMetrics metrics("p");
  auto server = MetricsServer::start({.listen = "127.0.0.1:0"}, metrics);
  ASSERT_TRUE(server) << server.status().message();
  const std::string address = (*server)->address();

  const Reply scrape = get(address, "/metrics");
  EXPECT_EQ(scrape.status, 200);
  EXPECT_EQ(scrape.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(scrape.body.find("# TYPE streamlearn_events_processed_total counter"),
            std::string::npos);

  EXPECT_EQ(get(address, "/healthz").status, 200);
  const Reply starting = get(address, "/readyz");
  EXPECT_EQ(starting.status, 503);
  EXPECT_NE(starting.body.find("not consuming"), std::string::npos) << starting.body;
  metrics.set_ready(true);
  EXPECT_EQ(get(address, "/readyz").status, 200);
  metrics.set_ready(false);  // stopping
  EXPECT_EQ(get(address, "/readyz").status, 503);
}

TEST(MetricsServerTest, LivenessFailsWhenThePipelineStopsPublishing) {
  PipelineMetrics metrics("p");
  auto server =
      MetricsServer::start({.listen = "127.0.0.1:0", .liveness_timeout_s = 0.05}, metrics);
  ASSERT_TRUE(server) << server.status().message();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const Reply stuck = get((*server)->address(), "/healthz");
  EXPECT_EQ(stuck.status, 503);
  EXPECT_NE(stuck.body.find("has not reported"), std::string::npos) << stuck.body;
}

TEST(MetricsServerTest, APortInUseIsAnErrorNamingTheSetting) {
  PipelineMetrics metrics("p");
  auto first = MetricsServer::start({.listen = "127.0.0.1:0"}, metrics);
  ASSERT_TRUE(first) << first.status().message();
  auto second = MetricsServer::start(
      {.listen = (*first)->address(), .listen_setting = "--metrics-listen"}, metrics);
  ASSERT_FALSE(second);
  EXPECT_NE(second.status().message().find((*first)->address()), std::string::npos)
      << second.status().message();
  EXPECT_NE(second.status().message().find("--metrics-listen"), std::string::npos)
      << second.status().message();
}

/// A pipeline with two window steps, fed a few events, its thread serving lookups as the run
/// loop does between records.
class FeatureLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto split = stream::features::FeatureStage::split(
        "window(by=user, size=1h, agg=[sum(amount), count()]) | "
        "window(by=[user, device], events=10, agg=[count()]) | logistic_regression");
    ASSERT_TRUE(split.is_ok()) << split.status().message();
    stage_ = std::make_unique<stream::features::FeatureStage>(split->windows, space_);
    add("alice", "phone", 10.0, 1'000);
    add("alice", "laptop", 20.5, 2'000);
    add("a/b", "phone", 1.0, 3'000);
  }

  void add(std::string_view user, std::string_view device, double amount, std::int64_t time_ms) {
    stream::Event event;
    event.event_time_ms = time_ms;
    for (auto [name, text] : {std::pair{"user", user}, std::pair{"device", device}}) {
      const core::FeatureId id = space_.feature(name);
      const core::SymbolId value = space_.value(text);
      event.features.add_categorical(id, value, space_.indicator(id, value));
    }
    event.features.add_numeric(space_.feature("amount"), amount);
    ASSERT_FALSE(stage_->apply(event).has_value());
  }

  /// Serves lookups on another thread, as the pipeline thread does.
  void serve() {
    serving_ = std::thread([this] {
      while (!stop_.load()) {
        calls_.serve();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  }

  void TearDown() override {
    stop_.store(true);
    if (serving_.joinable()) serving_.join();
  }

  std::string start_server(std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
    std::vector<HttpServer::Route> routes;
    routes.push_back(feature_lookup_route(calls_, *stage_, timeout));
    auto server = MetricsServer::start({.listen = "127.0.0.1:0"}, metrics_, std::move(routes));
    EXPECT_TRUE(server) << server.status().message();
    server_ = std::move(*server);
    return server_->address();
  }

  core::FeatureSpace space_;
  std::unique_ptr<stream::features::FeatureStage> stage_;
  core::OwnerThreadCalls calls_;
  PipelineMetrics metrics_{"p"};
  std::unique_ptr<MetricsServer> server_;
  std::atomic<bool> stop_{false};
  std::thread serving_;
};

TEST_F(FeatureLookupTest, AnswersAKeysWindowAggregatesAsJson) {
  const std::string address = start_server();
  serve();
  const Reply alice = get(address, "/features/alice");
  EXPECT_EQ(alice.status, 200);
  EXPECT_EQ(alice.content_type, "application/json");
  const nlohmann::json body = nlohmann::json::parse(alice.body);
  EXPECT_EQ(body["key"], nlohmann::json::array({"alice"}));
  // Only the window keyed by one field answers a one-part key.
  EXPECT_EQ(body["features"], nlohmann::json::parse(
                                  R"({"sum(amount)@user_1h": 30.5, "count()@user_1h": 2})"))
      << alice.body;

  const Reply pair = get(address, "/features/alice/phone");
  EXPECT_EQ(pair.status, 200);
  const nlohmann::json pair_body = nlohmann::json::parse(pair.body);
  ASSERT_EQ(pair_body["features"].size(), 1u) << pair.body;
  EXPECT_EQ(pair_body["features"].begin().value(), 1) << pair.body;
  EXPECT_EQ(pair_body["features"].begin().key().find("count()@"), 0u) << pair.body;

  // Percent-encoded: the value "a/b", not the two values "a" and "b".
  const Reply escaped = get(address, "/features/a%2Fb");
  EXPECT_EQ(escaped.status, 200) << escaped.body;
  EXPECT_EQ(nlohmann::json::parse(escaped.body)["features"]["count()@user_1h"], 1);
}

TEST_F(FeatureLookupTest, UnknownKeysAreNotFoundAndMalformedPathsAreBadRequests) {
  const std::string address = start_server();
  serve();
  const Reply unknown = get(address, "/features/bob");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("no window holds this key"), std::string::npos) << unknown.body;
  EXPECT_EQ(get(address, "/features/alice/phone/extra").status, 404);
  for (const char* path : {"/features/", "/features/alice//phone", "/features/%zz"}) {
    const Reply bad = get(address, path);
    EXPECT_EQ(bad.status, 400) << path;
    EXPECT_NE(bad.body.find("malformed key path"), std::string::npos) << bad.body;
  }
}

TEST_F(FeatureLookupTest, APipelineThreadThatDoesNotAnswerGivesServiceUnavailable) {
  const std::string address = start_server(std::chrono::milliseconds(50));
  // Nobody serves the calls: the pipeline thread is stuck (or gone).
  const Reply stalled = get(address, "/features/alice");
  EXPECT_EQ(stalled.status, 503);
  EXPECT_NE(stalled.body.find("did not answer within 50 ms"), std::string::npos) << stalled.body;
  // Metrics are still served (the lookup waited for its timeout, no longer).
  EXPECT_EQ(get(address, "/healthz").status, 200);
}

}  // namespace
}  // namespace streamlearn::connectors
