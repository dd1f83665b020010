#pragma once

/// SyntheticStreamWriter: writes the events of a SyntheticStream as CSV (a header row of the
/// column names and `label`, then one row per event) or JSON Lines (one object per event), in a
/// form `streamlearn evaluate --target label` reads back to the same events: numbers in the
/// shortest text that round-trips (std::to_chars), categorical values as text (quoted in CSV
/// when needed, JSON strings), the class name as the label. A feature an event lacks is an empty
/// CSV cell and is left out of the JSON object.
///
///   SyntheticStreamWriter writer(stdout, SyntheticStreamWriter::Format::kCsv, stream);
///   writer.write_header();
///   for (int i = 0; i < 1000; ++i) {
///     stream.next(event);
///     writer.write(event);
///   }
///   if (core::Status status = writer.finish(); !status) report(status);
///
/// Rows are built in a buffer flushed every 64 KiB: O(columns) per event, no allocation in
/// steady state. Not thread-safe.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/synthetic/synthetic_stream.h"
#include "core/status.h"
#include "stream/event.h"

namespace streamlearn::connectors {

class SyntheticStreamWriter {
 public:
  enum class Format { kCsv, kJsonLines };

  /// "csv" or "jsonl" (also "ndjson").
  static std::optional<Format> parse_format(std::string_view name);

  /// Writes to `out`, which stays open and owned by the caller; `stream` gives the columns and
  /// the spaces that name the ids of the events.
  SyntheticStreamWriter(std::FILE* out, Format format, const SyntheticStream& stream);
  ~SyntheticStreamWriter();
  SyntheticStreamWriter(const SyntheticStreamWriter&) = delete;
  SyntheticStreamWriter& operator=(const SyntheticStreamWriter&) = delete;

  /// The CSV header row; nothing for JSON Lines.
  void write_header();
  void write(const stream::Event& event);
  /// Flushes; an error (with the reason) when a write failed, e.g. a full disk.
  [[nodiscard]] core::Status finish();

 private:
  void append_number(double value);
  void append_csv_text(std::string_view text);
  void flush_buffer();

  std::FILE* out_;
  Format format_;
  const SyntheticStream& stream_;
  std::vector<std::int32_t> column_of_feature_;  // FeatureId -> column index, -1 when none
  std::vector<const std::string*> cells_;        // per column: categorical text of this event
  std::vector<double> numbers_;                  // per column: numeric value of this event
  std::vector<std::uint8_t> present_;            // per column: 0 absent, 1 number, 2 text
  std::string buffer_;
  bool failed_ = false;
  int error_number_ = 0;  // errno of the first failed write
};

}  // namespace streamlearn::connectors
