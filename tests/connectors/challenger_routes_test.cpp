// The champion-and-challenger routes: GET /challenger and POST /challenger/promote answered on
// the "pipeline thread" (here a thread serving OwnerThreadCalls), over real HTTP.

#include "connectors/http/challenger_routes.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/connectors/challenged_evaluator.h"

namespace streamlearn::connectors {
namespace {

struct Reply {
  long status = 0;
  std::string body;
  std::string allow;
};

Reply request(const std::string& url, bool post) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  Reply reply;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  if (post) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* data, std::size_t size, std::size_t count, void* out) {
        static_cast<std::string*>(out)->append(data, size * count);
        return size * count;
      });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(
      curl, CURLOPT_HEADERFUNCTION,
      +[](char* data, std::size_t size, std::size_t count, void* out) {
        const std::string line(data, size * count);
        if (line.rfind("Allow: ", 0) == 0 || line.rfind("allow: ", 0) == 0)
          *static_cast<std::string*>(out) = line.substr(7, line.find('\r') - 7);
        return size * count;
      });
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.allow);
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_easy_cleanup(curl);
  return reply;
}

TEST(ChallengerRoutesTest, ReportsTheComparisonAndPromotesOnThePipelineThread) {
  testing::ChallengedEvaluator challenged;
  stream::PrequentialEvaluator& evaluator = challenged.evaluator;
  core::OwnerThreadCalls calls;
  std::atomic<bool> stop{false};
  std::thread pipeline([&] {
    while (!stop.load()) {
      calls.serve();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  auto server = HttpServer::start({.listen = "127.0.0.1:0"}, challenger_routes(calls, evaluator));
  ASSERT_TRUE(server) << server.status().message();
  const std::string base = "http://" + (*server)->address();

  const Reply report = request(base + "/challenger", false);
  EXPECT_EQ(report.status, 200);
  const auto before = nlohmann::json::parse(report.body);
  EXPECT_EQ(before["model"], "gaussian_nb");
  EXPECT_EQ(before["serving"], "logistic_regression");
  EXPECT_EQ(before["model_version"], 1);
  EXPECT_GT(before["compared"].get<int>(), 90);
  EXPECT_GT(before["challenger_accuracy"].get<double>(), before["champion_accuracy"].get<double>());

  const Reply get_promote = request(base + "/challenger/promote", false);
  EXPECT_EQ(get_promote.status, 405);
  EXPECT_EQ(get_promote.allow, "POST");
  const Reply post_report = request(base + "/challenger", true);
  EXPECT_EQ(post_report.status, 405);
  EXPECT_EQ(post_report.allow, "GET, HEAD");

  const Reply promoted = request(base + "/challenger/promote", true);
  EXPECT_EQ(promoted.status, 200) << promoted.body;
  const auto answer = nlohmann::json::parse(promoted.body);
  EXPECT_EQ(answer["promoted"], true);
  EXPECT_EQ(answer["model_version"], 2);
  EXPECT_EQ(answer["serving"], "gaussian_nb");
  EXPECT_EQ(answer["challenger"], "logistic_regression");

  stop = true;
  pipeline.join();
  EXPECT_EQ(evaluator.model_version(), 2u);
  EXPECT_EQ(evaluator.model().describe(), "gaussian_nb");
  EXPECT_EQ(evaluator.challenger()->promotions(), 1u);
}

}  // namespace
}  // namespace streamlearn::connectors
