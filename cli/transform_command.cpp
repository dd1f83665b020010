#include "cli/transform_command.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/flag_set.h"
#include "cli/transform_from_kafka.h"
#include "cli/window_report.h"
#include "config/pipeline_config.h"
#include "connectors/files/file_source.h"
#include "stream/feature_json.h"
#include "stream/pipeline_model.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::cli {
namespace {

constexpr const char* kSummary =
    "Prints, one JSON line per event, the feature vector the learner of a pipeline\n"
    "configuration's model sees: the event's features, the window features (window(...),\n"
    "target_agg(...)) and the learner pipeline's transformers applied, computed by the code\n"
    "'run' uses, so the lines equal what 'run' computes from the same events (its\n"
    "outputs.features topic). For debugging training/serving skew and exporting training sets.\n"
    "Labels are then learned (test-then-train, as 'evaluate'; from Kafka also later, by event\n"
    "id), so online transformers and target aggregates move on as in a run. Malformed records\n"
    "and late events under late=dead_letter go to stderr; a JSON summary ends stderr.\n"
    "Events come from a file (--data), or without --data from the configuration's Kafka source\n"
    "(its topics or topic_pattern and labels_topic), starting and stopping as --from and --until\n"
    "say (default: source.from and source.until). Read-only: it consumes as a consumer group of\n"
    "its own, <source.group_id>.transform-<pid>-<ms>, and commits no offsets; --from committed\n"
    "starts where the pipeline's group committed (read without joining that group). It runs\n"
    "until --until, or SIGTERM / SIGINT (exit 0).\n"
    "Line format: {\"id\":...,\"key\":...,\"event_time\":...,\"features\":{\"name\":value,...}}\n"
    "Examples: streamlearn transform --config pipeline.json --data events.jsonl > features.jsonl\n"
    "          streamlearn transform --config pipeline.json --from earliest --until end";

// --from and --until position a Kafka consumer; a file is always read whole.
constexpr const char* kKafkaFlagsWithData =
    "streamlearn transform: --from and --until choose where the Kafka source starts and stops, "
    "but --data reads a file, always whole: drop --from/--until, or drop --data to read the "
    "configuration's Kafka source";

}  // namespace

int transform_command(int argc, char** argv, int first) {
  std::string config_path, data, from, until;
  std::vector<std::string> overrides;
  FlagSet flags("transform", kSummary);
  flags.add_string(
      "config", &config_path, "FILE",
      "the pipeline configuration: its model (with features), schema and Kafka source");
  flags.add_string("data", &data, "PATH",
                   "the events: CSV or JSON Lines, optionally .gz (default: the Kafka source)");
  flags.add_strings("set", &overrides, "KEY.PATH=VALUE",
                    "override a configuration value, as in 'run' (repeatable)");
  flags.add_string("from", &from, "POSITION",
                   "Kafka only: where each partition starts: committed (the pipeline group's "
                   "offsets), earliest, latest or timestamp:MS (as --set source.from=...)");
  flags.add_string("until", &until, "CONDITION",
                   "Kafka only: when to stop: never, end (each partition's end offset at start) "
                   "or timestamp:MS (as --set source.until=...)");
  flags.require("config");
  if (const std::optional<int> exit_code = flags.parse_or_exit(argc, argv, first))
    return *exit_code;
  if (!data.empty() && (!from.empty() || !until.empty())) {
    std::fprintf(stderr, "%s\n", kKafkaFlagsWithData);
    return 2;
  }
  if (!from.empty()) overrides.push_back("source.from=" + from);
  if (!until.empty()) overrides.push_back("source.until=" + until);

  auto config = config::load_pipeline_config(config_path, overrides);
  if (!config) {
    std::fprintf(stderr, "streamlearn transform: %s\n", config.status().message().c_str());
    return 2;
  }
  core::FeatureSpace space;
  auto model = stream::PipelineModel::build(config->model, space);
  if (!model) {
    std::fprintf(stderr, "streamlearn transform: $.model: %s\n", model.status().message().c_str());
    return 2;
  }
  if (data.empty()) return transform_from_kafka(*config, *model, space);

  stream::EventSchema schema = config->schema;
  schema.target_optional = true;
  core::ClassSet classes;
  auto source = connectors::FileSource::open(data, schema, space, classes);
  if (!source) {
    std::fprintf(stderr, "streamlearn transform: %s\n", source.status().message().c_str());
    return 2;
  }
  stream::PrequentialEvaluator evaluator(*model->learner, {});
  stream::features::FeatureStage& windows = *model->features;
  evaluator.give_labels_to(&windows);

  stream::Event event;
  std::string line;
  stream::RejectCounts rejects;
  std::uint64_t written = 0;
  bool failed = false;
  while (true) {
    const auto next = (*source)->next(event);
    if (next == connectors::FileSource::Next::kEnd) break;
    if (next == connectors::FileSource::Next::kError) {
      std::fprintf(stderr, "streamlearn transform: %s\n", (*source)->error().message().c_str());
      failed = true;
      break;
    }
    if (next == connectors::FileSource::Next::kRejected) {
      std::fprintf(stderr, "%s\n", (*source)->last_rejection().message.c_str());
      continue;
    }
    if (const std::optional<stream::Rejection> rejection = windows.apply(event)) {
      rejects.add(rejection->reason);
      std::fprintf(stderr, "%s:%llu: %s\n", data.c_str(),
                   static_cast<unsigned long long>((*source)->event_line_number()),
                   rejection->message.c_str());
      continue;
    }
    stream::write_features_json(
        event, stream::PipelineModel::learner_input(evaluator.model(), event.features), space,
        line);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    ++written;
    evaluator.process(event);
  }
  std::fflush(stdout);
  rejects.merge((*source)->rejects());
  nlohmann::ordered_json summary;
  summary["model"] = model->describe();
  summary["data"] = data;
  summary["events"] = written;
  summary["rejected"] = rejects.total();
  nlohmann::ordered_json by_reason = nlohmann::ordered_json::object();
  rejects.for_each_nonzero([&](std::string_view reason, std::uint64_t count) {
    by_reason[std::string(reason)] = count;
  });
  summary["rejected_by_reason"] = by_reason;
  summary["windows"] = window_report(windows);
  std::fprintf(stderr, "%s\n", summary.dump().c_str());
  return failed ? 1 : 0;
}

}  // namespace streamlearn::cli
