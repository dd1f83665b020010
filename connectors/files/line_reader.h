#pragma once

/// LineReader: reads a file line by line as string_views into one large buffer, so a line costs
/// a memchr and no allocation. gzip files are decompressed on the fly, recognised by their magic
/// bytes rather than their name (zlib's gzread passes other files through unchanged), and
/// concatenated gzip members are read one after the other as `gzip -c a b` writes them.
///
/// A line ends at "\n"; a "\r" before it is dropped ("\r\n" files), a last line without "\n" is
/// still a line, and a UTF-8 byte-order mark at the start of the file is skipped. Line numbers
/// are 1-based and byte offsets count the decompressed stream from 0, so an error can point at
/// "data.csv:17". A line longer than the buffer grows it (the buffer never shrinks).
///
/// Not thread-safe. Movable; the file closes when the reader is destroyed.
///
///   auto reader = LineReader::open("events.csv.gz");
///   if (!reader) return reader.status();
///   while (std::optional<std::string_view> line = reader->next()) use(*line);
///   if (!reader->status().is_ok()) return reader->status();  // a read error, not the end

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "core/status.h"

struct gzFile_s;  // zlib's gzFile points at one; zlib.h stays out of this header

namespace streamlearn::connectors {

class LineReader {
 public:
  struct Options {
    std::size_t buffer_size_bytes = std::size_t{1} << 20;
  };

  /// Opens `path` for reading. Fails with the path and the OS reason (no such file, permission
  /// denied, is a directory).
  static core::Result<LineReader> open(const std::filesystem::path& path);
  static core::Result<LineReader> open(const std::filesystem::path& path, Options options);

  LineReader(LineReader&&) noexcept;
  LineReader& operator=(LineReader&&) noexcept;
  ~LineReader();

  /// The next line without its terminator, or nullopt at the end of the file or on a read error
  /// (then status() says which). The view is valid until the next call.
  std::optional<std::string_view> next();

  /// The 1-based number of the line next() returned last; 0 before the first.
  std::uint64_t line_number() const { return line_number_; }
  /// The offset in the (decompressed) stream of the first byte of that line.
  std::uint64_t line_offset_bytes() const { return line_offset_bytes_; }
  /// Ok, or why reading stopped early (a truncated or corrupt gzip file, an I/O error).
  const core::Status& status() const { return status_; }
  /// Whether the file is gzip-compressed.
  bool compressed() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  struct GzCloser {
    void operator()(gzFile_s* file) const;
  };

  LineReader(std::filesystem::path path, gzFile_s* file, std::size_t buffer_size_bytes);
  // Moves unread bytes to the front, grows the buffer when a line fills it, reads more. False on
  // a read error.
  bool fill();
  // Hands out the next `length` bytes as a line and consumes `consumed` bytes (the "\n" too).
  std::string_view take_line(std::size_t length, std::size_t consumed);

  std::filesystem::path path_;
  std::unique_ptr<gzFile_s, GzCloser> file_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;                  // first unread byte
  std::size_t end_ = 0;                    // one past the last byte read
  std::size_t scanned_ = 0;                // bytes after begin_ known to hold no '\n'
  std::uint64_t buffer_offset_bytes_ = 0;  // stream offset of buffer_[0]
  std::uint64_t line_number_ = 0;
  std::uint64_t line_offset_bytes_ = 0;
  bool at_eof_ = false;
  core::Status status_;
};

}  // namespace streamlearn::connectors
