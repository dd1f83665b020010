#include "connectors/http/challenger_routes.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace streamlearn::connectors {
namespace {

HttpServer::Response json_response(int status, std::string body) {
  return {.status = status, .content_type = "application/json", .body = std::move(body) + "\n"};
}

HttpServer::Response not_answered(std::chrono::milliseconds timeout) {
  nlohmann::ordered_json body;
  body["error"] = "the pipeline thread did not answer within " + std::to_string(timeout.count()) +
                  " ms (busy or stopping); retry";
  return json_response(503, body.dump());
}

}  // namespace

std::vector<HttpServer::Route> challenger_routes(core::OwnerThreadCalls& calls,
                                                 stream::PrequentialEvaluator& evaluator,
                                                 std::chrono::milliseconds timeout) {
  std::vector<HttpServer::Route> routes;
  routes.push_back(
      {"/challenger", [&calls, &evaluator, timeout](std::string_view, std::string_view) {
         std::optional<std::string> report = calls.call(
             [&] {
               nlohmann::ordered_json body = nlohmann::ordered_json::parse(
                   evaluator.challenger()->to_json(evaluator.model()));
               body["model_version"] = evaluator.model_version();
               return body.dump();
             },
             timeout);
         return report ? json_response(200, *report) : not_answered(timeout);
       }});
  routes.push_back({"/challenger/promote",
                    [&calls, &evaluator, timeout](std::string_view, std::string_view) {
                      bool refused = false;  // written on the pipeline thread while call() waits
                      std::optional<std::string> promoted = calls.call(
                          [&] {
                            nlohmann::ordered_json body;
                            if (core::Status status = evaluator.promote_challenger(); !status) {
                              refused = true;
                              body["error"] = status.message();
                              return body.dump();
                            }
                            body["promoted"] = true;
                            body["model_version"] = evaluator.model_version();
                            body["serving"] = evaluator.model().describe();
                            body["challenger"] = evaluator.challenger()->model().describe();
                            return body.dump();
                          },
                          timeout);
                      if (!promoted) return not_answered(timeout);
                      return json_response(refused ? 409 : 200, *promoted);
                    },
                    /*post=*/true});
  return routes;
}

}  // namespace streamlearn::connectors
