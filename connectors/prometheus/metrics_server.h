#pragma once

/// MetricsServer: the HTTP endpoints of a pipeline process, on one port (`metrics.listen`,
/// default 127.0.0.1:9464):
///
///   /metrics  the Prometheus text format of PipelineMetrics (the catalogue in README.md);
///   /healthz  liveness: 200 while the pipeline thread publishes (it does about every second,
///             busy or idle); 503 once it has been silent for `liveness_timeout_s` (stuck);
///   /readyz   readiness: 200 while the pipeline is consuming (Kafka: partitions assigned), 503
///             before, during a rebalance that leaves it none, and while shutting down;
///   /features/{key}  the window aggregates of a key, when the model has window steps.
///
/// The server runs on its own thread (HttpServer); scrapes read the registry, never the pipeline.

#include <memory>
#include <string>
#include <vector>

#include "connectors/http/http_server.h"
#include "connectors/prometheus/pipeline_metrics.h"
#include "core/status.h"

namespace streamlearn::connectors {

class MetricsServer {
 public:
  struct Params {
    std::string listen = "127.0.0.1:9464";
    /// The setting `listen` came from, for error messages.
    std::string listen_setting = "metrics.listen";
    double liveness_timeout_s = 60.0;
  };

  /// `metrics` must outlive the server. `more_routes` are served on the same port (the feature
  /// lookup of connectors/http/feature_lookup_route.h).
  static core::Result<std::unique_ptr<MetricsServer>> start(
      Params params, const PipelineMetrics& metrics,
      std::vector<HttpServer::Route> more_routes = {});

  /// "127.0.0.1:PORT", the real port when 0 was asked for.
  const std::string& address() const { return server_->address(); }

 private:
  explicit MetricsServer(std::unique_ptr<HttpServer> server) : server_(std::move(server)) {}

  std::unique_ptr<HttpServer> server_;
};

}  // namespace streamlearn::connectors
