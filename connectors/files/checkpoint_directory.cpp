#include "connectors/files/checkpoint_directory.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <utility>

#include "connectors/files/checksummed_file.h"

namespace streamlearn::connectors {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "SLCKPT\r\n";
constexpr std::string_view kPrefix = "checkpoint-";
constexpr std::string_view kSuffix = ".slck";

/// The sequence of a checkpoint file name, nullopt for any other name.
std::optional<std::uint64_t> sequence_of(const std::string& name) {
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return std::nullopt;
  const std::string_view digits(name.data() + kPrefix.size(),
                                name.size() - kPrefix.size() - kSuffix.size());
  std::uint64_t sequence = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return sequence;
}

}  // namespace

core::Result<CheckpointDirectory> CheckpointDirectory::open(Params params) {
  if (params.path.empty())
    return core::Status::error("checkpoint directory: no path given (set checkpoints.directory)");
  if (params.keep < 2)
    return core::Status::error("checkpoint directory: keep is " + std::to_string(params.keep) +
                               "; keep at least 2 so that a corrupt checkpoint has a predecessor");
  std::error_code error;
  fs::create_directories(params.path, error);
  if (error || !fs::is_directory(params.path))
    return core::Status::error("checkpoint directory '" + params.path +
                               "': cannot create it: " + error.message() +
                               " (choose a writable path with checkpoints.directory)");
  for (const fs::directory_entry& entry : fs::directory_iterator(params.path, error))
    if (entry.path().filename().string().ends_with(ChecksummedFile::kTemporarySuffix))
      fs::remove(entry.path(), error);  // a write that a crash interrupted
  return CheckpointDirectory(std::move(params));
}

std::string CheckpointDirectory::file_path(std::uint64_t sequence) const {
  std::string digits = std::to_string(sequence);
  digits.insert(0, 20 - digits.size(), '0');
  return (fs::path(params_.path) / (std::string(kPrefix) + digits + std::string(kSuffix))).string();
}

std::vector<std::uint64_t> CheckpointDirectory::sequences() const {
  std::vector<std::uint64_t> found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(params_.path, error))
    if (const std::optional<std::uint64_t> sequence = sequence_of(entry.path().filename()))
      found.push_back(*sequence);
  std::sort(found.begin(), found.end());
  return found;
}

std::string CheckpointDirectory::encode(std::string_view payload) {
  return ChecksummedFile::encode(kMagic, kFormatVersion, payload);
}

core::Result<std::string> CheckpointDirectory::decode(std::string_view file) {
  return ChecksummedFile::decode(kMagic, kFormatVersion, file, "checkpoint");
}

core::Result<std::string> CheckpointDirectory::write(std::string_view payload) {
  const std::vector<std::uint64_t> present = sequences();
  const std::uint64_t sequence = present.empty() ? 1 : present.back() + 1;
  const std::string final_path = file_path(sequence);
  if (core::Status written = ChecksummedFile::write_atomically(final_path, encode(payload));
      !written)
    return core::Status::error("checkpoint: " + written.message());
  // The valid ones beyond `keep` go, oldest first (corrupt ones were renamed away).
  const std::vector<std::uint64_t> after = sequences();
  for (std::size_t i = 0; i + params_.keep < after.size(); ++i) {
    std::error_code ignored;
    fs::remove(file_path(after[i]), ignored);
  }
  return final_path;
}

core::Result<std::optional<CheckpointDirectory::Checkpoint>> CheckpointDirectory::read_latest(
    std::vector<std::string>& problems) {
  const std::vector<std::uint64_t> present = sequences();
  for (auto it = present.rbegin(); it != present.rend(); ++it) {
    Checkpoint checkpoint{.sequence = *it, .path = file_path(*it), .payload = {}};
    core::Result<std::string> bytes = ChecksummedFile::read(checkpoint.path);
    core::Result<std::string> payload =
        bytes ? decode(*bytes) : core::Result<std::string>(core::Status::error("cannot read it"));
    if (payload) {
      checkpoint.payload = std::move(*payload);
      return std::optional<Checkpoint>(std::move(checkpoint));
    }
    problems.push_back(checkpoint.path + ": " + payload.status().message() +
                       " (kept as .corrupt; using the previous checkpoint)");
    std::error_code error;
    fs::rename(checkpoint.path, checkpoint.path + ".corrupt", error);
    if (error)
      return core::Status::error("checkpoint '" + checkpoint.path + "' is invalid (" +
                                 payload.status().message() +
                                 ") and cannot be moved aside: " + error.message());
  }
  return std::optional<Checkpoint>();
}

}  // namespace streamlearn::connectors
