#pragma once

/// The JSON form of an event's feature vector, one object per event, as `streamlearn transform`
/// prints it and the features topic of `streamlearn run` carries it:
///
///   {"id":"e17","key":"user-3","event_time":1700000000017,
///    "features":{"amount":12.5,"country":"FR","mean(amount)@user_1h":30.25,"count()@user_1h":4}}
///
/// Numeric features are numbers written shortest round-trip (a reader gets the exact doubles),
/// categorical ones their value as a string, in the vector's order (numeric first); `id`, `key`
/// and `event_time` are null when the event has none. The same event gives the same bytes in
/// every run, which is what replay checks compare. Written into a reused buffer.

#include <string>

#include "core/feature_space.h"
#include "core/feature_vector.h"
#include "stream/event.h"

namespace streamlearn::stream {

/// Replaces `out` with the features record of `event` whose features are `x`.
void write_features_json(const Event& event, const core::FeatureVector& x,
                         const core::FeatureSpace& space, std::string& out);

}  // namespace streamlearn::stream
