#pragma once

/// Prediction: what a model said about one event, kept until the event's label is known. The
/// prequential evaluator makes one per event (PrequentialEvaluator::predict) and scores it when the
/// label arrives (learn): at once in test-then-train evaluation, N events later with delayed
/// labels (LabelDelayQueue). Copying one copies its probabilities; copy-assigning into a
/// Prediction that held as many classes before allocates nothing. When a challenger runs in
/// shadow mode (stream/challenger.h), what it said about the same event is kept beside the
/// serving model's, to be scored with the same label; it is never published.

#include <cstdint>

#include "core/class_probabilities.h"
#include "core/target.h"
#include "stream/event.h"

namespace streamlearn::stream {

/// What the model said about one event, kept until its label is known.
struct Prediction {
  core::ClassProbabilities proba;  // classification; empty when the model cannot predict yet
  core::Target value;  // the predicted class (first arg-max) or the predicted value; none when the
                       // model cannot predict
  std::uint64_t position = 0;  // 0-based index of the event in the run
  std::int64_t time_ms = Event::kNoTime;
  std::uint64_t model_version = 1;  // the version that made it
  core::ClassProbabilities challenger_proba;  // the challenger's, as proba (shadow mode only)
  core::Target challenger_value;              // the challenger's, as value; none without one
  bool empty() const { return !value.has_value(); }
};

}  // namespace streamlearn::stream
