#include "connectors/alerts/json_lines_alert_sink.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace streamlearn::connectors {

JsonLinesAlertSink::JsonLinesAlertSink(std::FILE* stream)
    : JsonLinesAlertSink(stream, stream == stdout ? "stdout" : "stream", false) {}

JsonLinesAlertSink::JsonLinesAlertSink(std::FILE* file, std::string destination, bool owns_file)
    : file_(file), destination_(std::move(destination)), owns_file_(owns_file) {}

core::Result<std::unique_ptr<JsonLinesAlertSink>> JsonLinesAlertSink::open(
    const std::filesystem::path& path) {
  // "e": O_CLOEXEC, so a child process (a retraining job, say) does not inherit the log.
  std::FILE* file = std::fopen(path.c_str(), "ae");
  if (!file)
    return core::Status::error("cannot open the alert log '" + path.string() +
                               "' for appending: " + std::strerror(errno) +
                               "; check that its folder exists and is writable, or choose "
                               "another path");
  // Unbuffered, so that one fwrite of a line is one write(2): see the header.
  std::setvbuf(file, nullptr, _IONBF, 0);
  return std::unique_ptr<JsonLinesAlertSink>(new JsonLinesAlertSink(file, path.string(), true));
}

JsonLinesAlertSink::~JsonLinesAlertSink() {
  if (owns_file_) {
    std::fclose(file_);
  } else {
    std::fflush(file_);
  }
}

void JsonLinesAlertSink::publish(const monitors::Alert& alert) {
  write_line(monitors::to_json(alert));
}

bool JsonLinesAlertSink::write_line(std::string_view json) {
  std::string line;
  line.reserve(json.size() + 1);
  line.append(json);
  line += '\n';
  if (std::fwrite(line.data(), 1, line.size(), file_) == line.size()) {
    written_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  const int error = errno;
  write_errors_.fetch_add(1, std::memory_order_relaxed);
  const std::lock_guard<std::mutex> lock(error_mutex_);
  if (!first_error_)
    first_error_ = "writing an alert to '" + destination_ + "' failed: " + std::strerror(error) +
                   "; check the disk space and permissions";
  return false;
}

core::Status JsonLinesAlertSink::flush() {
  const bool flushed = std::fflush(file_) == 0;
  const int error = errno;
  const std::lock_guard<std::mutex> lock(error_mutex_);
  if (!flushed && !first_error_)
    first_error_ = "flushing alerts to '" + destination_ + "' failed: " + std::strerror(error) +
                   "; check the disk space and permissions";
  if (!first_error_) return core::Status::ok();
  core::Status status = core::Status::error(std::move(*first_error_));
  first_error_.reset();
  return status;
}

}  // namespace streamlearn::connectors
