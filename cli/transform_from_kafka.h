#pragma once

/// The Kafka mode of `streamlearn transform` (no --data): consumes the configuration's source
/// (topics or topic_pattern, the labels topic, from `source.from` until `source.until`) and prints
/// each event's learner input on stdout, one JSON line per event, exactly as `run` writes it to
/// outputs.features. The records go through the ServingPipeline `run` uses (the same decoder,
/// window steps, label matching by event id, the same monitor deciding on_drift), so online
/// transformers and target aggregates move as in a run of the same records.
///
/// A read-only tool: it consumes as a consumer group of its own, `<source.group_id>.transform-
/// <pid>-<start ms>` (a fresh one per invocation, so that two transforms never split the
/// partitions; derived from the pipeline's group so that prefixed group ACLs still apply), and
/// commits nothing, to that group or any other. `from committed` reads the offsets the pipeline's
/// group committed (without joining it), so the transform starts where the pipeline stands.
/// Rejected records go to stderr; a JSON summary ends stderr. SIGTERM / SIGINT stop it cleanly.

#include "config/pipeline_config.h"
#include "core/feature_space.h"
#include "stream/pipeline_model.h"

namespace streamlearn::cli {

/// Returns the exit code: 0 when finished (`until`) or stopped by a signal, 1 on a Kafka failure
/// or when stdout cannot be written, 2 when the schema, the monitor or the consumer cannot be set
/// up. `model` was built over `space`.
int transform_from_kafka(const config::PipelineConfig& config, stream::PipelineModel& model,
                         core::FeatureSpace& space);

}  // namespace streamlearn::cli
