#include "cli/models_command.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "cli/flag_set.h"
#include "connectors/files/model_registry.h"

namespace streamlearn::cli {
namespace {

constexpr const char* kUsage =
    "usage: streamlearn models <list|show|export|rollback> --checkpoint-dir DIR [flags]\n"
    "\n"
    "The model versions a pipeline recorded in its checkpoint directory (DIR/models/):\n"
    "  list      a table: version, reason, created, events, main metric, serving or retired\n"
    "  show      --version V: the metadata of one version as JSON\n"
    "  export    --version V|current --output FILE: a self-contained model file, for\n"
    "            'evaluate --warm-start FILE' or the configuration's warm_start\n"
    "  rollback  --version V: the pipeline serves version V again (as a new version) from its\n"
    "            next checkpoint, or its next start when it is stopped\n"
    "\n"
    "The learners a model expression can name: streamlearn learners\n";

int fail(const std::string& message, int exit_code = 1) {
  std::fprintf(stderr, "streamlearn models: %s\n", message.c_str());
  return exit_code;
}

/// "current" -> nullopt; a number -> itself; anything else: an error.
core::Result<std::optional<std::uint64_t>> parse_version(const std::string& text,
                                                         bool current_allowed) {
  if (current_allowed && text == "current") return std::optional<std::uint64_t>();
  std::uint64_t version = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || version == 0)
    return core::Status::error("--version expects a version number (1, 2, ...)" +
                               std::string(current_allowed ? " or 'current'" : "") + ", got '" +
                               text + "'");
  return std::optional<std::uint64_t>(version);
}

std::string format_metric(const std::optional<double>& value) {
  if (!value) return "-";
  char text[32];
  std::snprintf(text, sizeof(text), "%.6f", *value);
  return text;
}

int list(connectors::ModelRegistry& registry) {
  auto summaries = registry.summaries();
  if (!summaries) return fail(summaries.status().message());
  if (summaries->empty()) {
    std::printf("no model versions in %s yet\n", registry.path().c_str());
    return 0;
  }
  const std::string metric = summaries->front().metric.empty() ? "metric" : summaries->front().metric;
  const int metric_width = static_cast<int>(metric.size()) + 9;  // "@created" and a space
  std::size_t reason_width = 6;
  for (const connectors::ModelRegistry::Summary& summary : *summaries)
    reason_width = std::max(reason_width, summary.reason.size());
  const int reason_columns = static_cast<int>(reason_width);
  std::printf("%-8s %-*s %-24s %-10s %-*s %-*s %s\n", "version", reason_columns, "reason",
              "created", "events", metric_width, (metric + "@created").c_str(), metric_width,
              (metric + "@retired").c_str(), "status");
  for (const connectors::ModelRegistry::Summary& summary : *summaries)
    std::printf("%-8llu %-*s %-24s %-10llu %-*s %-*s %s\n",
                static_cast<unsigned long long>(summary.version), reason_columns,
                summary.reason.c_str(),
                summary.created.c_str(), static_cast<unsigned long long>(summary.events),
                metric_width, format_metric(summary.metric_at_creation).c_str(), metric_width,
                format_metric(summary.metric_at_retirement).c_str(),
                summary.serving ? "serving" : "retired");
  return 0;
}

}  // namespace

int models_command(int argc, char** argv, int first) {
  if (first >= argc) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string_view action = argv[first];
  if (action == "--help" || action == "-h" || action == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (action != "list" && action != "show" && action != "export" && action != "rollback") {
    std::fprintf(stderr, "streamlearn models: unknown action '%.*s'\n\n%s",
                 static_cast<int>(action.size()), action.data(), kUsage);
    return 2;
  }
  std::string checkpoint_dir, version_text, output;
  FlagSet flag_set("models " + std::string(action), kUsage);
  flag_set.add_string("checkpoint-dir", &checkpoint_dir, "DIR",
                      "the pipeline's checkpoint directory (evaluate --checkpoint-dir, or run's "
                      "checkpoints.directory)");
  flag_set.require("checkpoint-dir");
  if (action != "list") {
    flag_set.add_string("version", &version_text, "V", "the version");
    flag_set.require("version");
  }
  if (action == "export") {
    flag_set.add_string("output", &output, "FILE", "where to write the model file");
    flag_set.require("output");
  }
  if (const std::optional<int> exit_code = flag_set.parse_or_exit(argc, argv, first + 1))
    return *exit_code;

  auto registry = connectors::ModelRegistry::open_existing(checkpoint_dir);
  if (!registry) return fail(registry.status().message());
  if (action == "list") return list(**registry);

  auto version = parse_version(version_text, action == "export");
  if (!version) return fail(version.status().message(), 2);
  if (action == "show") {
    auto metadata = (*registry)->metadata(**version);
    if (!metadata) return fail(metadata.status().message());
    std::fputs(metadata->c_str(), stdout);
    return 0;
  }
  if (action == "export") {
    auto model = (*registry)->snapshot(*version);
    if (!model) return fail(model.status().message());
    if (core::Status written = model->write(output); !written)
      return fail("--output: " + written.message() + " (choose a writable path)");
    std::printf("exported version %llu (%s, after %llu events) to %s\n",
                static_cast<unsigned long long>(model->model_version), model->expression.c_str(),
                static_cast<unsigned long long>(model->events), output.c_str());
    return 0;
  }
  auto request = (*registry)->request_rollback(**version);
  if (!request) return fail(request.status().message());
  std::printf(
      "rollback to version %llu requested (%s): a running pipeline applies it at its next "
      "checkpoint, a stopped one when it starts\n",
      static_cast<unsigned long long>(**version), request->c_str());
  return 0;
}

}  // namespace streamlearn::cli
