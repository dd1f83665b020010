#pragma once

/// CheckpointDirectory: the directory where a pipeline keeps its checkpoints, each one file
/// `checkpoint-<sequence>.slck` (20 digits, so names sort as numbers), written atomically: the
/// bytes go to a temporary file, which is fsynced, renamed over its final name, and the directory
/// fsynced; a crash at any moment leaves either the previous checkpoints or the new one, never a
/// half-written file under a checkpoint name. The newest `keep` checkpoints stay, older ones are
/// removed after each write.
///
/// File format: ChecksummedFile's framing with the magic "SLCKPT\r\n", version 1 (a header with
/// the payload size and its XXH64, then the payload); written with its write_atomically().
/// A file whose magic, version, size or checksum does not match is invalid: read_latest() reports
/// it, renames it to `<name>.corrupt` (kept for inspection, never read again) and falls back to
/// the previous checkpoint.
///
///   auto directory = CheckpointDirectory::open({.path = "state/"});
///   if (!directory) return directory.status();
///   std::vector<std::string> problems;
///   auto latest = directory->read_latest(problems);   // nullopt: start from scratch
///   ... directory->write(state_bytes);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace streamlearn::connectors {

class CheckpointDirectory {
 public:
  static constexpr std::uint32_t kFormatVersion = 1;
  static constexpr std::size_t kHeaderSize = 32;  // ChecksummedFile::kHeaderSize

  struct Params {
    std::string path;
    /// Valid checkpoints kept (at least 2, so a checkpoint found corrupt has a predecessor).
    std::size_t keep = 3;
  };

  struct Checkpoint {
    std::uint64_t sequence = 0;
    std::string path;
    std::string payload;
  };

  /// Creates the directory when missing and removes temporary files a crash left behind.
  static core::Result<CheckpointDirectory> open(Params params);

  /// Writes `payload` as the next checkpoint (sequence one past the newest file present) and
  /// removes the valid checkpoints beyond `keep`. Returns the new file's path.
  core::Result<std::string> write(std::string_view payload);

  /// The newest valid checkpoint, or nullopt when there is none. Each invalid checkpoint met on
  /// the way is renamed `<name>.corrupt` and described in `problems` ("<path>: <what>").
  core::Result<std::optional<Checkpoint>> read_latest(std::vector<std::string>& problems);

  /// The sequences of the checkpoint files present, oldest first (not validated).
  std::vector<std::uint64_t> sequences() const;

  /// The file format around a payload, and its check (for tests and `models` tooling).
  static std::string encode(std::string_view payload);
  /// The payload of a whole file's bytes, or an error saying what is wrong.
  static core::Result<std::string> decode(std::string_view file);

  const std::string& path() const { return params_.path; }

 private:
  explicit CheckpointDirectory(Params params) : params_(std::move(params)) {}
  std::string file_path(std::uint64_t sequence) const;

  Params params_;
};

}  // namespace streamlearn::connectors
