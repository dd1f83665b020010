#pragma once

/// StateWriter / StateReader: the binary form in which every stateful object saves and restores
/// its state. Little-endian host layout of plain values, booleans as one byte 0 or 1,
/// length-prefixed strings and vectors. Each object writes its own version number first, so
/// formats can evolve. The reader never reads past the end: a truncated or corrupt buffer turns
/// into a failed Status, not a crash.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/status.h"

namespace streamlearn::core {

class StateWriter {
 public:
  template <typename T>
  void write(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    buffer_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  /// One byte, 0 or 1.
  void write_bool(bool value) { write<std::uint8_t>(value ? 1 : 0); }
  void write_string(std::string_view text) {
    write<std::uint64_t>(text.size());
    buffer_.append(text);
  }
  template <typename T>
  void write_vector(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    write<std::uint64_t>(values.size());
    if (!values.empty())
      buffer_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  const std::string& bytes() const { return buffer_; }

 private:
  std::string buffer_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool read(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!take(sizeof(T))) return false;
    std::memcpy(&value, bytes_.data() + position_ - sizeof(T), sizeof(T));
    return true;
  }
  /// Reads the byte write_bool wrote; any other value than 0 or 1 marks the state as corrupt.
  bool read_bool(bool& value) {
    std::uint8_t byte = 0;
    if (!read(byte)) return false;
    if (byte > 1) return fail();
    value = byte == 1;
    return true;
  }
  bool read_string(std::string& text) {
    std::uint64_t size = 0;
    if (!read(size) || !take(size)) return false;
    text.assign(bytes_.data() + position_ - size, size);
    return true;
  }
  template <typename T>
  bool read_vector(std::vector<T>& values) {
    std::uint64_t size = 0;
    if (!read(size) || size > (bytes_.size() - position_) / sizeof(T)) return fail();
    values.resize(size);
    if (size) std::memcpy(values.data(), bytes_.data() + position_, size * sizeof(T));
    position_ += size * sizeof(T);
    return true;
  }
  /// Reads a version number and checks it against the one this build writes.
  bool expect_version(std::uint32_t expected) {
    std::uint32_t version = 0;
    return read(version) && (version == expected || fail());
  }
  bool fail() {
    failed_ = true;
    return false;
  }
  bool at_end() const { return position_ == bytes_.size(); }
  Status status(std::string_view what) const {
    if (!failed_) return Status::ok();
    return Status::error(std::string(what) +
                         ": saved state is truncated, corrupt or from another format version");
  }

 private:
  bool take(std::uint64_t size) {
    if (failed_ || size > bytes_.size() - position_) return fail();
    position_ += size;
    return true;
  }
  std::string_view bytes_;
  std::size_t position_ = 0;
  bool failed_ = false;
};

}  // namespace streamlearn::core
