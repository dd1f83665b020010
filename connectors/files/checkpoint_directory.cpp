#include "connectors/files/checkpoint_directory.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "core/xxhash64.h"

namespace streamlearn::connectors {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "SLCKPT\r\n";
constexpr std::string_view kPrefix = "checkpoint-";
constexpr std::string_view kSuffix = ".slck";
constexpr std::string_view kTemporarySuffix = ".tmp";

template <typename T>
void append_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff));
}

template <typename T>
T read_le(std::string_view bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return static_cast<T>(value);
}

std::string errno_text() { return std::strerror(errno); }

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

core::Status write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return core::Status::error(errno_text());
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return core::Status::ok();
}

core::Status fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return core::Status::error("cannot open '" + path + "' to sync it: " + errno_text());
  const bool synced = ::fsync(fd) == 0;
  const std::string error = synced ? "" : errno_text();
  ::close(fd);
  if (!synced) return core::Status::error("fsync of '" + path + "' failed: " + error);
  return core::Status::ok();
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
    if (entry.path().filename().string().ends_with(kTemporarySuffix))
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
  std::string file;
  file.reserve(kHeaderSize + payload.size());
  file.append(kMagic);
  append_le<std::uint32_t>(file, kFormatVersion);
  append_le<std::uint32_t>(file, 0);
  append_le<std::uint64_t>(file, payload.size());
  append_le<std::uint64_t>(file, core::xxhash64(payload, kFormatVersion));
  file.append(payload);
  return file;
}

core::Result<std::string> CheckpointDirectory::decode(std::string_view file) {
  if (file.size() < kHeaderSize || file.substr(0, kMagic.size()) != kMagic)
    return core::Status::error("not a streamlearn checkpoint (no header)");
  const auto version = read_le<std::uint32_t>(file, 8);
  if (version != kFormatVersion)
    return core::Status::error("checkpoint format version " + std::to_string(version) +
                               ", this build reads version " + std::to_string(kFormatVersion));
  const auto size = read_le<std::uint64_t>(file, 16);
  if (size != file.size() - kHeaderSize)
    return core::Status::error("truncated: the header says " + std::to_string(size) +
                               " payload bytes, the file has " +
                               std::to_string(file.size() - kHeaderSize));
  const std::string_view payload = file.substr(kHeaderSize);
  if (core::xxhash64(payload, kFormatVersion) != read_le<std::uint64_t>(file, 24))
    return core::Status::error("checksum mismatch: the file is corrupt");
  return std::string(payload);
}

core::Result<std::string> CheckpointDirectory::write(std::string_view payload) {
  const std::vector<std::uint64_t> present = sequences();
  const std::uint64_t sequence = present.empty() ? 1 : present.back() + 1;
  const std::string final_path = file_path(sequence);
  const std::string temporary = final_path + std::string(kTemporarySuffix);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return core::Status::error("checkpoint: cannot create '" + temporary + "': " + errno_text());
  core::Status written = write_all(fd, encode(payload));
  if (written && ::fsync(fd) != 0) written = core::Status::error("fsync failed: " + errno_text());
  ::close(fd);
  if (written && std::rename(temporary.c_str(), final_path.c_str()) != 0)
    written = core::Status::error("rename to '" + final_path + "' failed: " + errno_text());
  if (!written) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return core::Status::error("checkpoint: writing '" + temporary + "': " + written.message());
  }
  if (core::Status synced = fsync_path(params_.path, O_RDONLY | O_DIRECTORY); !synced)
    return core::Status::error("checkpoint: " + synced.message());
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
    std::ifstream in(checkpoint.path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    core::Result<std::string> payload =
        in.bad() ? core::Result<std::string>(core::Status::error("cannot read it"))
                 : decode(bytes);
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
