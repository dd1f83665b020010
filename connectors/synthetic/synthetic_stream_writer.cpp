#include "connectors/synthetic/synthetic_stream_writer.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/json_string.h"

namespace streamlearn::connectors {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr std::uint8_t kAbsent = 0;
constexpr std::uint8_t kNumber = 1;
constexpr std::uint8_t kText = 2;

}  // namespace

std::optional<SyntheticStreamWriter::Format> SyntheticStreamWriter::parse_format(
    std::string_view name) {
  if (name == "csv") return Format::kCsv;
  if (name == "jsonl" || name == "ndjson") return Format::kJsonLines;
  return std::nullopt;
}

SyntheticStreamWriter::SyntheticStreamWriter(std::FILE* out, Format format,
                                             const SyntheticStream& stream)
    : out_(out), format_(format), stream_(stream) {
  const auto& columns = stream.columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const core::FeatureId id = columns[c].id;
    if (id >= column_of_feature_.size()) column_of_feature_.resize(id + 1, -1);
    column_of_feature_[id] = static_cast<std::int32_t>(c);
  }
  cells_.assign(columns.size(), nullptr);
  numbers_.assign(columns.size(), 0.0);
  present_.assign(columns.size(), kAbsent);
  buffer_.reserve(kFlushBytes + 4096);
}

SyntheticStreamWriter::~SyntheticStreamWriter() { flush_buffer(); }

void SyntheticStreamWriter::write_header() {
  if (format_ != Format::kCsv) return;
  for (const SyntheticStream::Column& column : stream_.columns()) {
    append_csv_text(column.name);
    buffer_ += ',';
  }
  buffer_ += "label\n";
}

void SyntheticStreamWriter::write(const stream::Event& event) {
  std::fill(present_.begin(), present_.end(), kAbsent);
  for (const core::NumericFeature& feature : event.features.numeric()) {
    if (feature.id >= column_of_feature_.size() || column_of_feature_[feature.id] < 0) continue;
    const auto c = static_cast<std::size_t>(column_of_feature_[feature.id]);
    numbers_[c] = feature.value;
    present_[c] = kNumber;
  }
  for (const core::CategoricalFeature& feature : event.features.categorical()) {
    if (feature.id >= column_of_feature_.size() || column_of_feature_[feature.id] < 0) continue;
    const auto c = static_cast<std::size_t>(column_of_feature_[feature.id]);
    cells_[c] = &stream_.feature_space().value_text(feature.value);
    present_[c] = kText;
  }
  const std::string& label = stream_.class_set().name(event.label.class_id);
  const auto& columns = stream_.columns();
  if (format_ == Format::kCsv) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (present_[c] == kNumber) append_number(numbers_[c]);
      if (present_[c] == kText) append_csv_text(*cells_[c]);
      buffer_ += ',';
    }
    append_csv_text(label);
  } else {
    buffer_ += '{';
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (present_[c] == kAbsent) continue;
      core::append_json_string(columns[c].name, buffer_);
      buffer_ += ':';
      if (present_[c] == kNumber) append_number(numbers_[c]);
      if (present_[c] == kText) core::append_json_string(*cells_[c], buffer_);
      buffer_ += ',';
    }
    buffer_ += "\"label\":";
    core::append_json_string(label, buffer_);
    buffer_ += '}';
  }
  buffer_ += '\n';
  if (buffer_.size() >= kFlushBytes) flush_buffer();
}

core::Status SyntheticStreamWriter::finish() {
  flush_buffer();
  if (!failed_ && std::fflush(out_) != 0) {
    failed_ = true;
    error_number_ = errno;
  }
  if (!failed_ && !std::ferror(out_)) return core::Status::ok();
  return core::Status::error(std::string("writing the stream failed: ") +
                             (error_number_ != 0 ? std::strerror(error_number_) : "I/O error"));
}

void SyntheticStreamWriter::append_number(double value) {
  // The shortest text that parses back to the same double; 32 characters always suffice.
  char text[32];
  const auto result = std::to_chars(text, text + sizeof(text), value);
  buffer_.append(text, result.ptr);
}

void SyntheticStreamWriter::append_csv_text(std::string_view text) {
  // RFC 4180: quote a field holding a comma, a quote or a line break (or starting with a quote),
  // doubling its quotes.
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    buffer_.append(text);
    return;
  }
  buffer_ += '"';
  for (const char c : text) {
    if (c == '"') buffer_ += '"';
    buffer_ += c;
  }
  buffer_ += '"';
}

void SyntheticStreamWriter::flush_buffer() {
  if (buffer_.empty()) return;
  if (!failed_ && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
    failed_ = true;
    error_number_ = errno;
  }
  buffer_.clear();
}

}  // namespace streamlearn::connectors
