#pragma once

/// PipelineConfig: the whole configuration of `streamlearn run` (one JSON document): the model,
/// the Kafka cluster, the source topics and replay range, the event schema, delayed labels, the
/// output topics, the monitoring section (MonitoringConfig) and the checkpoints. `streamlearn validate` checks a
/// document; `--set key.path=value` overrides any value before validation. Validation reports
/// every error at once, each with its JSON path, what is wrong and what is allowed. The schema,
/// with a complete example (deploy/examples/pipeline.json), is in the README ("Pipeline
/// configuration").

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/monitoring_config.h"
#include "connectors/kafka/kafka_settings.h"
#include "core/status.h"
#include "stream/challenger.h"
#include "stream/event_schema.h"

namespace streamlearn::config {

struct SourceConfig {
  std::vector<std::string> topics{};  // exactly one of topics and topic_pattern
  std::string topic_pattern{};        // a regex, subscribed as librdkafka's "^..." pattern
  std::string group_id{};
  std::string labels_topic{};  // optional: a topic of label records (id + label)
  connectors::StartPosition from{};
  connectors::StopCondition until{};
  double rate_events_per_s = 0.0;  // 0: as fast as possible
  std::int64_t commit_interval_ms = 1000;
  connectors::KafkaProperties properties{};  // consumer only
};

struct LabelsConfig {
  std::size_t max_pending = 100'000;  // predictions waiting for a label; the oldest goes first
  std::int64_t ttl_ms = 3'600'000;    // in event time
};

struct OutputsConfig {
  std::string predictions{};  // topic names; empty: not written
  std::string alerts{};
  std::string dead_letter{};
  std::string features{};  // every event's learner input (stream/feature_json.h)
  connectors::KafkaProperties properties{};  // producer only
};

struct MetricsConfig {
  /// The HTTP endpoint of /metrics, /healthz and /readyz, "host:port" (port 0: any free port);
  /// empty: none ("off" in the document).
  std::string listen = "127.0.0.1:9464";
  /// Scored events in the rolling model metrics (window="rolling"); 0: cumulative ones only.
  std::size_t rolling_window = 1000;
};

/// Checkpoints of the whole pipeline state with the Kafka offsets (README "Checkpoints and
/// recovery"); none when `directory` is empty.
struct CheckpointsConfig {
  std::string directory{};
  std::int64_t interval_ms = 10'000;  // 0: not by time
  std::uint64_t every_events = 0;     // 0: not by count
  std::size_t keep = 3;
};

/// A challenger model in shadow mode (README "Champion and challenger"); none when `model` is
/// empty.
struct ChallengerConfig {
  std::string model{};  // a learner expression, without window steps (the model's are shared)
  stream::Challenger::Params params{};
};

struct PipelineConfig {
  std::string model{};  // a model expression
  connectors::KafkaConnection kafka{};
  SourceConfig source{};
  stream::EventSchema schema{};  // target_optional is always true for a run
  LabelsConfig labels{};
  OutputsConfig outputs{};
  MonitoringConfig monitoring{};  // includes the pipeline name
  MetricsConfig metrics{};
  ChallengerConfig challenger{};
  CheckpointsConfig checkpoints{};
  /// A model file (`streamlearn models export`) of the same model expression to start from when
  /// no checkpoint is restored; empty: an untrained model.
  std::string warm_start{};
};

/// Parses a whole configuration document after applying `overrides` ("source.group_id=g2":
/// the value is JSON when it parses as JSON, else a string). `source` names the document in
/// errors.
core::Result<PipelineConfig> parse_pipeline_config(std::string_view json_text,
                                                   std::string_view source,
                                                   std::span<const std::string> overrides = {});
core::Result<PipelineConfig> load_pipeline_config(const std::string& path,
                                                  std::span<const std::string> overrides = {});

}  // namespace streamlearn::config
