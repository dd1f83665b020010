#include "config/monitoring_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace streamlearn::config {
namespace {

using Json = nlohmann::json;
using monitors::WindowLength;

/// Typed reads of one JSON object's keys, collecting errors (with their JSON path) instead of
/// stopping at the first; finish() reports the keys nobody asked for.
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string path, std::vector<std::string>& errors)
      : object_(object), path_(std::move(path)), errors_(errors) {
    if (!object_.is_object()) error("", "must be an object");
  }

  std::optional<std::string> text(const std::string& key) {
    const Json* value = find(key);
    if (!value) return std::nullopt;
    if (!value->is_string()) return error(key, "must be a string"), std::nullopt;
    return value->get<std::string>();
  }
  std::optional<double> number(const std::string& key) {
    const Json* value = find(key);
    if (!value) return std::nullopt;
    if (!value->is_number()) return error(key, "must be a number"), std::nullopt;
    return value->get<double>();
  }
  std::optional<std::int64_t> count(const std::string& key, std::int64_t min, std::int64_t max) {
    const Json* value = find(key);
    if (!value) return std::nullopt;
    if (!value->is_number_integer() || value->get<std::int64_t>() < min ||
        value->get<std::int64_t>() > max)
      return error(key, "must be an integer from " + std::to_string(min) + " to " +
                            std::to_string(max)),
             std::nullopt;
    return value->get<std::int64_t>();
  }
  std::optional<bool> boolean(const std::string& key) {
    const Json* value = find(key);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) return error(key, "must be true or false"), std::nullopt;
    return value->get<bool>();
  }
  /// A count of events (a JSON integer or "5000") or an event-time span ("10m").
  std::optional<WindowLength> length(const std::string& key) {
    const Json* value = find(key);
    if (!value) return std::nullopt;
    if (value->is_number_integer() && value->get<std::int64_t>() >= 0)
      return WindowLength::events(value->get<std::int64_t>());
    if (value->is_string()) {
      auto parsed = WindowLength::parse(value->get<std::string>());
      if (parsed) return *parsed;
      return error(key, parsed.status().message()), std::nullopt;
    }
    return error(key, "must be a count of events (5000) or an event-time span (\"10m\")"),
           std::nullopt;
  }
  const Json* child(const std::string& key) { return find(key); }

  std::string path_of(const std::string& key) const { return path_ + "." + key; }
  void error(const std::string& key, const std::string& what) {
    errors_.push_back((key.empty() ? path_ : path_of(key)) + ": " + what);
  }

  void finish() {
    if (!object_.is_object()) return;
    for (const auto& [key, value] : object_.items()) {
      if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
      std::string allowed;
      for (const std::string& name : known_) allowed += (allowed.empty() ? "" : ", ") + name;
      errors_.push_back(path_of(key) + ": unknown key; allowed here: " + allowed);
    }
  }

 private:
  const Json* find(const std::string& key) {
    known_.push_back(key);
    if (!object_.is_object()) return nullptr;
    auto found = object_.find(key);
    return found == object_.end() ? nullptr : &*found;
  }

  const Json& object_;
  std::string path_;
  std::vector<std::string>& errors_;
  std::vector<std::string> known_;
};

void read_policy(ObjectReader& reader, monitors::AlertPolicy::Params& policy) {
  if (auto value = reader.count("min_samples", 0, INT64_MAX)) policy.min_samples = *value;
  if (auto value = reader.count("consecutive", 1, 1000))
    policy.consecutive = static_cast<std::uint32_t>(*value);
  if (auto value = reader.length("cooldown")) policy.cooldown = *value;
}

void read_windows(ObjectReader& reader, WindowLength& reference, WindowLength& window,
                  WindowLength& step) {
  if (auto value = reader.length("reference")) reference = *value;
  if (auto value = reader.length("window")) window = *value;
  if (auto value = reader.length("step")) step = *value;
}

monitors::DataDriftMonitor::Params read_data_drift(ObjectReader& reader) {
  monitors::DataDriftMonitor::Params params;
  read_windows(reader, params.reference, params.window, params.step);
  if (auto value = reader.text("statistic")) params.statistic = *value;
  if (auto value = reader.number("threshold")) {
    params.policy.threshold = *value;
    params.use_default_threshold = false;
  }
  read_policy(reader, params.policy);
  if (auto value = reader.count("bins", 2, 10'000)) params.num_bins = static_cast<std::size_t>(*value);
  if (auto value = reader.count("max_categories", 1, 100'000))
    params.max_categories = static_cast<std::uint32_t>(*value);
  if (auto value = reader.count("max_reference_samples", 2, 100'000'000))
    params.max_reference_samples = static_cast<std::size_t>(*value);
  return params;
}

void read_alerts(ObjectReader& reader, AlertSinksConfig& alerts, std::vector<std::string>& errors) {
  if (auto value = reader.boolean("stdout")) alerts.stdout_sink = *value;
  if (auto value = reader.text("file")) alerts.file = *value;
  if (const Json* webhook = reader.child("webhook")) {
    ObjectReader hook(*webhook, reader.path_of("webhook"), errors);
    connectors::WebhookAlertSink::Params params;
    if (auto value = hook.text("url")) params.url = *value;
    else hook.error("url", "is required (http:// or https://)");
    if (auto value = hook.count("timeout_ms", 1, 600'000)) params.timeout_ms = *value;
    if (auto value = hook.count("max_attempts", 1, 20)) params.max_attempts = static_cast<int>(*value);
    if (auto value = hook.count("initial_backoff_ms", 0, 600'000)) params.initial_backoff_ms = *value;
    if (auto value = hook.count("queue_capacity", 1, 1'000'000))
      params.queue_capacity = static_cast<std::size_t>(*value);
    if (auto value = hook.text("fallback_file")) params.fallback_path = *value;
    else hook.error("fallback_file", "is required: the local alert log for what the webhook does not take");
    hook.finish();
    alerts.webhook = params;
  }
}

}  // namespace

core::Result<MonitoringConfig> parse_monitoring_config(std::string_view json_text,
                                                       std::string_view source,
                                                       bool classification) {
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::parse_error& error) {
    return core::Status::error(std::string(source) + ": not valid JSON: " + error.what());
  }
  MonitoringConfig config;
  std::vector<std::string> errors;
  if (!root.is_object()) return core::Status::error(std::string(source) + ": must be a JSON object");
  if (auto found = root.find("pipeline"); found != root.end()) {
    if (found->is_string() && !found->get<std::string>().empty())
      config.monitor.pipeline = found->get<std::string>();
    else
      errors.push_back("$.pipeline: must be a non-empty string");
  }
  if (auto found = root.find("monitoring"); found != root.end()) {
    ObjectReader monitoring(*found, "$.monitoring", errors);
    if (const Json* node = monitoring.child("concept_drift")) {
      ObjectReader reader(*node, monitoring.path_of("concept_drift"), errors);
      if (auto value = reader.text("detector")) config.monitor.drift_detector = *value;
      else reader.error("detector", "is required, e.g. \"adwin\" or \"ddm(warning_threshold=2)\"");
      if (auto value = reader.text("on_drift")) {
        auto parsed = stream::parse_on_drift(*value);
        if (parsed) config.on_drift = *parsed;
        else reader.error("on_drift", parsed.status().message());
      }
      read_policy(reader, config.monitor.concept_policy);
      reader.finish();
    }
    if (const Json* node = monitoring.child("performance")) {
      if (!node->is_array()) monitoring.error("performance", "must be an array of monitors");
      for (std::size_t i = 0; node->is_array() && i < node->size(); ++i) {
        ObjectReader reader((*node)[i], "$.monitoring.performance[" + std::to_string(i) + "]",
                            errors);
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
      ObjectReader reader(*node, monitoring.path_of("feature_drift"), errors);
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
        ObjectReader reader(*node, monitoring.path_of(name), errors);
        auto params = read_data_drift(reader);
        reader.finish();
        (std::string_view(name) == "label_drift" ? config.monitor.label_drift
                                                 : config.monitor.prediction_drift) = params;
      }
    }
    if (const Json* node = monitoring.child("alerts")) {
      ObjectReader reader(*node, monitoring.path_of("alerts"), errors);
      read_alerts(reader, config.alerts, errors);
      reader.finish();
    }
    monitoring.finish();
  }
  if (errors.empty()) {
    if (core::Status status = stream::ModelMonitor::validate(config.monitor, classification); !status)
      errors.push_back("$.monitoring: " + status.message());
  }
  if (!errors.empty()) {
    std::string message = std::string(source) + ": invalid configuration (" +
                          std::to_string(errors.size()) + " error" +
                          (errors.size() > 1 ? "s" : "") + "):";
    for (const std::string& error : errors) message += "\n  " + error;
    return core::Status::error(message);
  }
  return config;
}

core::Result<MonitoringConfig> load_monitoring_config(const std::string& path, bool classification) {
  std::ifstream file(path);
  if (!file)
    return core::Status::error("cannot read configuration '" + path +
                               "': check that the file exists and is readable");
  std::ostringstream text;
  text << file.rdbuf();
  return parse_monitoring_config(text.str(), path, classification);
}

}  // namespace streamlearn::config
