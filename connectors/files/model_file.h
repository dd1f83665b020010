#pragma once

/// ModelFile: one model as a self-contained file, what the model registry keeps of every retired
/// version, of the serving one (`current`), and what `streamlearn models export` writes and
/// `--warm-start` reads: the model expression, the FeatureSpace and ClassSet names the learner's
/// ids refer to, and the learner's state (Learner::save). Not the window steps' keyed state (that
/// is data, not model), so a warm-started pipeline starts its windows empty.
///
/// File: ChecksummedFile's framing, magic "SLMODL\r\n", format version 1; the payload is the
/// payload version, the expression, the registry version it was (0: none), the wall-clock time
/// and the events seen when it was written, then the names, the classes and the learner state,
/// each length-prefixed.
///
/// Loading into a pipeline built from the same expression: load_names() first, before the source
/// interns any name (the names the expression interned itself must have their saved ids, which
/// they do when the expressions are equal; the rest are interned in the saved order), then
/// load_learner() into its learner.
///
///   auto file = ModelFile::read("model.slmodel");
///   if (file->expression != model.describe()) ... an error naming both
///   SL_RETURN_IF_ERROR(file->load_names(space, classes));
///   SL_RETURN_IF_ERROR(file->load_learner(*model.learner));

#include <cstdint>
#include <string>
#include <string_view>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/status.h"
#include "learners/learner.h"

namespace streamlearn::connectors {

struct ModelFile {
  static constexpr std::uint32_t kFormatVersion = 1;

  std::string expression;          // PipelineModel::describe()
  std::uint64_t model_version = 0;  // the registry's version number, 0 when none
  std::int64_t saved_at_ms = 0;     // wall clock, ms since the epoch
  std::uint64_t events = 0;         // events the pipeline had seen
  std::string names;                // FeatureSpace::save
  std::string classes;              // ClassSet::save
  std::string learner;              // Learner::save

  /// The model `learner` of a pipeline now.
  static ModelFile of(std::string expression, std::uint64_t model_version, std::uint64_t events,
                      const core::FeatureSpace& space, const core::ClassSet& classes,
                      const learners::Learner& learner);

  /// The whole file's bytes, and back (an error saying what is wrong: header, checksum, payload).
  std::string encode() const;
  static core::Result<ModelFile> decode(std::string_view file);

  /// Reads and decodes `path`; errors name the path.
  static core::Result<ModelFile> read(const std::string& path);
  /// Writes the file atomically (ChecksummedFile::write_atomically).
  [[nodiscard]] core::Status write(const std::string& path) const;

  /// Loads the names into a pipeline's space and classes; an error when they conflict with the
  /// names it holds (another expression, or a source opened first). On failure both unchanged.
  [[nodiscard]] core::Status load_names(core::FeatureSpace& space,
                                        core::ClassSet& class_set) const;
  /// Loads the learner state into `model` (built from `expression`).
  [[nodiscard]] core::Status load_learner(learners::Learner& model) const;
};

}  // namespace streamlearn::connectors
