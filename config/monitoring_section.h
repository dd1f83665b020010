#pragma once

/// The readers of the `pipeline` and `monitoring` keys of a configuration document, shared by
/// parse_monitoring_config (`streamlearn evaluate --config`) and parse_pipeline_config
/// (`streamlearn run`, `streamlearn validate`) so that both read them the same way. Internal to
/// config/ (it exposes JsonObjectReader). The semantic checks (detector names, metrics against the
/// model's task) are ModelMonitor::validate's, which the callers run.

#include "config/json_object_reader.h"
#include "config/monitoring_config.h"

namespace streamlearn::config {

/// Reads `pipeline` (a non-empty string; "default" when absent) into config.monitor.pipeline.
void read_pipeline_name(JsonObjectReader& root, MonitoringConfig& config);

/// Reads the `monitoring` section, when present, into `config`.
void read_monitoring_section(JsonObjectReader& root, MonitoringConfig& config);

}  // namespace streamlearn::config
