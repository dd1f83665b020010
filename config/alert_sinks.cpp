#include "config/alert_sinks.h"

#include <cstdio>

#include "connectors/alerts/json_lines_alert_sink.h"
#include "connectors/alerts/webhook_alert_sink.h"

namespace streamlearn::config {

core::Result<std::vector<std::unique_ptr<monitors::AlertSink>>> open_alert_sinks(
    const AlertSinksConfig& alerts) {
  std::vector<std::unique_ptr<monitors::AlertSink>> sinks;
  if (alerts.stdout_sink) sinks.push_back(std::make_unique<connectors::JsonLinesAlertSink>(stdout));
  if (alerts.webhook) {
    auto webhook = connectors::WebhookAlertSink::open(*alerts.webhook);
    if (!webhook) return webhook.status();
    sinks.push_back(std::move(*webhook));
  } else if (!alerts.file.empty()) {
    auto file = connectors::JsonLinesAlertSink::open(alerts.file);
    if (!file) return file.status();
    sinks.push_back(std::move(*file));
  }
  return sinks;
}

}  // namespace streamlearn::config
