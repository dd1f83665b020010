#pragma once

/// The champion-and-challenger routes of a pipeline process with a challenger in shadow mode
/// (stream/challenger.h):
///
///   GET  /challenger          -> 200 the comparison as JSON (Challenger::to_json, plus
///                                "model_version"): both models' metric over the window
///   POST /challenger/promote  -> 200 {"promoted":true,"model_version":N,"serving":"...",
///                                "challenger":"..."}: the challenger serves from the next event
///                                as version N, the alert (kind promotion) is published, and the
///                                former serving model goes on as the challenger
///
/// A promotion by hand is an operator's decision: it does not wait for the comparison window
/// (GET /challenger shows how far it is). 503 when the pipeline thread did not answer within
/// `timeout`. The evaluator belongs to the pipeline thread: both handlers hand their work to it
/// through `calls`, which that thread serves between two records (KafkaRunner does).

#include <chrono>
#include <vector>

#include "connectors/http/http_server.h"
#include "core/owner_thread_calls.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::connectors {

/// `calls` and `evaluator` (which must have a challenger) must outlive the server; `evaluator`
/// is only touched through `calls`.
std::vector<HttpServer::Route> challenger_routes(
    core::OwnerThreadCalls& calls, stream::PrequentialEvaluator& evaluator,
    std::chrono::milliseconds timeout = std::chrono::seconds(2));

}  // namespace streamlearn::connectors
