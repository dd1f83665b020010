#include "connectors/prometheus/metrics_server.h"

#include <cstdio>
#include <utility>
#include <vector>

namespace streamlearn::connectors {

core::Result<std::unique_ptr<MetricsServer>> MetricsServer::start(
    Params params, const PipelineMetrics& metrics, std::vector<HttpServer::Route> more_routes) {
  using Response = HttpServer::Response;
  const PipelineMetrics* watched = &metrics;
  const double timeout_s = params.liveness_timeout_s;
  std::vector<HttpServer::Route> routes = std::move(more_routes);
  routes.push_back({"/metrics", [watched](std::string_view, std::string_view) {
                      return Response{.content_type = "text/plain; version=0.0.4; charset=utf-8",
                                      .body = watched->scrape()};
                    }});
  routes.push_back({"/healthz", [watched, timeout_s](std::string_view, std::string_view) {
                      const double silent = watched->seconds_since_publish();
                      if (silent <= timeout_s) return Response{.body = "ok\n"};
                      char body[160];
                      std::snprintf(body, sizeof(body),
                                    "stuck: the pipeline thread has not reported for %.0f s "
                                    "(limit %.0f s)\n",
                                    silent, timeout_s);
                      return Response{.status = 503, .body = body};
                    }});
  routes.push_back({"/readyz", [watched](std::string_view, std::string_view) {
                      if (watched->ready()) return Response{.body = "ready\n"};
                      return Response{.status = 503,
                                      .body =
                                          "not ready: the pipeline is not consuming (starting, "
                                          "no partitions assigned, or shutting down)\n"};
                    }});
  auto server = HttpServer::start(
      {.listen = params.listen, .listen_setting = params.listen_setting}, std::move(routes));
  if (!server) return server.status();
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(*server)));
}

}  // namespace streamlearn::connectors
