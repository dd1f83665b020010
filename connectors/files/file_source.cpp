#include "connectors/files/file_source.h"

#include <array>
#include <string_view>
#include <utility>

#include "stream/field_role.h"

namespace streamlearn::connectors {
namespace {

constexpr std::string_view kSupportedExtensions =
    ".csv, .jsonl, .ndjson or .json (JSON Lines), each optionally followed by .gz";

bool is_blank_line(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t') return false;
  return true;
}

std::string lowercase(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// "path:17: " for messages about one line.
std::string at_line(const std::string& path, std::uint64_t line_number) {
  return path + ":" + std::to_string(line_number) + ": ";
}

}  // namespace

core::Result<FileSource::Format> FileSource::format_of(const std::filesystem::path& path) {
  std::string name = lowercase(path.filename().string());
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  if (name.ends_with(".csv")) return Format::kCsv;
  static constexpr std::array<std::string_view, 3> kJsonLines = {".jsonl", ".ndjson", ".json"};
  for (std::string_view extension : kJsonLines)
    if (name.ends_with(extension)) return Format::kJsonLines;
  return core::Status::error("cannot tell the format of '" + path.string() +
                             "' from its name; supported extensions: " +
                             std::string(kSupportedExtensions) + " (rename the file)");
}

FileSource::FileSource(LineReader reader, Format format, Options options)
    : reader_(std::move(reader)),
      format_(format),
      options_(options),
      path_text_(reader_.path().string()) {}

core::Result<std::unique_ptr<FileSource>> FileSource::open(const std::filesystem::path& path,
                                                           const stream::EventSchema& schema,
                                                           core::FeatureSpace& space,
                                                           core::ClassSet& classes) {
  return open(path, schema, space, classes, Options{});
}

core::Result<std::unique_ptr<FileSource>> FileSource::open(const std::filesystem::path& path,
                                                           const stream::EventSchema& schema,
                                                           core::FeatureSpace& space,
                                                           core::ClassSet& classes,
                                                           Options options) {
  core::Result<Format> format = format_of(path);
  if (!format) return format.status();
  if (core::Status roles = stream::check_field_roles(schema); !roles.is_ok()) {
    return core::Status::error("cannot read '" + path.string() + "': " + roles.message());
  }
  core::Result<LineReader> reader = LineReader::open(path);
  if (!reader) return reader.status();
  std::unique_ptr<FileSource> source(new FileSource(std::move(reader).value(), *format, options));
  const std::string& path_text = source->path_text_;

  // Both formats look at the first non-empty line: the CSV header, or the check for a JSON array.
  std::optional<std::string_view> first_line;
  while ((first_line = source->reader_.next()) && is_blank_line(*first_line))
    ++source->empty_lines_;
  if (!source->reader_.status().is_ok()) return source->reader_.status();
  const std::uint64_t first_line_number = source->reader_.line_number();

  if (*format == Format::kCsv) {
    if (!first_line) {
      return core::Status::error("'" + path_text +
                                 "' is empty: a CSV file needs a header row naming its columns");
    }
    core::Result<stream::CsvRowDecoder> decoder =
        stream::CsvRowDecoder::create(*first_line, schema, space, classes);
    if (!decoder) {
      return core::Status::error(at_line(path_text, first_line_number) +
                                 decoder.status().message());
    }
    source->csv_.emplace(std::move(decoder).value());
    return source;
  }

  if (first_line && first_line->find_first_not_of(" \t") != std::string_view::npos &&
      (*first_line)[first_line->find_first_not_of(" \t")] == '[') {
    return core::Status::error(
        at_line(path_text, first_line_number) +
        "the file holds a JSON array, but JSON files are read as JSON Lines (one object per "
        "line); convert it, e.g. with jq -c '.[]'");
  }
  core::Result<stream::JsonEventDecoder> decoder =
      stream::JsonEventDecoder::create(schema, space, classes);
  if (!decoder) return core::Status::error("'" + path_text + "': " + decoder.status().message());
  source->json_.emplace(std::move(decoder).value());
  if (first_line) {
    source->pending_line_.assign(*first_line);
    source->pending_line_number_ = first_line_number;
    source->pending_offset_bytes_ = source->reader_.line_offset_bytes();
    source->has_pending_line_ = true;
  }
  return source;
}

FileSource::Next FileSource::next(stream::Event& event) {
  if (!error_.is_ok()) return Next::kError;
  while (true) {
    std::string_view line;
    std::uint64_t line_number = 0;
    std::uint64_t offset_bytes = 0;
    if (has_pending_line_) {
      has_pending_line_ = false;  // pending_line_ itself stays intact while `line` views it
      line = pending_line_;
      line_number = pending_line_number_;
      offset_bytes = pending_offset_bytes_;
    } else {
      const std::optional<std::string_view> read = reader_.next();
      if (!read) {
        if (reader_.status().is_ok()) return Next::kEnd;
        error_ = reader_.status();
        return Next::kError;
      }
      line = *read;
      line_number = reader_.line_number();
      offset_bytes = reader_.line_offset_bytes();
    }
    consumed_line_ = line_number;
    consumed_offset_bytes_ = offset_bytes;
    if (is_blank_line(line)) {
      ++empty_lines_;
      continue;
    }
    std::optional<stream::Rejection> rejection =
        csv_ ? csv_->decode(line, event) : json_->decode(line, event);
    if (!rejection) {
      ++events_read_;
      event_line_ = line;
      event_line_number_ = line_number;
      return Next::kEvent;
    }
    rejects_.add(rejection->reason);
    last_rejection_.reason = rejection->reason;
    last_rejection_.line_number = line_number;
    last_rejection_.offset_bytes = offset_bytes;
    last_rejection_.message = at_line(path_text_, line_number) + rejection->message;
    last_rejection_.bytes.assign(line);
    if (!options_.strict) return Next::kRejected;
    error_ = core::Status::error(last_rejection_.message +
                                 " (strict mode stops at the first rejected line)");
    return Next::kError;
  }
}

namespace {
constexpr std::uint32_t kPositionVersion = 1;
}  // namespace

void FileSource::save_position(core::StateWriter& out) const {
  out.write(kPositionVersion);
  out.write(consumed_line_);
  out.write(consumed_offset_bytes_);
  out.write(events_read_);
  out.write(empty_lines_);
  rejects_.save(out);
}

core::Status FileSource::resume(core::StateReader& in) {
  std::uint64_t line = 0, offset = 0, events = 0, empty = 0;
  stream::RejectCounts rejects;
  if (!in.expect_version(kPositionVersion) || !in.read(line) || !in.read(offset) ||
      !in.read(events) || !in.read(empty) || !rejects.load(in))
    return in.status("file position");
  const auto changed = [&](const std::string& what) {
    return core::Status::error(path_text_ + ": cannot resume at line " + std::to_string(line) +
                               " of the checkpoint: " + what +
                               "; the file is not the one checkpointed (replay it from the start "
                               "with another checkpoint directory)");
  };
  if (line == 0) return core::Status::ok();
  if (has_pending_line_ && pending_line_number_ <= line) has_pending_line_ = false;
  std::uint64_t at_offset = pending_offset_bytes_;
  if (line < reader_.line_number()) return changed("the header ends after it");
  while (reader_.line_number() < line) {
    if (!reader_.next()) {
      if (!reader_.status().is_ok()) return reader_.status();
      return changed("the file ends at line " + std::to_string(reader_.line_number()));
    }
    at_offset = reader_.line_offset_bytes();
  }
  if (at_offset != offset)
    return changed("line " + std::to_string(line) + " starts at byte " +
                   std::to_string(at_offset) + ", not " + std::to_string(offset));
  consumed_line_ = line;
  consumed_offset_bytes_ = offset;
  events_read_ = events;
  empty_lines_ = empty;
  rejects_ = rejects;
  return core::Status::ok();
}

}  // namespace streamlearn::connectors
