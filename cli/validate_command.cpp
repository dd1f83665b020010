#include "cli/validate_command.h"

#include <cstdio>
#include <string>
#include <vector>

#include "cli/flag_set.h"
#include "config/pipeline_config.h"

namespace streamlearn::cli {
namespace {

constexpr const char* kSummary =
    "Checks a pipeline configuration as 'streamlearn run' reads it, after the --set overrides,\n"
    "and reports every error at once with its JSON path. Connects to nothing: topics and the\n"
    "cluster are not checked for existence. Exit code 0 when valid, 2 when not.\n"
    "A --set value is JSON when it parses as JSON (500, true, [\"a\"], null removes the key),\n"
    "else a string.\n"
    "Example: streamlearn validate --config deploy/examples/pipeline.json \\\n"
    "           --set source.group_id=g2 --set source.rate=500";

std::string join(const std::vector<std::string>& names, const char* separator) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : separator) + name;
  return joined;
}

/// "pipeline NAME, model EXPR, topics ..., outputs ...": what the run would do.
std::string summary(const config::PipelineConfig& config) {
  std::string line = "pipeline " + config.monitoring.monitor.pipeline + ", model " + config.model;
  line += config.source.topic_pattern.empty() ? ", topics " + join(config.source.topics, ",")
                                              : ", topics matching " + config.source.topic_pattern;
  if (!config.source.labels_topic.empty())
    line += " (labels from " + config.source.labels_topic + ")";
  std::vector<std::string> outputs;
  const std::pair<const char*, const std::string*> named[] = {
      {"predictions", &config.outputs.predictions},
      {"alerts", &config.outputs.alerts},
      {"dead_letter", &config.outputs.dead_letter},
      {"features", &config.outputs.features}};
  for (const auto& [name, topic] : named)
    if (!topic->empty()) outputs.push_back(std::string(name) + "=" + *topic);
  line += ", outputs " + (outputs.empty() ? std::string("none") : join(outputs, " "));
  return line;
}

}  // namespace

int validate_command(int argc, char** argv, int first) {
  std::string path;
  std::vector<std::string> overrides;
  FlagSet flags("validate", kSummary);
  flags.add_string("config", &path, "FILE", "the pipeline configuration (JSON; README)");
  flags.add_strings("set", &overrides, "KEY.PATH=VALUE",
                    "override a value before validation, e.g. source.rate=500 (repeatable, "
                    "applied in order)");
  flags.require("config");
  if (const std::optional<int> exit_code = flags.parse_or_exit(argc, argv, first))
    return *exit_code;

  auto config = config::load_pipeline_config(path, overrides);
  if (!config) {
    std::fprintf(stderr, "streamlearn validate: %s\n", config.status().message().c_str());
    return 2;
  }
  std::printf("configuration %s is valid: %s\n", path.c_str(), summary(*config).c_str());
  return 0;
}

}  // namespace streamlearn::cli
