#include "connectors/files/checksummed_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/xxhash64.h"

namespace streamlearn::connectors {
namespace {

namespace fs = std::filesystem;

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

}  // namespace

std::string ChecksummedFile::encode(std::string_view magic, std::uint32_t format_version,
                                    std::string_view payload) {
  std::string file;
  file.reserve(kHeaderSize + payload.size());
  file.append(magic);
  append_le<std::uint32_t>(file, format_version);
  append_le<std::uint32_t>(file, 0);
  append_le<std::uint64_t>(file, payload.size());
  append_le<std::uint64_t>(file, core::xxhash64(payload, format_version));
  file.append(payload);
  return file;
}

core::Result<std::string> ChecksummedFile::decode(std::string_view magic,
                                                  std::uint32_t format_version,
                                                  std::string_view file, std::string_view what) {
  if (file.size() < kHeaderSize || file.substr(0, magic.size()) != magic)
    return core::Status::error("not a streamlearn " + std::string(what) + " (no header)");
  const auto version = read_le<std::uint32_t>(file, 8);
  if (version != format_version)
    return core::Status::error(std::string(what) + " format version " + std::to_string(version) +
                               ", this build reads version " + std::to_string(format_version));
  if (read_le<std::uint32_t>(file, 12) != 0)
    return core::Status::error("the header's reserved bytes are not zero: the file is corrupt");
  const auto size = read_le<std::uint64_t>(file, 16);
  if (size != file.size() - kHeaderSize)
    return core::Status::error("truncated: the header says " + std::to_string(size) +
                               " payload bytes, the file has " +
                               std::to_string(file.size() - kHeaderSize));
  const std::string_view payload = file.substr(kHeaderSize);
  if (core::xxhash64(payload, format_version) != read_le<std::uint64_t>(file, 24))
    return core::Status::error("checksum mismatch: the file is corrupt");
  return std::string(payload);
}

core::Status ChecksummedFile::sync_directory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return core::Status::error("cannot open '" + path + "' to sync it: " + errno_text());
  const bool synced = ::fsync(fd) == 0;
  const std::string error = synced ? "" : errno_text();
  ::close(fd);
  if (!synced) return core::Status::error("fsync of '" + path + "' failed: " + error);
  return core::Status::ok();
}

core::Status ChecksummedFile::write_atomically(const std::string& path, std::string_view bytes,
                                               Existing existing) {
  const std::string temporary = path + std::string(kTemporarySuffix);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return core::Status::error("cannot create '" + temporary + "': " + errno_text());
  core::Status written = write_all(fd, bytes);
  if (written && ::fsync(fd) != 0) written = core::Status::error("fsync failed: " + errno_text());
  ::close(fd);
  if (written) {
    // link() fails when the name exists, where rename() would replace it.
    const bool moved = existing == Existing::kReplace
                           ? std::rename(temporary.c_str(), path.c_str()) == 0
                           : ::link(temporary.c_str(), path.c_str()) == 0;
    if (!moved)
      written = core::Status::error(errno == EEXIST ? "'" + path + "' exists already"
                                                    : "rename to '" + path +
                                                          "' failed: " + errno_text());
  }
  std::error_code ignored;
  if (!written || existing == Existing::kRefuse) fs::remove(temporary, ignored);
  if (!written) return core::Status::error("writing '" + path + "': " + written.message());
  std::string directory = fs::path(path).parent_path().string();
  return sync_directory(directory.empty() ? "." : directory);
}

core::Result<std::string> ChecksummedFile::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::error("cannot open '" + path + "': " + errno_text());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return core::Status::error("cannot read '" + path + "'");
  return bytes;
}

}  // namespace streamlearn::connectors
