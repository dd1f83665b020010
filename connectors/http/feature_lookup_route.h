#pragma once

/// The feature-store route of a pipeline process: `GET /features/{key}` answers with the current
/// window aggregates of a key, as of the latest event time the windows have seen (the window
/// features of the key's events, read now), for other services to read:
///
///   GET /features/user-42        -> 200 {"key":["user-42"],"features":{"mean(amount)@user_1h":12.5,
///                                                                      "count()@user_1h":3}}
///   GET /features/user-42/phone  -> windows keyed by two fields (by=[user, device])
///
/// Path segments are the values of the window's `by` fields in order (the event's key when `by`
/// is omitted), percent-decoded ("a%2Fb" is the value "a/b"); every window keyed by that many
/// fields answers, plus global target aggregates. 404 when no window holds the key, 400 for a
/// malformed path, 503 when the pipeline thread did not answer within `timeout` (it answers
/// between two events, so only a stalled pipeline delays it).
///
/// The windows belong to the pipeline thread: the handler hands the lookup to it through
/// `calls`, which that thread serves (KafkaRunner does, after every record and when idle).

#include <chrono>

#include "connectors/http/http_server.h"
#include "core/owner_thread_calls.h"
#include "stream/features/feature_stage.h"

namespace streamlearn::connectors {

/// `calls` and `stage` must outlive the server; `stage` is only touched through `calls`.
HttpServer::Route feature_lookup_route(core::OwnerThreadCalls& calls,
                                       stream::features::FeatureStage& stage,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(2));

}  // namespace streamlearn::connectors
