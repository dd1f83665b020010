#include "config/monitoring_config.h"

#include <vector>

#include "config/json_object_reader.h"
#include "config/monitoring_section.h"

namespace streamlearn::config {

core::Result<MonitoringConfig> parse_monitoring_config(std::string_view json_text,
                                                       std::string_view source,
                                                       bool classification) {
  auto root = JsonObjectReader::parse_document(json_text, source);
  if (!root) return root.status();
  if (!root->is_object())
    return core::Status::error(std::string(source) + ": must be a JSON object");
  MonitoringConfig config;
  std::vector<std::string> errors;
  // Other top-level keys belong to other sections, so this reader's finish() is not called.
  JsonObjectReader reader(*root, "$", errors);
  read_pipeline_name(reader, config);
  read_monitoring_section(reader, config);
  if (errors.empty()) {
    if (core::Status status = stream::ModelMonitor::validate(config.monitor, classification);
        !status)
      errors.push_back("$.monitoring: " + status.message());
  }
  SL_RETURN_IF_ERROR(JsonObjectReader::report(source, errors));
  return config;
}

core::Result<MonitoringConfig> load_monitoring_config(const std::string& path,
                                                      bool classification) {
  auto text = JsonObjectReader::read_file(path);
  if (!text) return text.status();
  return parse_monitoring_config(*text, path, classification);
}

}  // namespace streamlearn::config
