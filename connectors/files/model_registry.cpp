#include "connectors/files/model_registry.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <utility>

#include "connectors/files/checksummed_file.h"

namespace streamlearn::connectors {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr std::string_view kFolder = "models";
constexpr std::string_view kPrefix = "version-";
constexpr std::string_view kMetadataSuffix = ".json";
constexpr std::string_view kSnapshotSuffix = ".slmodel";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// "2026-11-22T04:05:06.123Z".
std::string iso_time(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const std::size_t length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + length, sizeof(text) - length, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

std::string padded(std::uint64_t version) {
  std::string digits = std::to_string(version);
  digits.insert(0, 20 - digits.size(), '0');
  return digits;
}

std::optional<std::uint64_t> version_of(const std::string& name) {
  if (!name.starts_with(kPrefix) || !name.ends_with(kMetadataSuffix)) return std::nullopt;
  const std::string_view digits(name.data() + kPrefix.size(),
                                name.size() - kPrefix.size() - kMetadataSuffix.size());
  std::uint64_t version = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return version;
}

Json metrics_of(const stream::PrequentialEvaluator& evaluator) {
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  Json out = Json::object();
  for (const auto& [name, value] : metrics) out[name] = value;
  return out;
}

core::Result<Json> read_json(const std::string& path) {
  core::Result<std::string> text = ChecksummedFile::read(path);
  if (!text) return text.status();
  Json parsed = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object())
    return core::Status::error("'" + path + "' is not a JSON object (edited by hand?)");
  return parsed;
}

core::Status write_json(const std::string& path, const Json& json) {
  return ChecksummedFile::write_atomically(path, json.dump(2) + "\n");
}

std::optional<double> number_at(const Json& json, const char* object, const std::string& name) {
  if (!json.contains(object) || !json[object].is_object() || !json[object].contains(name) ||
      !json[object][name].is_number())
    return std::nullopt;
  return json[object][name].get<double>();
}

std::string unique_request_id() {
  std::random_device random;
  return std::to_string(now_ms()) + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(random());
}

}  // namespace

core::Result<std::unique_ptr<ModelRegistry>> ModelRegistry::open(
    const std::string& checkpoint_directory) {
  const std::string path = (fs::path(checkpoint_directory) / kFolder).string();
  std::error_code error;
  fs::create_directories(path, error);
  if (error || !fs::is_directory(path))
    return core::Status::error("model registry '" + path + "': cannot create it: " +
                               error.message() + " (choose a writable checkpoint directory)");
  for (const fs::directory_entry& entry : fs::directory_iterator(path, error))
    if (entry.path().filename().string().ends_with(ChecksummedFile::kTemporarySuffix))
      fs::remove(entry.path(), error);  // a write that a crash interrupted
  return std::unique_ptr<ModelRegistry>(new ModelRegistry(path));
}

core::Result<std::unique_ptr<ModelRegistry>> ModelRegistry::open_existing(
    const std::string& checkpoint_directory) {
  if (!fs::is_directory(checkpoint_directory))
    return core::Status::error("checkpoint directory '" + checkpoint_directory +
                               "' does not exist: give the --checkpoint-dir (evaluate) or "
                               "checkpoints.directory (run) of a pipeline");
  const std::string path = (fs::path(checkpoint_directory) / kFolder).string();
  if (!fs::is_directory(path))
    return core::Status::error("no model registry in '" + checkpoint_directory +
                               "' (no models/ folder): a pipeline records its model versions "
                               "there when it runs with this checkpoint directory");
  return std::unique_ptr<ModelRegistry>(new ModelRegistry(path));
}

std::string ModelRegistry::metadata_path(std::uint64_t version) const {
  return (fs::path(path_) / (std::string(kPrefix) + padded(version) + std::string(kMetadataSuffix)))
      .string();
}

std::string ModelRegistry::snapshot_path(std::uint64_t version) const {
  return (fs::path(path_) / (std::string(kPrefix) + padded(version) + std::string(kSnapshotSuffix)))
      .string();
}

std::string ModelRegistry::current_path() const {
  return (fs::path(path_) / "current.slmodel").string();
}

std::string ModelRegistry::request_path() const {
  return (fs::path(path_) / "rollback-request.json").string();
}

std::vector<std::uint64_t> ModelRegistry::versions() const {
  std::vector<std::uint64_t> found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(path_, error))
    if (const std::optional<std::uint64_t> version = version_of(entry.path().filename()))
      found.push_back(*version);
  std::sort(found.begin(), found.end());
  return found;
}

// --- The pipeline side.

core::Status ModelRegistry::start(Pipeline pipeline, bool resumed,
                                  const std::string& warm_start_source) {
  pipeline_ = std::move(pipeline);
  SL_RETURN_IF_ERROR(reconcile(resumed));
  if (!resumed) {
    Json detail = Json::object();
    if (!warm_start_source.empty()) detail["warm_start_from"] = warm_start_source;
    SL_RETURN_IF_ERROR(record_version(pipeline_.evaluator->model_version(),
                                      warm_start_source.empty() ? "start" : "warm_start", 0,
                                      pipeline_.evaluator->events(), detail.dump()));
  }
  pipeline_.evaluator->on_version_change(
      [this](const stream::PrequentialEvaluator::VersionChange& change) {
        on_version_change(change);
      });
  SL_RETURN_IF_ERROR(write_current());
  SL_RETURN_IF_ERROR(remove_held_request());
  SL_RETURN_IF_ERROR(apply_request());
  return deferred_error_;
}

core::Status ModelRegistry::reconcile(bool resumed) {
  // What a crash left newer than the restored state goes: the replay makes those versions again.
  const std::uint64_t serving = pipeline_.evaluator->model_version();
  for (std::uint64_t version : versions()) {
    if (version < serving || (resumed && version == serving)) continue;
    std::error_code ignored;
    fs::remove(snapshot_path(version), ignored);
    fs::remove(metadata_path(version), ignored);
  }
  if (!resumed) return ChecksummedFile::sync_directory(path_);
  // The serving version may have been retired after the checkpoint: it serves again.
  std::error_code ignored;
  fs::remove(snapshot_path(serving), ignored);
  core::Result<Json> metadata = read_json(metadata_path(serving));
  if (!metadata) {
    Json detail = {{"note", "the registry had no record of this version when its checkpoint "
                            "was restored"}};
    return record_version(serving, "restored", serving - 1, pipeline_.evaluator->events(),
                          detail.dump());
  }
  if (metadata->value("status", "") == "serving") return ChecksummedFile::sync_directory(path_);
  (*metadata)["status"] = "serving";
  for (const char* field : {"retired_ms", "retired", "retired_at_events", "metrics_at_retirement",
                            "snapshot"})
    metadata->erase(field);
  return write_json(metadata_path(serving), *metadata);
}

std::string ModelRegistry::expression_of(const learners::Learner& model) const {
  return pipeline_.windows.empty() ? model.describe() : pipeline_.windows + " | " + model.describe();
}

core::Status ModelRegistry::record_version(std::uint64_t version, std::string_view reason,
                                           std::uint64_t parent, std::uint64_t events,
                                           const std::string& detail_json) {
  const std::int64_t created_ms = now_ms();
  Json metadata;
  metadata["version"] = version;
  metadata["reason"] = std::string(reason);
  if (!detail_json.empty()) {
    const Json detail = Json::parse(detail_json);
    for (const auto& [key, value] : detail.items()) metadata[key] = value;
  }
  metadata["parent"] = parent == 0 ? Json() : Json(parent);
  metadata["status"] = "serving";
  metadata["model"] = expression_of(pipeline_.evaluator->model());
  metadata["created_ms"] = created_ms;
  metadata["created"] = iso_time(created_ms);
  metadata["created_at_events"] = events;
  metadata["metrics_at_creation"] = metrics_of(*pipeline_.evaluator);
  return write_json(metadata_path(version), metadata);
}

core::Status ModelRegistry::retire_version(std::uint64_t version, std::uint64_t events,
                                           const learners::Learner& model) {
  // The snapshot first: metadata that names a snapshot always has one.
  const ModelFile snapshot = ModelFile::of(expression_of(model), version, events, *pipeline_.space,
                                           *pipeline_.classes, model);
  SL_RETURN_IF_ERROR(snapshot.write(snapshot_path(version)));
  core::Result<Json> metadata = read_json(metadata_path(version));
  if (!metadata) return metadata.status();
  const std::int64_t retired_ms = now_ms();
  (*metadata)["status"] = "retired";
  (*metadata)["retired_ms"] = retired_ms;
  (*metadata)["retired"] = iso_time(retired_ms);
  (*metadata)["retired_at_events"] = events;
  (*metadata)["metrics_at_retirement"] = metrics_of(*pipeline_.evaluator);
  (*metadata)["snapshot"] = fs::path(snapshot_path(version)).filename().string();
  return write_json(metadata_path(version), *metadata);
}

void ModelRegistry::on_version_change(const stream::PrequentialEvaluator::VersionChange& change) {
  // Called on the hot path, where nothing may fail: a write error is kept and stops the next
  // checkpoint (before_checkpoint), so the pipeline says so instead of running on unrecorded.
  core::Status retired = retire_version(change.version - 1, change.events, change.retired);
  core::Status recorded = record_version(change.version, change.reason, change.version - 1,
                                         change.events, pending_detail_);
  pending_detail_.clear();
  if (deferred_error_ && !retired)
    deferred_error_ = core::Status::error("model registry: " + retired.message());
  if (deferred_error_ && !recorded)
    deferred_error_ = core::Status::error("model registry: " + recorded.message());
}

core::Status ModelRegistry::write_current() {
  const stream::PrequentialEvaluator& evaluator = *pipeline_.evaluator;
  const ModelFile current =
      ModelFile::of(expression_of(evaluator.model()), evaluator.model_version(), evaluator.events(),
                    *pipeline_.space, *pipeline_.classes, pipeline_.evaluator->model());
  if (core::Status written = current.write(current_path()); !written)
    return core::Status::error("model registry: " + written.message());
  return core::Status::ok();
}

bool ModelRegistry::request_applied(const std::string& id) const {
  const std::uint64_t serving = pipeline_.evaluator->model_version();
  for (std::uint64_t version : versions()) {
    if (version > serving) continue;
    core::Result<Json> metadata = read_json(metadata_path(version));
    if (metadata && metadata->value("rollback_request", "") == id) return true;
  }
  return false;
}

core::Status ModelRegistry::apply_request() {
  if (!fs::exists(request_path())) return core::Status::ok();
  core::Result<Json> request = read_json(request_path());
  const auto refuse = [&](const std::string& why) {
    std::error_code ignored;
    fs::rename(request_path(), request_path() + ".refused", ignored);
    if (pipeline_.report)
      pipeline_.report("rollback request " + request_path() + " refused (kept as .refused): " +
                       why);
    return core::Status::ok();
  };
  if (!request) return refuse(request.status().message());
  const std::string id = request->value("id", "");
  if (!(*request)["version"].is_number_unsigned() || id.empty())
    return refuse("it needs a \"version\" and an \"id\" (write it with streamlearn models "
                  "rollback)");
  if (request_applied(id)) return core::Status::ok();  // removed after the next checkpoint
  const auto version = (*request)["version"].get<std::uint64_t>();
  core::Result<ModelFile> snapshot = this->snapshot(version);
  if (!snapshot) return refuse(snapshot.status().message());
  const std::string serving = expression_of(pipeline_.evaluator->model());
  if (snapshot->expression != serving)
    return refuse("version " + std::to_string(version) + " is the model '" +
                  snapshot->expression + "', the pipeline serves '" + serving +
                  "' (a rollback restores a version of the serving model's expression)");
  if (core::Status loaded = snapshot->load_names(*pipeline_.space, *pipeline_.classes); !loaded)
    return refuse("version " + std::to_string(version) + ": " + loaded.message());
  std::unique_ptr<learners::Learner> model = pipeline_.evaluator->model().clone();
  if (core::Status loaded = snapshot->load_learner(*model); !loaded)
    return refuse("version " + std::to_string(version) + ": " + loaded.message());
  pending_detail_ = Json{{"rollback_of", version}, {"rollback_request", id}}.dump();
  pipeline_.evaluator->replace_model(std::move(model), "rollback");
  if (pipeline_.report)
    pipeline_.report("rolled back to version " + std::to_string(version) + ": now version " +
                     std::to_string(pipeline_.evaluator->model_version()) + " after " +
                     std::to_string(pipeline_.evaluator->events()) + " events");
  return core::Status::ok();
}

core::Status ModelRegistry::before_checkpoint() {
  SL_RETURN_IF_ERROR(deferred_error_);
  SL_RETURN_IF_ERROR(apply_request());
  return deferred_error_;
}

core::Status ModelRegistry::after_checkpoint() {
  SL_RETURN_IF_ERROR(write_current());
  return remove_held_request();
}

core::Status ModelRegistry::remove_held_request() {
  // The state (the checkpoint just written, or the one restored) holds every version up to the
  // serving one: a request one of them records is done. (Removed before the checkpoint, a crash
  // would lose it.)
  if (!fs::exists(request_path())) return core::Status::ok();
  core::Result<Json> request = read_json(request_path());
  if (!request || !request_applied(request->value("id", ""))) return core::Status::ok();
  std::error_code ignored;
  fs::remove(request_path(), ignored);
  return ChecksummedFile::sync_directory(path_);
}

// --- The read side.

core::Result<std::string> ModelRegistry::unknown_version(std::uint64_t version) const {
  std::string known;
  for (std::uint64_t present : versions())
    known += (known.empty() ? "" : ", ") + std::to_string(present);
  return core::Status::error("no version " + std::to_string(version) + " in the model registry '" +
                             path_ + "'; " +
                             (known.empty() ? std::string("it holds none yet")
                                            : "the versions are " + known) +
                             " (streamlearn models list)");
}

core::Result<std::string> ModelRegistry::metadata(std::uint64_t version) const {
  if (!fs::exists(metadata_path(version))) return unknown_version(version);
  return ChecksummedFile::read(metadata_path(version));
}

core::Result<std::vector<ModelRegistry::Summary>> ModelRegistry::summaries() const {
  std::vector<Summary> out;
  for (std::uint64_t version : versions()) {
    core::Result<Json> metadata = read_json(metadata_path(version));
    if (!metadata) return metadata.status();
    const Json& json = *metadata;
    Summary summary;
    summary.version = version;
    summary.reason = json.value("reason", "");
    if (json.contains("rollback_of"))
      summary.reason += " of " + json["rollback_of"].dump();
    if (json.contains("warm_start_from"))
      summary.reason += " from " + json.value("warm_start_from", "");
    summary.created = json.value("created", "");
    summary.events = json.value("created_at_events", std::uint64_t{0});
    summary.serving = json.value("status", "") == "serving";
    // The main metric: the first one reported, over the rolling window when there is one (the
    // cumulative one mixes every version before).
    if (json.contains("metrics_at_creation") && json["metrics_at_creation"].is_object() &&
        !json["metrics_at_creation"].empty()) {
      const std::string first = json["metrics_at_creation"].begin().key();
      summary.metric =
          json["metrics_at_creation"].contains("rolling_" + first) ? "rolling_" + first : first;
      summary.metric_at_creation = number_at(json, "metrics_at_creation", summary.metric);
      summary.metric_at_retirement = number_at(json, "metrics_at_retirement", summary.metric);
    }
    out.push_back(std::move(summary));
  }
  return out;
}

core::Result<ModelFile> ModelRegistry::snapshot(std::optional<std::uint64_t> version) const {
  if (!version) {
    if (!fs::exists(current_path()))
      return core::Status::error("no current model in '" + path_ +
                                 "' yet: a pipeline writes it at start and after every "
                                 "checkpoint");
    return ModelFile::read(current_path());
  }
  core::Result<Json> metadata = fs::exists(metadata_path(*version))
                                    ? read_json(metadata_path(*version))
                                    : core::Result<Json>(unknown_version(*version).status());
  if (!metadata) return metadata.status();
  if (metadata->value("status", "") == "serving") {
    // The serving version's model is `current` (as of the last checkpoint).
    core::Result<ModelFile> current = snapshot(std::nullopt);
    if (current && current->model_version != *version)
      return core::Status::error("version " + std::to_string(*version) +
                                 " serves, but the current model file is version " +
                                 std::to_string(current->model_version) +
                                 " (a pipeline is between two checkpoints): try again");
    return current;
  }
  return ModelFile::read(snapshot_path(*version));
}

core::Result<std::string> ModelRegistry::request_rollback(std::uint64_t version) {
  core::Result<Json> metadata = fs::exists(metadata_path(version))
                                    ? read_json(metadata_path(version))
                                    : core::Result<Json>(unknown_version(version).status());
  if (!metadata) return metadata.status();
  if (metadata->value("status", "") == "serving")
    return core::Status::error("version " + std::to_string(version) +
                               " is the serving one: there is nothing to roll back");
  core::Result<ModelFile> snapshot = this->snapshot(version);
  if (!snapshot)
    return core::Status::error("version " + std::to_string(version) +
                               " cannot be rolled back to: " + snapshot.status().message());
  const std::int64_t requested_ms = now_ms();
  const Json request = {{"version", version},
                        {"id", unique_request_id()},
                        {"requested_ms", requested_ms},
                        {"requested", iso_time(requested_ms)}};
  if (core::Status written = ChecksummedFile::write_atomically(
          request_path(), request.dump(2) + "\n", ChecksummedFile::Existing::kRefuse);
      !written) {
    core::Result<Json> pending = read_json(request_path());
    if (pending)
      return core::Status::error(
          "a rollback to version " + (*pending)["version"].dump() + " is pending since " +
          pending->value("requested", "?") + " (" + request_path() +
          "): the pipeline applies it at its next checkpoint or start; remove that file to "
          "request another one");
    return written;
  }
  return request_path();
}

}  // namespace streamlearn::connectors
