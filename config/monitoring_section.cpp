#include "config/monitoring_section.h"

#include <algorithm>
#include <string>
#include <utility>

namespace streamlearn::config {
namespace {

using Json = JsonObjectReader::Json;
using monitors::WindowLength;

void read_policy(JsonObjectReader& reader, monitors::AlertPolicy::Params& policy) {
  if (auto value = reader.count("min_samples", 0, INT64_MAX)) policy.min_samples = *value;
  if (auto value = reader.count("consecutive", 1, 1000))
    policy.consecutive = static_cast<std::uint32_t>(*value);
  if (auto value = reader.length("cooldown")) policy.cooldown = *value;
}

void read_windows(JsonObjectReader& reader, WindowLength& reference, WindowLength& window,
                  WindowLength& step) {
  if (auto value = reader.length("reference")) reference = *value;
  if (auto value = reader.length("window")) window = *value;
  if (auto value = reader.length("step")) step = *value;
}

monitors::DataDriftMonitor::Params read_data_drift(JsonObjectReader& reader) {
  monitors::DataDriftMonitor::Params params;
  read_windows(reader, params.reference, params.window, params.step);
  if (auto value = reader.text("statistic")) params.statistic = *value;
  if (auto value = reader.number("threshold")) {
    params.policy.threshold = *value;
    params.use_default_threshold = false;
  }
  read_policy(reader, params.policy);
  if (auto value = reader.count("bins", 2, 10'000))
    params.num_bins = static_cast<std::size_t>(*value);
  if (auto value = reader.count("max_categories", 1, 100'000))
    params.max_categories = static_cast<std::uint32_t>(*value);
  if (auto value = reader.count("max_reference_samples", 2, 100'000'000))
    params.max_reference_samples = static_cast<std::size_t>(*value);
  return params;
}

void read_alerts(JsonObjectReader& reader, AlertSinksConfig& alerts) {
  if (auto value = reader.boolean("stdout")) alerts.stdout_sink = *value;
  if (auto value = reader.text("file")) alerts.file = *value;
  if (const Json* webhook = reader.child("webhook")) {
    JsonObjectReader hook(*webhook, reader.path_of("webhook"), reader.errors());
    connectors::WebhookAlertSink::Params params;
    if (auto value = hook.text("url"))
      params.url = *value;
    else
      hook.error("url", "is required (http:// or https://)");
    if (auto value = hook.count("timeout_ms", 1, 600'000)) params.timeout_ms = *value;
    if (auto value = hook.count("max_attempts", 1, 20))
      params.max_attempts = static_cast<int>(*value);
    if (auto value = hook.count("initial_backoff_ms", 0, 600'000))
      params.initial_backoff_ms = *value;
    if (auto value = hook.count("queue_capacity", 1, 1'000'000))
      params.queue_capacity = static_cast<std::size_t>(*value);
    if (auto value = hook.text("fallback_file"))
      params.fallback_path = *value;
    else
      hook.error("fallback_file",
                 "is required: the local alert log for what the webhook does not take");
    hook.finish();
    alerts.webhook = params;
  }
}

}  // namespace

void read_pipeline_name(JsonObjectReader& root, MonitoringConfig& config) {
  if (const Json* found = root.child("pipeline")) {
    if (found->is_string() && !found->get<std::string>().empty())
      config.monitor.pipeline = found->get<std::string>();
    else
      root.error("pipeline", "must be a non-empty string");
  }
}

void read_monitoring_section(JsonObjectReader& root, MonitoringConfig& config) {
  const Json* section = root.child("monitoring");
  if (!section) return;
  std::vector<std::string>& errors = root.errors();
  JsonObjectReader monitoring(*section, root.path_of("monitoring"), errors);
  if (const Json* node = monitoring.child("concept_drift")) {
    JsonObjectReader reader(*node, monitoring.path_of("concept_drift"), errors);
    if (auto value = reader.text("detector"))
      config.monitor.drift_detector = *value;
    else
      reader.error("detector", "is required, e.g. \"adwin\" or \"ddm(warning_threshold=2)\"");
    if (auto value = reader.text("on_drift")) {
      auto parsed = stream::parse_on_drift(*value);
      if (parsed)
        config.on_drift = *parsed;
      else
        reader.error("on_drift", parsed.status().message());
    }
    read_policy(reader, config.monitor.concept_policy);
    reader.finish();
  }
  if (const Json* node = monitoring.child("performance")) {
    if (!node->is_array()) monitoring.error("performance", "must be an array of monitors");
    for (std::size_t i = 0; node->is_array() && i < node->size(); ++i) {
      JsonObjectReader reader(
          (*node)[i], monitoring.path_of("performance") + "[" + std::to_string(i) + "]", errors);
      stream::ModelMonitor::NamedPerformance performance;
      if (auto value = reader.text("metric")) performance.params.metric = *value;
      performance.name = performance.params.metric + "_drop";
      if (auto value = reader.text("name")) performance.name = *value;
      read_windows(reader, performance.params.reference, performance.params.window,
                   performance.params.step);
      if (auto value = reader.boolean("relative")) performance.params.relative = *value;
      if (auto value = reader.number("threshold")) performance.params.policy.threshold = *value;
      read_policy(reader, performance.params.policy);
      reader.finish();
      config.monitor.performance.push_back(std::move(performance));
    }
  }
  if (const Json* node = monitoring.child("feature_drift")) {
    JsonObjectReader reader(*node, monitoring.path_of("feature_drift"), errors);
    stream::ModelMonitor::FeatureDrift drift;
    if (const Json* features = reader.child("features")) {
      if (features->is_string() && features->get<std::string>() == "all") {
      } else if (features->is_array() && !features->empty() &&
                 std::all_of(features->begin(), features->end(),
                             [](const Json& name) { return name.is_string(); })) {
        for (const Json& name : *features) drift.features.push_back(name.get<std::string>());
      } else {
        reader.error("features", "must be \"all\" or a non-empty array of feature names");
      }
    }
    if (auto value = reader.count("max_features", 1, 100'000))
      drift.max_features = static_cast<std::size_t>(*value);
    drift.params = read_data_drift(reader);
    reader.finish();
    config.monitor.feature_drift = std::move(drift);
  }
  for (const char* name : {"prediction_drift", "label_drift"}) {
    if (const Json* node = monitoring.child(name)) {
      JsonObjectReader reader(*node, monitoring.path_of(name), errors);
      auto params = read_data_drift(reader);
      reader.finish();
      (std::string_view(name) == "label_drift" ? config.monitor.label_drift
                                               : config.monitor.prediction_drift) = params;
    }
  }
  if (const Json* node = monitoring.child("alerts")) {
    JsonObjectReader reader(*node, monitoring.path_of("alerts"), errors);
    read_alerts(reader, config.alerts);
    reader.finish();
  }
  monitoring.finish();
}

}  // namespace streamlearn::config
