#include "connectors/alerts/webhook_alert_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/connectors/http_test_server.h"
#include "tests/test_support.h"

namespace streamlearn::connectors {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using testing::HttpTestServer;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

// Small timeouts keep the file at a few seconds, also under the sanitizers; the bounds asserted
// on elapsed times are generous multiples of them (behaviour checks, not benchmarks).
constexpr std::int64_t kTimeoutMs = 200;
constexpr std::int64_t kSlackMs = 1000;

monitors::Alert make_alert(int sequence) {
  monitors::Alert alert;
  alert.id = "fraud/adwin_error/" + std::to_string(sequence);
  alert.event_time_ms = 1'795'000'000'000 + sequence;
  alert.wall_time_ms = 1'795'000'000'500 + sequence;
  alert.pipeline = "fraud";
  alert.monitor = "adwin_error";
  alert.kind = monitors::AlertKind::kConcept;
  alert.statistic = "adwin_mean_difference";
  alert.value = 0.12;
  alert.threshold = 0.05;
  alert.current = {1000, 1999, 1000, monitors::Alert::kNoTime, monitors::Alert::kNoTime};
  alert.model_action = "reset";
  alert.new_model_version = 2;
  alert.evidence = {{"adwin_mean_difference", 0.12}, {"error_rate", 0.31}};
  return alert;
}

std::vector<monitors::Alert> make_alerts(int count) {
  std::vector<monitors::Alert> alerts;
  for (int i = 0; i < count; ++i) alerts.push_back(make_alert(i));
  return alerts;
}

std::vector<std::string> json_of(const std::vector<monitors::Alert>& alerts) {
  std::vector<std::string> json;
  for (const monitors::Alert& alert : alerts) json.push_back(monitors::to_json(alert));
  return json;
}

std::vector<std::string> ids_of(const std::vector<monitors::Alert>& alerts) {
  std::vector<std::string> ids;
  for (const monitors::Alert& alert : alerts) ids.push_back(alert.id);
  return ids;
}

// The "id" of every line of a JSON Lines file; a line that does not parse fails the test.
std::vector<std::string> ids_in_log(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(record.is_discarded()) << line;
    if (!record.is_discarded()) ids.push_back(record.value("id", std::string("?")));
  }
  return ids;
}

std::int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

class WebhookAlertSinkTest : public ::testing::Test {
 protected:
  WebhookAlertSink::Params params(const std::string& url) {
    WebhookAlertSink::Params params;
    params.url = url;
    params.timeout_ms = kTimeoutMs;
    params.max_attempts = 3;
    params.initial_backoff_ms = 20;
    params.fallback_path = fallback_path_;
    return params;
  }

  std::unique_ptr<WebhookAlertSink> open(const WebhookAlertSink::Params& params) {
    core::Result<std::unique_ptr<WebhookAlertSink>> sink = WebhookAlertSink::open(params);
    EXPECT_TRUE(sink.is_ok()) << sink.status().message();
    return sink.is_ok() ? std::move(sink).value() : nullptr;
  }

  std::filesystem::path fallback_path_ = testing::scratch_dir() / "alerts.jsonl";
};

TEST_F(WebhookAlertSinkTest, PostsEachAlertAsJsonInOrder) {
  HttpTestServer server;
  WebhookAlertSink::Params params;
  params.url = server.url();
  params.fallback_path = fallback_path_;
  auto sink = WebhookAlertSink::open(params);
  ASSERT_TRUE(sink) << sink.status().message();
  const std::vector<monitors::Alert> alerts = make_alerts(20);
  for (const monitors::Alert& alert : alerts) (*sink)->publish(alert);
  const core::Status status = (*sink)->flush();
  ASSERT_TRUE(status.is_ok()) << status.message();

  EXPECT_THAT(server.delivered_bodies(), ElementsAreArray(json_of(alerts)));
  for (const HttpTestServer::Request& request : server.requests()) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/alerts");
    EXPECT_EQ(request.headers.at("content-type"), "application/json");
  }
  const WebhookAlertSink::Counters counters = (*sink)->counters();
  EXPECT_EQ(counters.published, 20u);
  EXPECT_EQ(counters.delivered, 20u);
  EXPECT_EQ(counters.retried_attempts, 0u);
  EXPECT_EQ(counters.fallen_back, 0u);
  EXPECT_EQ(counters.dropped, 0u);
  EXPECT_TRUE(ids_in_log(fallback_path_).empty());
}

TEST_F(WebhookAlertSinkTest, RetriesServerErrorsAndDeliversEachAlertExactlyOnce) {
  HttpTestServer server({.failures = 2});
  std::unique_ptr<WebhookAlertSink> sink = open(params(server.url()));
  const std::vector<monitors::Alert> alerts = make_alerts(5);
  for (const monitors::Alert& alert : alerts) sink->publish(alert);
  const core::Status status = sink->flush();
  ASSERT_TRUE(status.is_ok()) << status.message();

  EXPECT_THAT(server.delivered_bodies(), ElementsAreArray(json_of(alerts)));
  EXPECT_EQ(server.num_requests(), 7u);  // the first alert took three attempts
  const WebhookAlertSink::Counters counters = sink->counters();
  EXPECT_EQ(counters.delivered, 5u);
  EXPECT_EQ(counters.retried_attempts, 2u);
  EXPECT_EQ(counters.fallen_back, 0u);
  EXPECT_EQ(counters.dropped, 0u);
}

TEST_F(WebhookAlertSinkTest, ServerThatAlwaysFailsSendsEveryAlertToTheFallbackLog) {
  HttpTestServer server({.failures = INT_MAX});
  WebhookAlertSink::Params settings = params(server.url());
  settings.initial_backoff_ms = 5;
  std::unique_ptr<WebhookAlertSink> sink = open(settings);
  const std::vector<monitors::Alert> alerts = make_alerts(5);
  for (const monitors::Alert& alert : alerts) sink->publish(alert);
  const core::Status status = sink->flush();

  ASSERT_FALSE(status.is_ok());
  EXPECT_THAT(status.message(), HasSubstr("did not take 5 alert(s)"));
  EXPECT_THAT(status.message(), HasSubstr("alert 'fraud/adwin_error/0': HTTP 500 (3 attempt(s))"));
  EXPECT_THAT(status.message(), HasSubstr(fallback_path_.string()));
  EXPECT_THAT(ids_in_log(fallback_path_), ElementsAreArray(ids_of(alerts)));
  EXPECT_EQ(server.num_requests(), 15u);
  const WebhookAlertSink::Counters counters = sink->counters();
  EXPECT_EQ(counters.delivered, 0u);
  EXPECT_EQ(counters.retried_attempts, 10u);
  EXPECT_EQ(counters.fallen_back, 5u);
  EXPECT_EQ(counters.queue_full, 0u);
  EXPECT_EQ(counters.dropped, 0u);
  EXPECT_TRUE(sink->flush().is_ok()) << "failures are reported once";
}

TEST_F(WebhookAlertSinkTest, RefusedConnectionsSendEveryAlertToTheFallbackLog) {
  std::unique_ptr<WebhookAlertSink> sink =
      open(params("http://127.0.0.1:" + std::to_string(HttpTestServer::closed_port()) + "/alerts"));
  const std::vector<monitors::Alert> alerts = make_alerts(3);
  for (const monitors::Alert& alert : alerts) sink->publish(alert);
  const core::Status status = sink->flush();

  ASSERT_FALSE(status.is_ok());
  EXPECT_THAT(status.message(), HasSubstr("connect"));
  EXPECT_THAT(ids_in_log(fallback_path_), ElementsAreArray(ids_of(alerts)));
  const WebhookAlertSink::Counters counters = sink->counters();
  EXPECT_EQ(counters.fallen_back, 3u);
  EXPECT_EQ(counters.retried_attempts, 6u);
  EXPECT_EQ(counters.dropped, 0u);
}

TEST_F(WebhookAlertSinkTest, HangingServerNeitherSlowsPublishNorLosesAnAlert) {
  HttpTestServer server({.hang = true});
  std::unique_ptr<WebhookAlertSink> sink = open(params(server.url()));
  const std::vector<monitors::Alert> alerts = make_alerts(100);

  const Clock::time_point publish_start = Clock::now();
  for (const monitors::Alert& alert : alerts) sink->publish(alert);
  EXPECT_LT(elapsed_ms(publish_start), kTimeoutMs / 2);

  const Clock::time_point flush_start = Clock::now();
  const core::Status status = sink->flush();
  EXPECT_LT(elapsed_ms(flush_start), sink->retry_budget_ms() + kSlackMs);
  ASSERT_FALSE(status.is_ok());
  EXPECT_THAT(status.message(), HasSubstr("Timeout was reached"));
  EXPECT_THAT(ids_in_log(fallback_path_), ElementsAreArray(ids_of(alerts)));
  EXPECT_GE(server.num_requests(), 1u);
  const WebhookAlertSink::Counters counters = sink->counters();
  EXPECT_EQ(counters.published, 100u);
  EXPECT_EQ(counters.delivered, 0u);
  EXPECT_EQ(counters.fallen_back, 100u);
  EXPECT_EQ(counters.dropped, 0u);
}

TEST_F(WebhookAlertSinkTest, FullQueueSendsAlertsToTheFallbackLogAtOnce) {
  HttpTestServer server({.hang = true});
  WebhookAlertSink::Params settings = params(server.url());
  settings.queue_capacity = 2;
  std::unique_ptr<WebhookAlertSink> sink = open(settings);
  const std::vector<monitors::Alert> alerts = make_alerts(10);

  const Clock::time_point publish_start = Clock::now();
  for (const monitors::Alert& alert : alerts) sink->publish(alert);
  EXPECT_LT(elapsed_ms(publish_start), kTimeoutMs / 2);
  // Two wait in the queue, at most one is with the worker; the rest went to the log at once.
  const WebhookAlertSink::Counters before_flush = sink->counters();
  EXPECT_GE(before_flush.queue_full, 7u);
  EXPECT_EQ(before_flush.fallen_back, before_flush.queue_full);
  EXPECT_EQ(ids_in_log(fallback_path_).size(), before_flush.queue_full);

  const core::Status status = sink->flush();
  ASSERT_FALSE(status.is_ok());
  EXPECT_THAT(status.message(), HasSubstr("queue of 2 alerts waiting for the webhook was full"));
  // Alerts that met a full queue are in the log before older ones still queued then.
  std::vector<std::string> logged = ids_in_log(fallback_path_);
  std::vector<std::string> published = ids_of(alerts);
  std::sort(logged.begin(), logged.end());
  std::sort(published.begin(), published.end());
  EXPECT_EQ(logged, published);
  const WebhookAlertSink::Counters counters = sink->counters();
  EXPECT_EQ(counters.fallen_back, 10u);
  EXPECT_EQ(counters.dropped, 0u);
}

TEST_F(WebhookAlertSinkTest, DestructorWithAHangingServerReturnsWithinTheRetryBudget) {
  HttpTestServer server({.hang = true});
  std::unique_ptr<WebhookAlertSink> sink = open(params(server.url()));
  const std::int64_t budget_ms = sink->retry_budget_ms();
  EXPECT_EQ(budget_ms, 3 * kTimeoutMs + 20 + 40);
  const std::vector<monitors::Alert> alerts = make_alerts(20);
  for (const monitors::Alert& alert : alerts) sink->publish(alert);

  const Clock::time_point destroy_start = Clock::now();
  sink.reset();
  EXPECT_LT(elapsed_ms(destroy_start), budget_ms + kSlackMs);
  EXPECT_THAT(ids_in_log(fallback_path_), ElementsAreArray(ids_of(alerts)));
}

TEST_F(WebhookAlertSinkTest, DestructorInterruptsABackoff) {
  HttpTestServer server({.failures = INT_MAX});
  WebhookAlertSink::Params settings = params(server.url());
  settings.initial_backoff_ms = 60'000;
  std::unique_ptr<WebhookAlertSink> sink = open(settings);
  sink->publish(make_alert(1));
  ASSERT_TRUE(server.wait_for_requests(1, 5000));

  const Clock::time_point destroy_start = Clock::now();
  sink.reset();
  EXPECT_LT(elapsed_ms(destroy_start), kTimeoutMs + kSlackMs);
  EXPECT_EQ(server.num_requests(), 1u);
  EXPECT_THAT(ids_in_log(fallback_path_), ElementsAreArray({make_alert(1).id}));
}

TEST_F(WebhookAlertSinkTest, DestructorDeliversWhatIsQueuedToAHealthyServer) {
  HttpTestServer server;
  std::unique_ptr<WebhookAlertSink> sink = open(params(server.url()));
  const std::vector<monitors::Alert> alerts = make_alerts(10);
  for (const monitors::Alert& alert : alerts) sink->publish(alert);
  sink.reset();

  EXPECT_THAT(server.delivered_bodies(), ElementsAreArray(json_of(alerts)));
  EXPECT_TRUE(ids_in_log(fallback_path_).empty());
}

TEST_F(WebhookAlertSinkTest, ErrorMessagesNameOnlyTheSchemeAndHostOfTheUrl) {
  // Webhook URLs carry secrets in their path or user info; logs must not.
  const std::string port = std::to_string(HttpTestServer::closed_port());
  std::unique_ptr<WebhookAlertSink> sink =
      open(params("http://user:password@127.0.0.1:" + port + "/services/T0/B0/secret-token"));
  sink->publish(make_alert(1));
  const core::Status status = sink->flush();

  ASSERT_FALSE(status.is_ok());
  EXPECT_THAT(status.message(), HasSubstr("http://127.0.0.1:" + port));
  EXPECT_THAT(status.message(), Not(HasSubstr("secret-token")));
  EXPECT_THAT(status.message(), Not(HasSubstr("password")));
}

TEST_F(WebhookAlertSinkTest, RejectsInvalidSettingsListingEveryProblem) {
  WebhookAlertSink::Params settings;
  settings.url = "ftp://example.com/alerts";
  settings.timeout_ms = 0;
  settings.max_attempts = 0;
  settings.initial_backoff_ms = -1;
  settings.queue_capacity = 0;
  core::Result<std::unique_ptr<WebhookAlertSink>> sink = WebhookAlertSink::open(settings);

  ASSERT_FALSE(sink.is_ok());
  const std::string message = sink.status().message();
  EXPECT_THAT(message, HasSubstr("url ftp://example.com must start with http:// or https://"));
  EXPECT_THAT(message, HasSubstr("timeout_ms is 0"));
  EXPECT_THAT(message, HasSubstr("max_attempts is 0"));
  EXPECT_THAT(message, HasSubstr("initial_backoff_ms is -1"));
  EXPECT_THAT(message, HasSubstr("queue_capacity is 0"));
  EXPECT_THAT(message, HasSubstr("fallback_path is empty"));
}

TEST_F(WebhookAlertSinkTest, ReportsAFallbackLogThatCannotBeOpened) {
  HttpTestServer server;
  WebhookAlertSink::Params settings = params(server.url());
  settings.fallback_path = testing::scratch_dir() / "missing-folder" / "alerts.jsonl";
  core::Result<std::unique_ptr<WebhookAlertSink>> sink = WebhookAlertSink::open(settings);

  ASSERT_FALSE(sink.is_ok());
  EXPECT_THAT(sink.status().message(), HasSubstr("cannot open the alert log"));
  EXPECT_THAT(sink.status().message(), HasSubstr("missing-folder"));
}

}  // namespace
}  // namespace streamlearn::connectors
