#pragma once

/// ChecksummedFile: the framing and the durable write shared by streamlearn's binary files
/// (checkpoints, model files). A file is a 32-byte header, then the payload (little-endian):
///   bytes 0-7    magic (8 bytes, e.g. "SLCKPT\r\n": a text-mode transfer or a truncated upload
///                shows at once)
///   bytes 8-11   format version (uint32)
///   bytes 12-15  zero (reserved)
///   bytes 16-23  payload size in bytes (uint64)
///   bytes 24-31  XXH64 of the payload, seeded with the format version (uint64)
/// write_atomically() writes bytes so that a crash at any moment leaves either the old file (or
/// none) or the whole new one: a temporary file `<path>.tmp`, fsynced, renamed over `path` (or
/// linked to it, when it must not exist yet), then the directory fsynced.
///
///   std::string file = ChecksummedFile::encode("SLMODL\r\n", 1, payload);
///   if (core::Status s = ChecksummedFile::write_atomically(path, file); !s) return s;
///   auto bytes = ChecksummedFile::read(path);            // the whole file
///   auto payload = ChecksummedFile::decode("SLMODL\r\n", 1, *bytes, "model file");

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace streamlearn::connectors {

class ChecksummedFile {
 public:
  static constexpr std::size_t kHeaderSize = 32;
  /// What a temporary file's name ends with (a crash may leave one behind).
  static constexpr std::string_view kTemporarySuffix = ".tmp";

  /// The file around `payload`; `magic` has 8 bytes.
  static std::string encode(std::string_view magic, std::uint32_t format_version,
                            std::string_view payload);
  /// The payload of a whole file's bytes, or an error saying what is wrong; `what` names the kind
  /// of file in the message ("checkpoint", "model file").
  static core::Result<std::string> decode(std::string_view magic, std::uint32_t format_version,
                                          std::string_view file, std::string_view what);

  enum class Existing { kReplace, kRefuse };
  /// Writes `bytes` as the file `path` atomically and durably. With kRefuse, an error when `path`
  /// exists (decided atomically: two writers cannot both succeed).
  static core::Status write_atomically(const std::string& path, std::string_view bytes,
                                       Existing existing = Existing::kReplace);
  /// The whole file, or an error naming it.
  static core::Result<std::string> read(const std::string& path);
  /// fsyncs a directory, so that the names created or removed in it last.
  static core::Status sync_directory(const std::string& path);
};

}  // namespace streamlearn::connectors
