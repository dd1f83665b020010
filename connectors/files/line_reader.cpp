#include "connectors/files/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

namespace streamlearn::connectors {
namespace {

// zlib's own buffer: large enough that inflate works on big chunks; 8 KiB by default.
constexpr unsigned kZlibBufferBytes = 256 * 1024;
constexpr std::size_t kMinBufferBytes = 64;
constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

std::string os_reason(int error_number) {
  return std::error_code(error_number, std::generic_category()).message();
}

}  // namespace

void LineReader::GzCloser::operator()(gzFile_s* file) const { gzclose(file); }

LineReader::LineReader(std::filesystem::path path, gzFile_s* file, std::size_t buffer_size_bytes)
    : path_(std::move(path)),
      file_(file),
      buffer_(std::make_unique<char[]>(buffer_size_bytes)),
      capacity_(buffer_size_bytes) {}

LineReader::LineReader(LineReader&&) noexcept = default;
LineReader& LineReader::operator=(LineReader&&) noexcept = default;
LineReader::~LineReader() = default;

core::Result<LineReader> LineReader::open(const std::filesystem::path& path) {
  return open(path, Options{});
}

core::Result<LineReader> LineReader::open(const std::filesystem::path& path, Options options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return core::Status::error("cannot open '" + path.string() + "': " + os_reason(errno));
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    return core::Status::error("cannot read '" + path.string() + "': it is a directory");
  }
  gzFile file = gzdopen(fd, "rb");
  if (file == nullptr) {
    const int error_number = errno;
    ::close(fd);
    return core::Status::error("cannot open '" + path.string() + "': " + os_reason(error_number));
  }
  gzbuffer(file, kZlibBufferBytes);
  return LineReader(path, file, std::max(options.buffer_size_bytes, kMinBufferBytes));
}

bool LineReader::compressed() const { return gzdirect(file_.get()) == 0; }

std::optional<std::string_view> LineReader::next() {
  if (!status_.is_ok()) return std::nullopt;
  while (true) {
    const std::size_t pending = end_ - begin_;
    if (scanned_ < pending) {
      const char* const line = buffer_.get() + begin_;
      const auto* newline =
          static_cast<const char*>(std::memchr(line + scanned_, '\n', pending - scanned_));
      if (newline != nullptr) {
        const auto length = static_cast<std::size_t>(newline - line);
        return take_line(length, length + 1);
      }
      scanned_ = pending;
    }
    if (at_eof_) {
      if (pending == 0) return std::nullopt;
      return take_line(pending, pending);  // the last line has no "\n"
    }
    if (!fill()) return std::nullopt;
  }
}

std::string_view LineReader::take_line(std::size_t length, std::size_t consumed) {
  std::string_view line(buffer_.get() + begin_, length);
  line_offset_bytes_ = buffer_offset_bytes_ + begin_;
  begin_ += consumed;
  scanned_ = 0;
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line_number_ == 1 && line.starts_with(kUtf8ByteOrderMark)) {
    line.remove_prefix(kUtf8ByteOrderMark.size());
    line_offset_bytes_ += kUtf8ByteOrderMark.size();
  }
  return line;
}

bool LineReader::fill() {
  char* data = buffer_.get();
  if (begin_ > 0) {
    std::memmove(data, data + begin_, end_ - begin_);
    end_ -= begin_;
    buffer_offset_bytes_ += begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    // One line fills the whole buffer: double it.
    auto bigger = std::make_unique<char[]>(2 * capacity_);
    std::memcpy(bigger.get(), data, end_);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
    data = buffer_.get();
  }
  const auto request = static_cast<unsigned>(std::min<std::size_t>(capacity_ - end_, INT_MAX));
  const int read = gzread(file_.get(), data + end_, request);
  const int read_errno = errno;
  int zlib_error = Z_OK;
  const char* zlib_message = gzerror(file_.get(), &zlib_error);
  if (read < 0 || (read == 0 && zlib_error != Z_OK)) {
    // zlib reports a gzip stream cut short as Z_BUF_ERROR after handing out what it had.
    const std::string reason = zlib_error == Z_ERRNO ? os_reason(read_errno)
                               : zlib_error == Z_BUF_ERROR
                                   ? "the gzip data ends early (truncated file)"
                                   : std::string(zlib_message);
    status_ = core::Status::error("cannot read '" + path_.string() + "' after line " +
                                  std::to_string(line_number_) + ": " + reason);
    return false;
  }
  if (read == 0) at_eof_ = true;
  end_ += static_cast<std::size_t>(read);
  return true;
}

}  // namespace streamlearn::connectors
