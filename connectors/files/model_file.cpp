#include "connectors/files/model_file.h"

#include <chrono>

#include "connectors/files/checksummed_file.h"

namespace streamlearn::connectors {
namespace {

constexpr std::string_view kMagic = "SLMODL\r\n";
constexpr std::uint32_t kPayloadVersion = 1;

}  // namespace

ModelFile ModelFile::of(std::string expression, std::uint64_t model_version, std::uint64_t events,
                        const core::FeatureSpace& space, const core::ClassSet& classes,
                        const learners::Learner& learner) {
  ModelFile file;
  file.expression = std::move(expression);
  file.model_version = model_version;
  file.saved_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  file.events = events;
  core::StateWriter names, class_names, state;
  space.save(names);
  classes.save(class_names);
  learner.save(state);
  file.names = names.bytes();
  file.classes = class_names.bytes();
  file.learner = state.bytes();
  return file;
}

std::string ModelFile::encode() const {
  core::StateWriter out;
  out.write(kPayloadVersion);
  out.write_string(expression);
  out.write(model_version);
  out.write(saved_at_ms);
  out.write(events);
  out.write_string(names);
  out.write_string(classes);
  out.write_string(learner);
  return ChecksummedFile::encode(kMagic, kFormatVersion, out.bytes());
}

core::Result<ModelFile> ModelFile::decode(std::string_view file) {
  core::Result<std::string> payload =
      ChecksummedFile::decode(kMagic, kFormatVersion, file, "model file");
  if (!payload) return payload.status();
  core::StateReader in(*payload);
  ModelFile model;
  if (!in.expect_version(kPayloadVersion) || !in.read_string(model.expression) ||
      !in.read(model.model_version) || !in.read(model.saved_at_ms) || !in.read(model.events) ||
      !in.read_string(model.names) || !in.read_string(model.classes) ||
      !in.read_string(model.learner) || !in.at_end()) {
    in.fail();
    return in.status("model file");
  }
  return model;
}

core::Result<ModelFile> ModelFile::read(const std::string& path) {
  core::Result<std::string> bytes = ChecksummedFile::read(path);
  if (!bytes) return core::Status::error("model file: " + bytes.status().message());
  core::Result<ModelFile> model = decode(*bytes);
  if (!model) return core::Status::error("model file '" + path + "': " + model.status().message());
  return model;
}

core::Status ModelFile::write(const std::string& path) const {
  return ChecksummedFile::write_atomically(path, encode());
}

core::Status ModelFile::load_names(core::FeatureSpace& space, core::ClassSet& class_set) const {
  // Both are checked before either changes: a class conflict must not leave the names loaded.
  core::FeatureSpace space_copy = space;
  core::StateReader names_in(names);
  if (core::Status loaded = space_copy.load(names_in); !loaded)
    return core::Status::error("feature names: " + loaded.message());
  core::ClassSet classes_copy = class_set;
  core::StateReader classes_in(classes);
  if (core::Status loaded = classes_copy.load(classes_in); !loaded)
    return core::Status::error("classes: " + loaded.message());
  core::StateReader names_again(names);
  core::StateReader classes_again(classes);
  SL_RETURN_IF_ERROR(space.load(names_again));
  return class_set.load(classes_again);
}

core::Status ModelFile::load_learner(learners::Learner& model) const {
  core::StateReader in(learner);
  if (core::Status loaded = model.load(in); !loaded)
    return core::Status::error("learner state: " + loaded.message());
  if (!in.at_end()) return core::Status::error("learner state: unexpected bytes after it");
  return core::Status::ok();
}

}  // namespace streamlearn::connectors
