#pragma once

/// Rejection: why a decoder refused one record, as its reason (counted by the sources) and a
/// message a person can act on that names the offending field and quotes its value. Building one
/// allocates; that is fine because it only happens for bad records.

#include <cstddef>
#include <string>
#include <string_view>

#include "stream/reject_reason.h"

namespace streamlearn::stream {

struct Rejection {
  RejectReason reason = RejectReason::kMalformedRecord;
  std::string message;  // "column 'x2': 'nan' is not a finite number"
};

/// `text` in single quotes for a rejection message, cut to its first 60 bytes ("...") so that a
/// huge field does not flood the log.
inline std::string quote_for_message(std::string_view text) {
  constexpr std::size_t kMaxBytes = 60;
  std::string quoted = "'";
  if (text.size() <= kMaxBytes) {
    quoted += text;
    quoted += '\'';
  } else {
    quoted += text.substr(0, kMaxBytes);
    quoted += "'...";
  }
  return quoted;
}

}  // namespace streamlearn::stream
