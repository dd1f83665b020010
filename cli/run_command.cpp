#include "cli/run_command.h"

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/alert_printer.h"
#include "cli/flag_set.h"
#include "cli/stop_signals.h"
#include "cli/window_report.h"
#include "config/alert_sinks.h"
#include "config/pipeline_config.h"
#include "connectors/files/model_file.h"
#include "connectors/files/model_registry.h"
#include "connectors/files/pipeline_checkpoints.h"
#include "connectors/http/challenger_routes.h"
#include "connectors/http/feature_lookup_route.h"
#include "connectors/kafka/kafka_alert_sink.h"
#include "connectors/kafka/kafka_outputs.h"
#include "connectors/kafka/kafka_producer.h"
#include "connectors/kafka/kafka_runner.h"
#include "connectors/kafka/kafka_source.h"
#include "connectors/prometheus/metrics_server.h"
#include "connectors/prometheus/pipeline_metrics.h"
#include "learners/learner_registry.h"
#include "stream/pipeline_model.h"
#include "stream/serving_pipeline.h"

namespace streamlearn::cli {
namespace {

struct RunFlags {
  std::string config;
  std::vector<std::string> overrides;
  std::string from;
  std::string until;
  std::string rate;
  bool quiet = false;
};

void print_progress(const stream::ServingPipeline& pipeline, double seconds) {
  const stream::ServingPipeline::Counters& counters = pipeline.counters();
  std::vector<std::pair<std::string, double>> metrics;
  pipeline.evaluator().report(metrics);
  std::string line = "run: " + std::to_string(counters.events) + " events (" +
                     std::to_string(static_cast<std::uint64_t>(counters.records / seconds)) +
                     " records/s), " + std::to_string(counters.labels_matched) +
                     " delayed labels matched, " + std::to_string(pipeline.pending().size()) +
                     " pending, " + std::to_string(pipeline.rejects().total()) + " rejected";
  for (std::size_t i = 0; i < metrics.size() && i < 2; ++i) {
    char value[32];
    std::snprintf(value, sizeof(value), "%.4f", metrics[i].second);
    line += ", " + metrics[i].first + " " + value;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

std::string_view stop_name(connectors::KafkaRunner::Stop stop) {
  switch (stop) {
    case connectors::KafkaRunner::Stop::kRequested:
      return "requested";
    case connectors::KafkaRunner::Stop::kFinished:
      return "finished";
    case connectors::KafkaRunner::Stop::kFailed:
      return "failed";
  }
  return "failed";
}

nlohmann::ordered_json summary(const config::PipelineConfig& config,
                               const stream::PipelineModel& model,
                               const stream::ServingPipeline& pipeline,
                               const connectors::KafkaSource& source,
                               const connectors::KafkaOutputs& outputs,
                               const connectors::KafkaRunner& runner,
                               const connectors::PipelineCheckpoints* checkpoints,
                               const connectors::PipelineCheckpoints::Restored& restored,
                               connectors::KafkaRunner::Stop stop) {
  const stream::ServingPipeline::Counters& counters = pipeline.counters();
  const stream::PrequentialEvaluator& evaluator = pipeline.evaluator();
  nlohmann::ordered_json result;
  result["pipeline"] = config.monitoring.monitor.pipeline;
  result["model"] = model.describe();
  result["stop"] = stop_name(stop);
  result["records"] = counters.records;
  result["events"] = counters.events;
  result["predictions"] = outputs.predictions_written();
  result["labelled_events"] = counters.labelled_events;
  result["label_records"] = counters.label_records;
  result["labels_matched"] = counters.labels_matched;
  result["labels_unmatched"] = counters.labels_unmatched;
  result["pending"] = pipeline.pending().size();
  result["pending_expired"] = pipeline.pending().expired();
  result["pending_evicted"] = pipeline.pending().evicted();
  result["scored"] = evaluator.scored();
  result["learned"] = evaluator.learned();
  const stream::RejectCounts& rejects = pipeline.rejects();
  result["rejected"] = rejects.total();
  nlohmann::ordered_json by_reason = nlohmann::ordered_json::object();
  rejects.for_each_nonzero([&](std::string_view reason, std::uint64_t count) {
    by_reason[std::string(reason)] = count;
  });
  result["rejected_by_reason"] = by_reason;
  result["dead_letters"] = outputs.dead_letters_written();
  if (!model.features->empty()) {
    result["features_written"] = outputs.features_written();
    result["windows"] = window_report(*model.features);
  }
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  for (const auto& [name, value] : metrics) result[name] = value;
  result["model_version"] = evaluator.model_version();
  if (const stream::ModelMonitor* monitor = evaluator.monitor()) {
    result["alerts_fired"] = monitor->alerts_fired();
    result["drifts"] = monitor->drift_positions();
  }
  if (const stream::Challenger* challenger = evaluator.challenger())
    result["challenger"] = nlohmann::ordered_json::parse(challenger->to_json(evaluator.model()));
  if (checkpoints != nullptr) {
    const connectors::PipelineCheckpoints::Counters& written = checkpoints->counters();
    result["checkpoints"] = {
        {"directory", checkpoints->directory()},
        {"resumed", restored.resumed},
        {"restored_from",
         restored.resumed ? nlohmann::ordered_json(restored.path) : nlohmann::ordered_json()},
        {"written", written.written},
        {"failed", written.failed},
        {"last_bytes", written.last_bytes},
        {"last_write_seconds", written.last_write_seconds},
        {"replayed_after_checkpoint", source.counters().replayed_after_checkpoint}};
  }
  result["commits"] = source.counters().commits;
  result["failed_commits"] = source.counters().failed_commits;
  result["rebalances"] = source.counters().assignments;
  result["seconds"] = runner.seconds();
  result["records_per_s"] = runner.seconds() > 0 ? counters.records / runner.seconds() : 0.0;
  return result;
}

}  // namespace

int run_command(int argc, char** argv, int first) {
  RunFlags flags;
  FlagSet flag_set(
      "run",
      "The pipeline a configuration describes: consume events from Kafka, predict, learn when\n"
      "labels arrive (with the event, or later by event id), monitor drift, and write\n"
      "predictions, alerts and rejected records to Kafka. Runs until SIGTERM / SIGINT (graceful:\n"
      "finishes the record in hand, flushes the outputs, commits, exits 0) or until --until.\n"
      "Offsets are committed only after the records' outputs are delivered (at-least-once).\n"
      "Prometheus metrics at http://<metrics.listen>/metrics (default 127.0.0.1:9464), liveness\n"
      "at /healthz, readiness at /readyz, and with window steps in the model the current window\n"
      "aggregates of a key at /features/{key} (--set metrics.listen=off for none).\n"
      "Example: streamlearn run --config deploy/examples/pipeline.json \\\n"
      "           --set kafka.bootstrap_servers=127.0.0.1:9092 --from earliest --until end");
  flag_set.add_string("config", &flags.config, "FILE", "the pipeline configuration (README)");
  flag_set.add_strings("set", &flags.overrides, "KEY.PATH=VALUE",
                       "override a configuration value (repeatable; VALUE is JSON or a string)");
  flag_set.add_string("from", &flags.from, "POSITION",
                      "where to start on each partition: committed (default), earliest, latest "
                      "or timestamp:MS (as --set source.from=...)");
  flag_set.add_string("until", &flags.until, "CONDITION",
                      "when to stop: never (default), end (every partition's end offset at "
                      "start) or timestamp:MS (as --set source.until=...)");
  flag_set.add_string("rate", &flags.rate, "EVENTS_PER_S",
                      "pace the records at this rate (a replay at a given speed)");
  flag_set.add_bool("quiet", &flags.quiet, "no progress and no alert lines on stderr");
  flag_set.require("config");
  if (const std::optional<int> exit_code = flag_set.parse_or_exit(argc, argv, first))
    return *exit_code;
  if (!flags.from.empty()) flags.overrides.push_back("source.from=" + flags.from);
  if (!flags.until.empty()) flags.overrides.push_back("source.until=" + flags.until);
  if (!flags.rate.empty()) flags.overrides.push_back("source.rate=" + flags.rate);

  auto loaded = config::load_pipeline_config(flags.config, flags.overrides);
  if (!loaded) {
    std::fprintf(stderr, "streamlearn run: %s\n", loaded.status().message().c_str());
    return 2;
  }
  const config::PipelineConfig& config = *loaded;
  core::FeatureSpace features;
  auto model = stream::PipelineModel::build(config.model, features);
  if (!model) {
    std::fprintf(stderr, "streamlearn run: $.model: %s\n", model.status().message().c_str());
    return 2;
  }
  const bool classification = model->learner->task() == learners::Task::kClassification;
  core::ClassSet classes;
  // A warm start's names come before the decoder's: the model file's learner refers to their ids.
  // (Validation checked the file and its expression; it is read again here.)
  std::optional<connectors::ModelFile> warm_start;
  if (!config.warm_start.empty()) {
    auto file = connectors::ModelFile::read(config.warm_start);
    core::Status names = file ? file->load_names(features, classes) : file.status();
    if (!names) {
      std::fprintf(stderr, "streamlearn run: $.warm_start: %s\n", names.message().c_str());
      return 2;
    }
    warm_start = std::move(*file);
  }
  stream::EventSchema schema = config.schema;
  schema.target_optional = true;
  auto decoder = stream::JsonEventDecoder::create(schema, features, classes);
  if (!decoder) {
    std::fprintf(stderr, "streamlearn run: $.schema: %s\n", decoder.status().message().c_str());
    return 2;
  }

  stream::PrequentialEvaluator evaluator(*model->learner, {.rolling_window = config.metrics.rolling_window,
                                                   .on_drift = config.monitoring.on_drift});
  evaluator.build_models_with([&features](std::string_view expression) {
    return learners::LearnerRegistry::builtin().build(expression, &features);
  });
  if (!config.challenger.model.empty()) {
    auto challenger =
        stream::Challenger::create(config.challenger.model, config.challenger.params,
                                   model->learner->task(), features, "$.challenger.model",
                                   "$.challenger.");
    if (!challenger) {
      std::fprintf(stderr, "streamlearn run: %s\n", challenger.status().message().c_str());
      return 2;
    }
    evaluator.challenge_with(std::move(*challenger));
  }
  connectors::PipelineMetrics metrics(config.monitoring.monitor.pipeline);
  AlertPrinter alert_printer(stderr);
  auto sinks = config::open_alert_sinks(config.monitoring.alerts);
  if (!sinks) {
    std::fprintf(stderr, "streamlearn run: %s\n", sinks.status().message().c_str());
    return 2;
  }
  auto producer = connectors::KafkaProducer::open(config.kafka, config.outputs.properties);
  if (!producer) {
    std::fprintf(stderr, "streamlearn run: %s\n", producer.status().message().c_str());
    return 2;
  }
  if (!config.outputs.alerts.empty())
    sinks->push_back(
        std::make_unique<connectors::KafkaAlertSink>(**producer, config.outputs.alerts));
  std::vector<monitors::AlertSink*> alert_sinks;
  for (auto& sink : *sinks) alert_sinks.push_back(sink.get());
  // A challenger's promotions are alerts: they need the monitor's sinks.
  if (config.monitoring.monitor.watches_anything() || evaluator.challenger()) {
    auto monitor = stream::ModelMonitor::create(config.monitoring.monitor, classification,
                                                schema.target, features);
    if (!monitor) {
      std::fprintf(stderr, "streamlearn run: %s\n", monitor.status().message().c_str());
      return 2;
    }
    if (!flags.quiet) (*monitor)->add_sink(&alert_printer);
    for (monitors::AlertSink* sink : alert_sinks) (*monitor)->add_sink(sink);
    (*monitor)->add_sink(&metrics.alert_sink());
    metrics.declare_monitors(**monitor);
    (*monitor)->use_class_names(&classes);
    evaluator.monitor_with(std::move(*monitor));
  }
  connectors::KafkaOutputs outputs(
      **producer,
      {.predictions = config.outputs.predictions,
       .dead_letter = config.outputs.dead_letter,
       .features = config.outputs.features},
      classes, features);
  evaluator.give_labels_to(model->features.get());
  if (config.outputs.dead_letter.empty() && !flags.quiet)
    std::fprintf(stderr,
                 "run: no outputs.dead_letter topic: rejected records are counted but "
                 "not kept\n");
  stream::ServingPipeline pipeline(
      {.max_pending = config.labels.max_pending,
       .label_ttl_ms = config.labels.ttl_ms,
       .emit_features = !config.outputs.features.empty()},
      std::move(*decoder), evaluator, outputs, model->features.get());

  core::OwnerThreadCalls pipeline_calls;  // the HTTP thread's lookups, run between records
  std::unique_ptr<connectors::MetricsServer> metrics_server;
  if (!config.metrics.listen.empty()) {
    std::vector<connectors::HttpServer::Route> routes;
    if (!model->features->empty())
      routes.push_back(connectors::feature_lookup_route(pipeline_calls, *model->features));
    if (evaluator.challenger())
      for (connectors::HttpServer::Route& route :
           connectors::challenger_routes(pipeline_calls, evaluator))
        routes.push_back(std::move(route));
    auto server = connectors::MetricsServer::start({.listen = config.metrics.listen}, metrics,
                                                   std::move(routes));
    if (!server) {
      std::fprintf(stderr, "streamlearn run: %s\n", server.status().message().c_str());
      return 2;
    }
    metrics_server = std::move(*server);
    std::fprintf(stderr, "run: metrics at http://%s/metrics, health at /healthz and /readyz%s%s\n",
                 metrics_server->address().c_str(),
                 model->features->empty() ? "" : ", window features at /features/{key}",
                 evaluator.challenger() ? ", the challenger at /challenger (POST "
                                          "/challenger/promote promotes it)"
                                        : "");
  }

  const std::atomic<bool>& stop_requested = stop_on_sigterm_or_sigint();
  connectors::KafkaSource::Params source_params{
      .connection = config.kafka,
      .topics = config.source.topics,
      .topic_pattern = config.source.topic_pattern,
      .labels_topic = config.source.labels_topic,
      .group_id = config.source.group_id,
      .from = config.source.from,
      .until = config.source.until,
      .properties = config.source.properties,
  };
  auto source = connectors::KafkaSource::open(source_params);
  if (!source) {
    std::fprintf(stderr, "streamlearn run: %s\n", source.status().message().c_str());
    return 2;
  }
  std::string topics = config.source.topic_pattern;
  for (const std::string& topic : config.source.topics)
    topics += (topics.empty() ? "" : ",") + topic;
  if (!flags.quiet)
    std::fprintf(stderr,
                 "run: pipeline %s, model %s, consuming %s%s%s as group %s from %s until %s\n",
                 config.monitoring.monitor.pipeline.c_str(), model->describe().c_str(),
                 topics.c_str(), config.source.labels_topic.empty() ? "" : " + labels ",
                 config.source.labels_topic.c_str(), config.source.group_id.c_str(),
                 config.source.from.describe().c_str(), config.source.until.describe().c_str());

  std::unique_ptr<connectors::PipelineCheckpoints> checkpoints;
  connectors::PipelineCheckpoints::Restored restored;
  if (!config.checkpoints.directory.empty()) {
    auto opened = connectors::PipelineCheckpoints::open(
        {.directory = config.checkpoints.directory,
         .interval_ms = config.checkpoints.interval_ms,
         .every_events = config.checkpoints.every_events,
         .keep = config.checkpoints.keep},
        {.model = model->describe(),
         .space = &features,
         .classes = &classes,
         .windows = model->features.get(),
         .evaluator = &evaluator,
         .serving = &pipeline},
        [&](core::StateWriter& out) {
          (*source)->save_position(out);
          outputs.save(out);
        },
        [&](core::StateReader& in) {
          if (core::Status resumed = (*source)->resume(in); !resumed) return resumed;
          return outputs.load(in);
        });
    if (!opened) {
      std::fprintf(stderr, "streamlearn run: %s\n", opened.status().message().c_str());
      return 2;
    }
    checkpoints = std::move(*opened);
    // Before the first poll: the restored offsets apply at the first assignment.
    auto loaded_checkpoint = checkpoints->restore();
    if (!loaded_checkpoint) {
      std::fprintf(stderr, "streamlearn run: %s\n", loaded_checkpoint.status().message().c_str());
      return 2;
    }
    restored = std::move(*loaded_checkpoint);
    for (const std::string& problem : restored.problems)
      std::fprintf(stderr, "run: checkpoint %s\n", problem.c_str());
    if (!flags.quiet) {
      if (restored.resumed)
        std::fprintf(stderr, "run: resumed from %s after %llu events\n", restored.path.c_str(),
                     static_cast<unsigned long long>(restored.events));
      else
        std::fprintf(stderr, "run: no checkpoint in %s yet: starting afresh\n",
                     checkpoints->directory().c_str());
    }
    if (warm_start && restored.resumed)
      std::fprintf(stderr, "run: warm_start %s not applied: the restored checkpoint wins\n",
                   config.warm_start.c_str());
  }
  if (warm_start && !restored.resumed) {
    if (core::Status learned = warm_start->load_learner(*model->learner); !learned) {
      std::fprintf(stderr, "streamlearn run: $.warm_start: %s\n", learned.message().c_str());
      return 2;
    }
  }
  std::unique_ptr<connectors::ModelRegistry> registry;
  if (checkpoints) {
    auto opened_registry = connectors::ModelRegistry::open(config.checkpoints.directory);
    core::Status started = opened_registry ? core::Status::ok() : opened_registry.status();
    if (started) {
      registry = std::move(*opened_registry);
      started = registry->start({.windows = model->features->describe(),
                                 .space = &features,
                                 .classes = &classes,
                                 .evaluator = &evaluator,
                                 .report = [](const std::string& message) {
                                   std::fprintf(stderr, "run: %s\n", message.c_str());
                                 }},
                                restored.resumed, warm_start ? config.warm_start : std::string());
    }
    if (!started) {
      std::fprintf(stderr, "streamlearn run: %s\n", started.message().c_str());
      return 2;
    }
    checkpoints->record_versions_in(registry.get());
  }

  connectors::KafkaRunner runner({.commit_interval_ms = config.source.commit_interval_ms,
                                  .rate_events_per_s = config.source.rate_events_per_s,
                                  .progress_interval_ms = flags.quiet ? 0 : 5000},
                                 **source, **producer, pipeline, alert_sinks);
  runner.on_progress([&pipeline](double seconds) { print_progress(pipeline, seconds); });
  runner.checkpoint_with(checkpoints.get());
  if (metrics_server) {
    runner.export_metrics(&metrics);
    runner.serve_calls(&pipeline_calls);
  }
  const connectors::KafkaRunner::Stop stop = runner.run(stop_requested);
  if (stop == connectors::KafkaRunner::Stop::kFailed)
    std::fprintf(stderr, "streamlearn run: %s\n", runner.error().message().c_str());
  std::printf("%s\n",
              summary(config, *model, pipeline, **source, outputs, runner, checkpoints.get(), restored,
                      stop)
                  .dump()
                  .c_str());
  std::fflush(stdout);
  return stop == connectors::KafkaRunner::Stop::kFailed ? 1 : 0;
}

}  // namespace streamlearn::cli
