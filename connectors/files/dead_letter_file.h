#pragma once

/// DeadLetterFile: where rejected records go when the source is a file. One JSON object per line:
/// {"source", "line", "reason", "message", "record"} with the record's original bytes as a string,
/// or as "record_base64" when they are not valid UTF-8, so nothing is lost.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include "core/status.h"

namespace streamlearn::connectors {

class DeadLetterFile {
 public:
  /// Truncates the file, or appends to it (a replay resumed from a checkpoint).
  static core::Result<std::unique_ptr<DeadLetterFile>> open(const std::filesystem::path& path,
                                                            bool append = false);
  ~DeadLetterFile();
  DeadLetterFile(const DeadLetterFile&) = delete;
  DeadLetterFile& operator=(const DeadLetterFile&) = delete;

  void write(std::string_view source, std::uint64_t line, std::string_view reason,
             std::string_view message, std::string_view record);
  std::uint64_t written() const { return written_; }
  /// Makes every record written so far durable (flushed and fsynced): before a checkpoint.
  core::Status flush();
  core::Status close();

 private:
  DeadLetterFile(std::FILE* file, std::filesystem::path path) : file_(file), path_(std::move(path)) {}
  std::FILE* file_;
  std::filesystem::path path_;
  std::uint64_t written_ = 0;
};

}  // namespace streamlearn::connectors
