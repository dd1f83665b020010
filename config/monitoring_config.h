#pragma once

/// MonitoringConfig: the `pipeline` name and the `monitoring` section of a pipeline configuration
/// (JSON), as `streamlearn evaluate --config` reads it and `streamlearn run` will: which monitors
/// watch the model, their windows and alert policies, what to do on drift, and where alerts go.
/// The schema, with a complete example, is in the README ("Monitoring configuration").
/// Validation reports every error at once, each with its JSON path, what is wrong and what is
/// allowed.

#include <optional>
#include <string>
#include <string_view>

#include "connectors/alerts/webhook_alert_sink.h"
#include "core/status.h"
#include "stream/model_monitor.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::config {

struct AlertSinksConfig {
  bool stdout_sink = false;
  std::string file;  // JSON Lines, appended; empty: none
  std::optional<connectors::WebhookAlertSink::Params> webhook;
};

struct MonitoringConfig {
  stream::ModelMonitor::Params monitor;
  stream::OnDrift on_drift = stream::OnDrift::kNone;
  AlertSinksConfig alerts;
};

/// Reads `pipeline` and `monitoring` from a whole configuration document; other top-level keys
/// belong to other sections and are not checked here. `source` names the document in errors.
core::Result<MonitoringConfig> parse_monitoring_config(std::string_view json_text,
                                                       std::string_view source,
                                                       bool classification);
core::Result<MonitoringConfig> load_monitoring_config(const std::string& path, bool classification);

}  // namespace streamlearn::config
