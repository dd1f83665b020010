#pragma once

/// PrometheusServer: Debian's `prometheus` started by a test, on a free loopback port, with the
/// shipped deploy/prometheus/prometheus.yml and rules.yml (copied into the test's folder, the
/// scrape target replaced by the pipeline's metrics address: nothing else changes), and its HTTP
/// API (instant queries, rules, alerts). Stopped and reaped by the destructor.
///
/// Also http_get(), the plain HTTP client the observability tests use for /metrics, /healthz
/// and /readyz.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/status.h"
#include "tests/kafka/kafka_test_kit.h"

namespace streamlearn::testing {

struct HttpReply {
  long status = 0;
  std::string body;
};

/// GET `url` (5 s timeout); an error when no HTTP answer came.
core::Result<HttpReply> http_get(const std::string& url);

class PrometheusServer {
 public:
  /// Whether the `prometheus` binary is installed.
  static bool installed();
  /// Starts it in `dir` scraping `target` ("127.0.0.1:PORT") and waits until it is ready.
  static core::Result<PrometheusServer> start(const std::filesystem::path& dir,
                                              const std::string& target);

  /// The `data` of an instant query's answer (resultType and result), or the error Prometheus
  /// gave (a parse error names the expression).
  core::Result<nlohmann::json> query(const std::string& expr) const;
  /// GET /api/v1/<path>: the answer's `data`.
  core::Result<nlohmann::json> api(const std::string& path) const;
  /// The state of alert `name`: "inactive", "pending" or "firing" (from /api/v1/rules).
  core::Result<std::string> alert_state(const std::string& name) const;

  const std::string& address() const { return address_; }
  std::string log() const { return process_.stderr_text(); }

 private:
  PrometheusServer(ChildProcess process, std::string address)
      : process_(std::move(process)), address_(std::move(address)) {}

  ChildProcess process_;
  std::string address_;
};

}  // namespace streamlearn::testing
