#include "connectors/prometheus/metrics_server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

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

}  // namespace
}  // namespace streamlearn::connectors
