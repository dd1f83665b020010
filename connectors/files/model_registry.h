#pragma once

/// ModelRegistry: the model versions of a pipeline, kept in its checkpoint directory under
/// `models/`. Every replacement of the serving model (a drift reset, a background swap, a
/// promotion, a rollback) is a new version; each has a metadata file `version-<20 digits>.json`
/// (version, reason, parent, created (ms since the epoch and ISO 8601), events seen, the model
/// expression, the metrics then; once retired: when, after how many events, the metrics then, and
/// its snapshot), and each retired one a snapshot `version-<20 digits>.slmodel` (a ModelFile).
/// The serving model is written as `current.slmodel` after every checkpoint (and at start), so
/// that it too can be exported. All files are written atomically (ChecksummedFile).
///
/// A pipeline attaches it after its checkpoint restore (start()): versions newer than the
/// restored state's are dropped (a crash after them; the replay makes them again), the serving
/// one is marked serving, a fresh start records version 1 (reason start, or warm_start), and a
/// pending rollback request is applied. It then listens to the evaluator's version changes, and
/// PipelineCheckpoints calls before_checkpoint() (applies a rollback request that came) and
/// after_checkpoint() (writes `current`, removes the request the checkpoint now holds).
///
/// Rollback (`streamlearn models rollback`): request_rollback() writes `rollback-request.json`
/// (the version and a unique id). Applying it = replace_model(the snapshot loaded into a clone of
/// the serving model, "rollback"); the new version records the request id. The request is
/// removed only once a checkpoint holds that version, and a request whose id a version of the
/// restored state records is not applied again: exactly once across a crash at any point.
///
/// Read side (the CLI): open_existing(), summaries(), metadata(), snapshot().
/// Not thread-safe: the pipeline thread only; the CLI may read and request concurrently.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/files/model_file.h"
#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/status.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::connectors {

class ModelRegistry {
 public:
  /// The pipeline whose versions are recorded.
  struct Pipeline {
    /// The window steps before the learner (FeatureStage::describe(), empty when none): a
    /// version's expression is these steps and its learner's (which a promoted challenger
    /// changes).
    std::string windows;
    core::FeatureSpace* space = nullptr;
    core::ClassSet* classes = nullptr;
    stream::PrequentialEvaluator* evaluator = nullptr;
    /// Where messages a user should see go (a rollback applied or refused); may be empty.
    std::function<void(const std::string&)> report;
  };

  /// One line of `models list`.
  struct Summary {
    std::uint64_t version = 0;
    std::string reason;  // with its detail: "rollback of 2", "warm_start from m.slmodel"
    std::string created;  // ISO 8601 UTC
    std::uint64_t events = 0;
    bool serving = false;
    std::string metric;  // the main metric's name ("" when the pipeline reports none)
    std::optional<double> metric_at_creation;
    std::optional<double> metric_at_retirement;
  };

  /// `<checkpoint_directory>/models`, created when missing (temporary files a crash left removed).
  static core::Result<std::unique_ptr<ModelRegistry>> open(const std::string& checkpoint_directory);
  /// The registry of an existing directory; an error saying so when it has none.
  static core::Result<std::unique_ptr<ModelRegistry>> open_existing(
      const std::string& checkpoint_directory);

  // --- The pipeline side.

  /// After the checkpoint restore (`resumed`: one was restored), before the first event; see
  /// above. `warm_start_source`: the model file the fresh pipeline was loaded from, or empty.
  [[nodiscard]] core::Status start(Pipeline pipeline, bool resumed,
                                   const std::string& warm_start_source);
  /// Applies a rollback request, if one came (a refused one is renamed `.refused` and reported);
  /// an error when the registry could not be written since the last checkpoint.
  [[nodiscard]] core::Status before_checkpoint();
  /// Writes `current` and removes a request the checkpoint just written holds.
  [[nodiscard]] core::Status after_checkpoint();

  // --- The read side.

  /// The versions present, oldest first.
  std::vector<std::uint64_t> versions() const;
  core::Result<std::vector<Summary>> summaries() const;
  /// The metadata of one version as JSON text; an unknown version lists the known ones.
  core::Result<std::string> metadata(std::uint64_t version) const;
  /// The snapshot of a retired version, or of the serving one (`current`: nullopt version);
  /// checked (header, checksum).
  core::Result<ModelFile> snapshot(std::optional<std::uint64_t> version) const;
  /// Asks the pipeline (running or not) to roll back to `version`: checks that its snapshot is
  /// valid and no other request is pending. Returns the request file's path.
  core::Result<std::string> request_rollback(std::uint64_t version);

  const std::string& path() const { return path_; }
  std::string metadata_path(std::uint64_t version) const;
  std::string snapshot_path(std::uint64_t version) const;
  std::string current_path() const;
  std::string request_path() const;

 private:
  explicit ModelRegistry(std::string path) : path_(std::move(path)) {}

  void on_version_change(const stream::PrequentialEvaluator::VersionChange& change);
  /// The whole expression of a version whose learner is `model`: the window steps, then it.
  std::string expression_of(const learners::Learner& model) const;
  core::Status record_version(std::uint64_t version, std::string_view reason,
                              std::uint64_t parent, std::uint64_t events,
                              const std::string& detail_json);
  core::Status retire_version(std::uint64_t version, std::uint64_t events,
                              const learners::Learner& model);
  core::Status reconcile(bool resumed);
  core::Status write_current();
  /// Applies the pending request unless the state holds it already.
  core::Status apply_request();
  /// Removes the pending request when a version of the state records it.
  core::Status remove_held_request();
  /// Whether a version of the state (up to the serving one) records the request `id`.
  bool request_applied(const std::string& id) const;
  core::Result<std::string> unknown_version(std::uint64_t version) const;

  std::string path_;
  Pipeline pipeline_;
  std::string pending_detail_;  // JSON object text the next recorded version adds
  core::Status deferred_error_ = core::Status::ok();
};

}  // namespace streamlearn::connectors
