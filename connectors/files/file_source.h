#pragma once

/// FileSource replays a historical stream from a file: CSV (with a header row) or JSON Lines (one
/// object per line), optionally gzip-compressed. The format follows the name: .csv, .jsonl,
/// .ndjson or .json, each optionally followed by .gz; any other name is an error at open that
/// lists these. Decoding is CsvRowDecoder's or JsonEventDecoder's (see them for the field rules).
///
/// next() fills the caller's Event and says what happened: kEvent; kRejected (the line was bad:
/// counted in rejects() by reason, and last_rejection() holds the reason, the line number, a
/// "file:line: ..." message and the line's original bytes for the dead-letter output); kEnd; or
/// kError (a read error such as a truncated gzip file, or, in strict mode, the first rejected
/// line; error() says which, and every later call returns kError again). Empty lines (nothing,
/// or only spaces and tabs) are skipped and counted in empty_lines(), not rejected.
///
/// Errors at open name the path and say what to do: the file is missing or unreadable (with the
/// OS reason), the name has no supported extension, a CSV file has no header row or its header
/// lacks a configured target/key/id/time column (the message lists the columns it has), or a
/// JSON file holds a JSON array (its first non-empty line starts with '[') instead of JSON Lines.
///
/// Cost per line: LineReader's memchr plus the decoder; no allocation in steady state except for
/// rejected lines. Not thread-safe; the FeatureSpace and ClassSet must outlive the source.
///
///   auto source = FileSource::open("events.csv.gz", schema, space, classes);
///   if (!source) return source.status();
///   stream::Event event;
///   for (FileSource::Next next; (next = (*source)->next(event)) != FileSource::Next::kEnd;) {
///     if (next == FileSource::Next::kEvent) learn(event);
///     else if (next == FileSource::Next::kRejected) dead_letter((*source)->last_rejection());
///     else return (*source)->error();
///   }

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "connectors/files/line_reader.h"
#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/state_io.h"
#include "core/status.h"
#include "stream/csv_row_decoder.h"
#include "stream/event.h"
#include "stream/event_schema.h"
#include "stream/json_event_decoder.h"
#include "stream/reject_reason.h"

namespace streamlearn::connectors {

class FileSource {
 public:
  enum class Format : std::uint8_t { kCsv, kJsonLines };
  enum class Next : std::uint8_t { kEvent, kRejected, kEnd, kError };

  struct Options {
    /// Stop at the first rejected line (next() returns kError) instead of counting and skipping.
    bool strict = false;
  };

  /// A rejected line, kept until the next one.
  struct RejectedLine {
    stream::RejectReason reason = stream::RejectReason::kMalformedRecord;
    std::uint64_t line_number = 0;   // 1-based; the header of a CSV file is line 1
    std::uint64_t offset_bytes = 0;  // of the line's first byte in the decompressed file
    std::string message;             // "data.csv:17: column 'x2': 'nan' is not a finite number"
    std::string bytes;               // the line as in the file, without "\n" / "\r\n"
  };

  /// The format a file name announces, or an error listing the supported extensions.
  static core::Result<Format> format_of(const std::filesystem::path& path);

  static core::Result<std::unique_ptr<FileSource>> open(const std::filesystem::path& path,
                                                        const stream::EventSchema& schema,
                                                        core::FeatureSpace& space,
                                                        core::ClassSet& classes);
  static core::Result<std::unique_ptr<FileSource>> open(const std::filesystem::path& path,
                                                        const stream::EventSchema& schema,
                                                        core::FeatureSpace& space,
                                                        core::ClassSet& classes, Options options);

  /// Reads lines until one decodes into `event` (kEvent) or is rejected (kRejected), or the file
  /// ends (kEnd), or reading fails or strict mode meets a bad line (kError).
  Next next(stream::Event& event);

  /// The line of the event next() returned last, as in the file, and its 1-based number; valid
  /// until the next call (a later stage may still reject the event: late_event).
  std::string_view event_line() const { return event_line_; }
  std::uint64_t event_line_number() const { return event_line_number_; }
  /// The last rejected line; meaningful after next() returned kRejected (or kError in strict mode).
  const RejectedLine& last_rejection() const { return last_rejection_; }
  /// Why next() returned kError; ok otherwise.
  const core::Status& error() const { return error_; }
  const stream::RejectCounts& rejects() const { return rejects_; }
  /// Lines read from the file so far, the CSV header and empty lines included.
  std::uint64_t lines_read() const { return reader_.line_number(); }
  std::uint64_t empty_lines() const { return empty_lines_; }
  std::uint64_t events_read() const { return events_read_; }
  Format format() const { return format_; }

  /// Where the replay is (the last line next() took, with its byte offset) and its counts
  /// (events, empty lines, rejects by reason), for a checkpoint.
  void save_position(core::StateWriter& out) const;
  /// Moves a freshly opened source to a saved position by reading (not decoding) the lines up to
  /// it, and restores the counts; an error when the file ends before it or the line there does
  /// not start at the saved byte offset (the file is not the one checkpointed).
  [[nodiscard]] core::Status resume(core::StateReader& in);
  const std::filesystem::path& path() const { return reader_.path(); }

 private:
  FileSource(LineReader reader, Format format, Options options);

  LineReader reader_;
  Format format_;
  Options options_;
  std::string path_text_;  // for messages
  std::optional<stream::CsvRowDecoder> csv_;
  std::optional<stream::JsonEventDecoder> json_;
  // A JSON Lines file's first non-empty line, read at open to tell JSON Lines from a JSON array.
  std::string pending_line_;
  std::uint64_t pending_line_number_ = 0;
  std::uint64_t pending_offset_bytes_ = 0;
  bool has_pending_line_ = false;

  std::string_view event_line_;
  std::uint64_t event_line_number_ = 0;
  RejectedLine last_rejection_;
  core::Status error_;
  stream::RejectCounts rejects_;
  std::uint64_t empty_lines_ = 0;
  std::uint64_t events_read_ = 0;
  std::uint64_t consumed_line_ = 0;  // the last line next() took, 0 before any
  std::uint64_t consumed_offset_bytes_ = 0;
};

}  // namespace streamlearn::connectors
