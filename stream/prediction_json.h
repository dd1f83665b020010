#pragma once

/// The JSON form of a prediction record, as the predictions topic carries it (one object, no
/// newline), a stable documented schema (README, "Prediction records"):
///
///   {"id":"e17","key":"user-3","event_time":1700000000017,"model_version":1,
///    "prediction":"1","probabilities":{"0":0.12,"1":0.88},
///    "source":{"topic":"events","partition":2,"offset":4711}}
///
/// `prediction` is the class name (first arg-max) for classifiers, a number for regressors, null
/// when the model cannot predict yet (then `probabilities` is {}) or predicts a class the stream
/// has not named yet (no label seen so far); `id`, `key` are null when the
/// event has none, `event_time` null when unknown. Numbers are written shortest round-trip, so a
/// reader gets the exact doubles back. Hand-written into a reused buffer: no allocation per record
/// in steady state.

#include <string>

#include "core/class_set.h"
#include "stream/event.h"
#include "stream/prediction.h"
#include "stream/source_record.h"

namespace streamlearn::stream {

/// Replaces `out` with the prediction record of `event`.
void write_prediction_json(const Event& event, const Prediction& prediction,
                           const SourceRecord& origin, const core::ClassSet& classes,
                           std::string& out);

}  // namespace streamlearn::stream
