#include "cli/transform_from_kafka.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/feature_line_printer.h"
#include "cli/stop_signals.h"
#include "cli/window_report.h"
#include "connectors/kafka/kafka_source.h"
#include "core/class_set.h"
#include "stream/json_event_decoder.h"
#include "stream/model_monitor.h"
#include "stream/prequential_evaluator.h"
#include "stream/serving_pipeline.h"

namespace streamlearn::cli {
namespace {

// How long a poll waits for a record: the delay before a signal is noticed when idle.
constexpr int kPollTimeoutMs = 100;

enum class Stop : std::uint8_t { kRequested, kFinished, kFailed };

const char* stop_name(Stop stop) {
  switch (stop) {
    case Stop::kRequested:
      return "requested";
    case Stop::kFinished:
      return "finished";
    case Stop::kFailed:
      return "failed";
  }
  return "failed";
}

// A fresh group per invocation (see the header).
std::string transform_group_id(const std::string& pipeline_group) {
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return pipeline_group + ".transform-" + std::to_string(::getpid()) + "-" + std::to_string(now_ms);
}

std::string subscribed_topics(const config::SourceConfig& source) {
  std::string topics = source.topic_pattern;
  for (const std::string& topic : source.topics) topics += (topics.empty() ? "" : ",") + topic;
  return topics;
}

}  // namespace

int transform_from_kafka(const config::PipelineConfig& config, stream::PipelineModel& model,
                         core::FeatureSpace& space) {
  core::ClassSet classes;
  stream::EventSchema schema = config.schema;
  schema.target_optional = true;
  auto decoder = stream::JsonEventDecoder::create(schema, space, classes);
  if (!decoder) {
    std::fprintf(stderr, "streamlearn transform: $.schema: %s\n",
                 decoder.status().message().c_str());
    return 2;
  }
  stream::PrequentialEvaluator evaluator(
      *model.learner,
      {.rolling_window = config.metrics.rolling_window, .on_drift = config.monitoring.on_drift});
  if (config.monitoring.monitor.watches_anything()) {
    // As in `run`: under on_drift reset or background, a drift alert replaces the model, and
    // with it the learned transformers whose output is printed. Its alerts go nowhere.
    const bool classification = model.learner->task() == learners::Task::kClassification;
    auto monitor = stream::ModelMonitor::create(config.monitoring.monitor, classification,
                                                schema.target, space);
    if (!monitor) {
      std::fprintf(stderr, "streamlearn transform: %s\n", monitor.status().message().c_str());
      return 2;
    }
    (*monitor)->use_class_names(&classes);
    evaluator.monitor_with(std::move(*monitor));
  }
  evaluator.give_labels_to(model.features.get());
  FeatureLinePrinter printer(stdout, stderr, space);
  stream::ServingPipeline pipeline({.max_pending = config.labels.max_pending,
                                    .label_ttl_ms = config.labels.ttl_ms,
                                    .emit_features = true},
                                   std::move(*decoder), evaluator, printer, model.features.get());

  const std::atomic<bool>& stop_requested = stop_on_sigterm_or_sigint();
  const connectors::KafkaSource::Params source_params{
      .connection = config.kafka,
      .topics = config.source.topics,
      .topic_pattern = config.source.topic_pattern,
      .labels_topic = config.source.labels_topic,
      .group_id = transform_group_id(config.source.group_id),
      .from = config.source.from,
      .until = config.source.until,
      .properties = config.source.properties,
      .commit_offsets = false,
      .committed_offsets_of = config.source.group_id,
  };
  auto source = connectors::KafkaSource::open(source_params);
  if (!source) {
    std::fprintf(stderr, "streamlearn transform: %s\n", source.status().message().c_str());
    return 2;
  }
  const std::string topics = subscribed_topics(config.source);
  std::string from = config.source.from.describe();
  if (config.source.from.kind == connectors::StartPosition::Kind::kCommitted)
    from += " (the offsets of group " + config.source.group_id + ")";
  std::fprintf(stderr,
               "transform: consuming %s%s%s as group %s (commits nothing) from %s until %s\n",
               topics.c_str(), config.source.labels_topic.empty() ? "" : " + labels ",
               config.source.labels_topic.c_str(), source_params.group_id.c_str(), from.c_str(),
               config.source.until.describe().c_str());

  // The loop of KafkaRunner without what a transform does not have: a producer to flush, offsets
  // to commit, metrics to publish.
  Stop stop = Stop::kRequested;
  std::string failure;
  stream::SourceRecord record;
  while (!stop_requested.load(std::memory_order_relaxed)) {
    const connectors::KafkaSource::Poll polled = (*source)->poll(kPollTimeoutMs, record);
    if (polled == connectors::KafkaSource::Poll::kFinished) {
      stop = Stop::kFinished;
      break;
    }
    if (polled == connectors::KafkaSource::Poll::kFailed) {
      stop = Stop::kFailed;
      failure = (*source)->error().message();
      break;
    }
    if (polled == connectors::KafkaSource::Poll::kIdle) {
      if (!printer.flush()) {
        stop = Stop::kFailed;
        failure = "cannot write the feature lines to stdout";
        break;
      }
      continue;
    }
    pipeline.process(record);
    // Commits nothing (commit_offsets is off); it tells the source where `until end` stops.
    (*source)->mark_processed();
  }
  if (!printer.flush() && stop != Stop::kFailed) {
    stop = Stop::kFailed;
    failure = "cannot write the feature lines to stdout";
  }
  if (core::Status closed = (*source)->close(); !closed)
    std::fprintf(stderr, "transform: leaving the group: %s\n", closed.message().c_str());
  if (stop == Stop::kFailed) std::fprintf(stderr, "streamlearn transform: %s\n", failure.c_str());

  const stream::ServingPipeline::Counters& counters = pipeline.counters();
  nlohmann::ordered_json summary;
  summary["model"] = model.describe();
  summary["topics"] = topics;
  summary["group_id"] = source_params.group_id;
  summary["stop"] = stop_name(stop);
  summary["records"] = counters.records;
  summary["events"] = printer.lines_written();
  summary["labelled_events"] = counters.labelled_events;
  summary["label_records"] = counters.label_records;
  summary["labels_matched"] = counters.labels_matched;
  summary["labels_unmatched"] = counters.labels_unmatched;
  summary["pending"] = pipeline.pending().size();
  summary["rebalances"] = (*source)->counters().assignments;
  summary["rejected"] = pipeline.rejects().total();
  nlohmann::ordered_json by_reason = nlohmann::ordered_json::object();
  pipeline.rejects().for_each_nonzero([&](std::string_view reason, std::uint64_t count) {
    by_reason[std::string(reason)] = count;
  });
  summary["rejected_by_reason"] = by_reason;
  summary["windows"] = window_report(*model.features);
  std::fprintf(stderr, "%s\n", summary.dump().c_str());
  return stop == Stop::kFailed ? 1 : 0;
}

}  // namespace streamlearn::cli
