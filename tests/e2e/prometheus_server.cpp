#include "tests/e2e/prometheus_server.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/deploy/deploy_files.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

/// A loopback port free right now (bound, read back, released).
core::Result<int> free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return core::Status::error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!bound) return core::Status::error("no free loopback port");
  return static_cast<int>(ntohs(address.sin_port));
}

std::string url_escape(const std::string& text) {
  CURL* curl = curl_easy_init();
  char* escaped = curl_easy_escape(curl, text.c_str(), static_cast<int>(text.size()));
  std::string result = escaped ? escaped : "";
  curl_free(escaped);
  curl_easy_cleanup(curl);
  return result;
}

core::Result<nlohmann::json> data_of(const core::Result<HttpReply>& reply,
                                     const std::string& what) {
  if (!reply) return reply.status();
  const nlohmann::json answer = nlohmann::json::parse(reply->body, nullptr, false);
  if (!answer.is_object())
    return core::Status::error(what + ": not JSON (HTTP " + std::to_string(reply->status) +
                               "): " + reply->body);
  if (answer.value("status", "") != "success")
    return core::Status::error(what + ": " + answer.value("errorType", "") + ": " +
                               answer.value("error", reply->body));
  return answer.at("data");
}

}  // namespace

core::Result<HttpReply> http_get(const std::string& url) {
  CURL* curl = curl_easy_init();
  if (!curl) return core::Status::error("curl_easy_init failed");
  HttpReply reply;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) return core::Status::error("GET " + url + ": " + curl_easy_strerror(code));
  return reply;
}

bool PrometheusServer::installed() {
  std::string path;
  return run_command("command -v prometheus >/dev/null 2>&1", &path) == 0;
}

core::Result<PrometheusServer> PrometheusServer::start(const std::filesystem::path& dir,
                                                       const std::string& target) {
  std::filesystem::create_directories(dir);
  // The shipped files, with only the scrape target changed.
  std::string config = deploy::read_text(deploy::source_path("deploy/prometheus/prometheus.yml"));
  const std::string shipped_target = "- 127.0.0.1:9464";
  const std::size_t at = config.find(shipped_target);
  if (at == std::string::npos)
    return core::Status::error("deploy/prometheus/prometheus.yml has no target '" + shipped_target +
                               "' to point at the pipeline");
  config.replace(at, shipped_target.size(), "- " + target);
  std::ofstream(dir / "prometheus.yml") << config;
  std::filesystem::copy_file(deploy::source_path("deploy/prometheus/rules.yml"), dir / "rules.yml",
                             std::filesystem::copy_options::overwrite_existing);

  auto port = free_port();
  if (!port) return port.status();
  const std::string address = "127.0.0.1:" + std::to_string(*port);
  auto process = ChildProcess::start("prometheus",
                                     {"--config.file=" + (dir / "prometheus.yml").string(),
                                      "--storage.tsdb.path=" + (dir / "data").string(),
                                      "--web.listen-address=" + address, "--log.level=warn"},
                                     dir, "prometheus");
  if (!process) return process.status();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    auto ready = http_get("http://" + address + "/-/ready");
    if (ready && ready->status == 200) return PrometheusServer(std::move(*process), address);
    if (!process->running())
      return core::Status::error("prometheus exited: " + process->stderr_text());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return core::Status::error("prometheus not ready within 30 s: " + process->stderr_text());
}

core::Result<nlohmann::json> PrometheusServer::query(const std::string& expr) const {
  return data_of(http_get("http://" + address_ + "/api/v1/query?query=" + url_escape(expr)),
                 "query '" + expr + "'");
}

core::Result<nlohmann::json> PrometheusServer::api(const std::string& path) const {
  return data_of(http_get("http://" + address_ + "/api/v1/" + path), path);
}

core::Result<std::string> PrometheusServer::alert_state(const std::string& name) const {
  auto rules = api("rules?type=alert");
  if (!rules) return rules.status();
  for (const nlohmann::json& group : rules->at("groups"))
    for (const nlohmann::json& rule : group.at("rules"))
      if (rule.value("name", "") == name) return rule.value("state", "");
  return core::Status::error("no alerting rule " + name + " loaded");
}

}  // namespace streamlearn::testing
