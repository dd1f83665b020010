#pragma once

/// Opens the alert sinks an AlertSinksConfig names (stdout, the JSON Lines file, the webhook with
/// that file as its fallback), as `evaluate` and `run` both do.

#include <memory>
#include <vector>

#include "config/monitoring_config.h"
#include "core/status.h"
#include "monitors/alerts/alert_sink.h"

namespace streamlearn::config {

core::Result<std::vector<std::unique_ptr<monitors::AlertSink>>> open_alert_sinks(
    const AlertSinksConfig& alerts);

}  // namespace streamlearn::config
