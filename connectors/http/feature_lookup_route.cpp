#include "connectors/http/feature_lookup_route.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace streamlearn::connectors {
namespace {

constexpr std::string_view kPrefix = "/features/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// The segments after /features/, percent-decoded; nullopt for an empty segment or a bad escape.
std::optional<std::vector<std::string>> key_parts(std::string_view path) {
  std::vector<std::string> parts(1);
  for (std::size_t i = kPrefix.size(); i < path.size(); ++i) {
    const char c = path[i];
    if (c == '/') {
      if (parts.back().empty()) return std::nullopt;
      parts.emplace_back();
    } else if (c == '%') {
      const int high = i + 2 < path.size() ? hex_value(path[i + 1]) : -1;
      const int low = high >= 0 ? hex_value(path[i + 2]) : -1;
      if (low < 0) return std::nullopt;
      parts.back().push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      parts.back().push_back(c);
    }
  }
  if (parts.back().empty()) return std::nullopt;
  return parts;
}

HttpServer::Response json_response(int status, const nlohmann::ordered_json& body) {
  return {.status = status, .content_type = "application/json", .body = body.dump() + "\n"};
}

HttpServer::Response error_response(int status, std::string message) {
  nlohmann::ordered_json body;
  body["error"] = std::move(message);
  return json_response(status, body);
}

}  // namespace

HttpServer::Route feature_lookup_route(core::OwnerThreadCalls& calls,
                                       stream::features::FeatureStage& stage,
                                       std::chrono::milliseconds timeout) {
  return {std::string(kPrefix),
          [&calls, &stage, timeout](std::string_view path, std::string_view) {
            std::optional<std::vector<std::string>> parts = key_parts(path);
            if (!parts)
              return error_response(
                  400,
                  "malformed key path '" + std::string(path) +
                      "': expected /features/{key} or /features/{field1}/{field2}... (the window's "
                      "by values in order, percent-encoded, none empty)");
            std::vector<std::pair<std::string, double>> values;
            std::optional<std::string> found = calls.call(
                [&] { return stage.lookup(*parts, values) ? std::string("found") : std::string(); },
                timeout);
            if (!found)
              return error_response(503, "the pipeline thread did not answer within " +
                                             std::to_string(timeout.count()) +
                                             " ms (busy or stopping); retry");
            nlohmann::ordered_json body;
            body["key"] = *parts;
            if (found->empty()) {
              body["error"] =
                  "no window holds this key (never seen, expired by ttl, evicted by "
                  "max_keys, or its windows closed)";
              return json_response(404, body);
            }
            nlohmann::ordered_json features = nlohmann::ordered_json::object();
            for (auto& [name, value] : values) features[name] = value;
            body["features"] = std::move(features);
            return json_response(200, body);
          }};
}

}  // namespace streamlearn::connectors
