#pragma once

/// ReferenceStream: one of River's reference CSV streams (../shared/reference/streams), read as
/// ../shared/reference/README.md prescribes, and scored test-then-train as River's
/// evaluate.progressive_val_score does, so that each learner's golden test compares like with
/// like. Reading costs one pass over the file and keeps every event in memory.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "learners/learner.h"

namespace streamlearn::testing {

struct LabelledEvent {
  core::FeatureVector x;
  core::Target y;
};

struct ReferenceStream {
  core::FeatureSpace features;
  core::ClassSet classes;
  std::vector<LabelledEvent> events;
};

/// Reads a header row, then one event per non-empty line: every column but the last is a float
/// feature keyed by its header name (interned in column order), the last is the class label
/// (interned through `classes`). A missing file or an unparsable value fails the running test.
ReferenceStream read_reference_stream(const std::filesystem::path& path);

struct PrequentialScore {
  std::uint64_t scored = 0;
  double accuracy = 0;
  double log_loss = 0;
};

/// River's progressive_val_score with metrics.Accuracy and metrics.LogLoss: for each event,
/// predict_proba_one, score it when the prediction is not empty (the predicted class is the first
/// arg-max), then learn_one. Log loss takes the probability of class 1 (0 if absent) clamped to
/// [1e-15, 1 - 1e-15] and averages with stats.Mean's running update.
PrequentialScore score_prequential(learners::Learner& model, const ReferenceStream& stream);

}  // namespace streamlearn::testing
