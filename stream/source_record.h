#pragma once

/// SourceRecord: one raw record as a source delivered it, with where it came from, before
/// decoding. Views into the source's buffer, valid until the source's next poll.

#include <cstdint>
#include <string_view>

#include "stream/event.h"

namespace streamlearn::stream {

struct SourceRecord {
  std::string_view value;  // the original bytes
  std::string_view key;    // the Kafka message key; empty when none
  std::string_view topic;  // or the file name
  std::int32_t partition = -1;
  std::int64_t offset = -1;                    // or the line number
  std::int64_t timestamp_ms = Event::kNoTime;  // the record's own timestamp (Kafka), if any
  bool label_record = false;  // from the labels topic: an id and a label, nothing else
};

}  // namespace streamlearn::stream
