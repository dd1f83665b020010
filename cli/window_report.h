#pragma once

/// The `windows` field of the JSON summaries of evaluate, run and transform: per window step, its
/// expression, the keys it holds and its counters (late events, events without an event time or a
/// `by` field, keys dropped as their windows closed, expired by ttl or evicted beyond max_keys,
/// and for target_agg the labels added and the late ones).

#include <nlohmann/json.hpp>

#include "stream/features/feature_stage.h"

namespace streamlearn::cli {

nlohmann::ordered_json window_report(const stream::features::FeatureStage& stage);

}  // namespace streamlearn::cli
