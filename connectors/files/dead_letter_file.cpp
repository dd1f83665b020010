#include "connectors/files/dead_letter_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/json_string.h"

namespace streamlearn::connectors {
namespace {

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    i += length;
  }
  return true;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

core::Result<std::unique_ptr<DeadLetterFile>> DeadLetterFile::open(
    const std::filesystem::path& path, bool append) {
  std::FILE* file = std::fopen(path.c_str(), append ? "a" : "w");
  if (!file)
    return core::Status::error("cannot open dead-letter file '" + path.string() +
                               "' for writing: " + std::strerror(errno));
  return std::unique_ptr<DeadLetterFile>(new DeadLetterFile(file, path));
}

core::Status DeadLetterFile::flush() {
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0)
    return core::Status::error("dead-letter file '" + path_.string() +
                               "': cannot flush it: " + std::strerror(errno));
  return core::Status::ok();
}

DeadLetterFile::~DeadLetterFile() {
  if (file_) std::fclose(file_);
}

void DeadLetterFile::write(std::string_view source, std::uint64_t line, std::string_view reason,
                           std::string_view message, std::string_view record) {
  std::string out = "{\"source\":";
  core::append_json_string(source, out);
  out += ",\"line\":" + std::to_string(line) + ",\"reason\":";
  core::append_json_string(reason, out);
  out += ",\"message\":";
  core::append_json_string(message, out);
  if (valid_utf8(record)) {
    out += ",\"record\":";
    core::append_json_string(record, out);
  } else {
    out += ",\"record_base64\":\"" + base64(record) + "\"";
  }
  out += "}\n";
  std::fwrite(out.data(), 1, out.size(), file_);
  ++written_;
}

core::Status DeadLetterFile::close() {
  const bool ok = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok)
    return core::Status::error("writing dead-letter file '" + path_.string() +
                               "' failed: " + std::strerror(errno));
  return core::Status::ok();
}

}  // namespace streamlearn::connectors
