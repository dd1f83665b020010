#pragma once

/// JsonLinesAlertSink: writes each alert as one line of JSON (monitors::to_json, then "\n") to
/// stdout or to a file: the local alert log, and the webhook's fallback. A file is opened in append
/// mode (created when missing) and unbuffered, so each alert reaches the kernel as one write(2) of
/// the whole line when publish() returns: a crash loses no alert that was published, and with
/// O_APPEND several processes appending to one log never interleave their lines. On stdout (or any
/// stream the caller owns) the stream's own buffering applies and the stream is never closed.
///
/// Cost: to_json plus one fwrite per alert (one syscall for a file). Threading: publish(),
/// write_line() and flush() may be called from several threads at once; stdio locks the stream
/// around each fwrite, so lines stay whole. Failures: a short write is counted (write_errors()) and
/// the first one is returned by the next flush(), which also reports a failing fflush.
///
///   auto log = JsonLinesAlertSink::open("alerts.jsonl");
///   if (!log) return log.status();
///   (*log)->publish(alert);
///   SL_RETURN_IF_ERROR((*log)->flush());

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "monitors/alerts/alert_sink.h"

namespace streamlearn::connectors {

class JsonLinesAlertSink final : public monitors::AlertSink {
 public:
  /// Writes to `stream` (stdout, say), which the caller owns and which must outlive the sink.
  explicit JsonLinesAlertSink(std::FILE* stream);
  /// Opens `path` for appending, creating it (not its folder) when missing.
  static core::Result<std::unique_ptr<JsonLinesAlertSink>> open(const std::filesystem::path& path);
  ~JsonLinesAlertSink() override;
  JsonLinesAlertSink(const JsonLinesAlertSink&) = delete;
  JsonLinesAlertSink& operator=(const JsonLinesAlertSink&) = delete;

  void publish(const monitors::Alert& alert) override;
  /// Writes one already serialized alert (to_json's output, without the newline); returns whether
  /// the whole line was written. The webhook sink uses this for alerts it serialized earlier.
  bool write_line(std::string_view json);
  /// fflush()es the stream; returns the first write error since the last flush, if any.
  [[nodiscard]] core::Status flush() override;

  /// "stdout", "stream", or the file's path: for messages.
  const std::string& destination() const { return destination_; }
  std::uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  std::uint64_t write_errors() const { return write_errors_.load(std::memory_order_relaxed); }

 private:
  JsonLinesAlertSink(std::FILE* file, std::string destination, bool owns_file);

  std::FILE* file_;
  std::string destination_;
  bool owns_file_;
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  std::mutex error_mutex_;  // guards first_error_
  std::optional<std::string> first_error_;
};

}  // namespace streamlearn::connectors
