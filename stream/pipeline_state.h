#pragma once

/// PipelineState: the whole state of a pipeline as one checkpoint payload, and back: the interned
/// names (FeatureSpace, ClassSet), the window steps, the evaluator (the model, its replacement in
/// training, the metrics, the monitors), the labels still to come (`evaluate --delay`'s queue, or
/// `run`'s pending predictions) and the source position (the file line, or Kafka offsets per
/// partition), all taken between two events, so that a restored pipeline goes on exactly where
/// the saved one was: no event learned twice, none skipped.
///
/// Payload, version 1: the version, the model expression, the wall-clock time of the save, the
/// events seen, the source position (length-prefixed, written by the caller), then each part in
/// the order above, each versioned by itself. load() restores into a pipeline built from the same
/// configuration (the model expression is compared first: a different one is an error naming
/// both); it applies the position last, once every part loaded. A part that fails to load leaves
/// the pipeline half restored: the caller must stop (the error says why), never run on.
///
///   std::string payload = PipelineState::save(parts, [&](core::StateWriter& out) {
///     source.save_position(out);
///   });
///   core::Status restored = PipelineState::load(payload, parts, [&](core::StateReader& in) {
///     return source.resume(in);
///   });

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/state_io.h"
#include "core/status.h"
#include "stream/features/feature_stage.h"
#include "stream/label_delay_queue.h"
#include "stream/prequential_evaluator.h"
#include "stream/serving_pipeline.h"

namespace streamlearn::stream {

class PipelineState {
 public:
  struct Parts {
    std::string model;  // the model expression, as PipelineModel::describe() gives it
    core::FeatureSpace* space = nullptr;
    core::ClassSet* classes = nullptr;
    features::FeatureStage* windows = nullptr;
    PrequentialEvaluator* evaluator = nullptr;
    LabelDelayQueue* delayed = nullptr;  // evaluate --delay; null when none
    ServingPipeline* serving = nullptr;  // run; null for evaluate
  };

  /// What a payload says about itself, read without restoring anything.
  struct Header {
    std::string model;
    std::int64_t saved_at_ms = 0;  // wall clock, ms since the epoch
    std::uint64_t events = 0;
    std::string position;  // the caller's bytes
  };

  using SavePosition = std::function<void(core::StateWriter&)>;
  using LoadPosition = std::function<core::Status(core::StateReader&)>;

  static std::string save(const Parts& parts, const SavePosition& save_position);
  static core::Status load(std::string_view payload, const Parts& parts,
                           const LoadPosition& load_position);
  static core::Result<Header> header(std::string_view payload);
};

}  // namespace streamlearn::stream
