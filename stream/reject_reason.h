#pragma once

/// Why a record was rejected. Every rejected record is counted by reason and kept with its
/// original bytes (dead-letter output); none of them reaches a model.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/state_io.h"

namespace streamlearn::stream {

enum class RejectReason : std::uint8_t {
  kMalformedRecord,   // not parseable at all (broken JSON, unbalanced quotes)
  kFieldCount,        // a CSV row with more or fewer fields than the header
  kNonFinite,         // NaN or Inf in a numeric field
  kOutOfRange,        // a number too large for a double
  kMissingTarget,     // no value for the target column where one is required
  kBadTarget,         // a regression target that is not a number
  kBadEventTime,      // an event-time field that is not a timestamp
  kBadFieldType,      // a field of a type the schema cannot use (object, array)
  kMissingId,         // a label record without the event id that matches it to its prediction
  kLateEvent,         // an event whose window had closed, under a window's late=dead_letter
  kCount,
};

inline constexpr std::array<std::string_view, static_cast<std::size_t>(RejectReason::kCount)>
    kRejectReasonNames = {"malformed_record", "field_count",   "non_finite",    "out_of_range",
                          "missing_target",   "bad_target",    "bad_event_time", "bad_field_type",
                          "missing_id",       "late_event"};

inline std::string_view reject_reason_name(RejectReason reason) {
  return kRejectReasonNames[static_cast<std::size_t>(reason)];
}

/// Counts of rejected records by reason.
class RejectCounts {
 public:
  void add(RejectReason reason) { ++counts_[static_cast<std::size_t>(reason)]; }
  std::uint64_t count(RejectReason reason) const {
    return counts_[static_cast<std::size_t>(reason)];
  }
  /// Calls f(name, count) for every reason with a non-zero count, in enum order.
  template <typename F>
  void for_each_nonzero(F&& f) const {
    for (std::size_t i = 0; i < counts_.size(); ++i)
      if (counts_[i] > 0) f(kRejectReasonNames[i], counts_[i]);
  }
  void merge(const RejectCounts& other) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  }
  std::uint64_t total() const {
    std::uint64_t sum = 0;
    for (std::uint64_t c : counts_) sum += c;
    return sum;
  }
  /// The counts by reason name, so that reasons added later load (as zero where missing).
  void save(core::StateWriter& out) const {
    out.write<std::uint64_t>(counts_.size());
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      out.write_string(kRejectReasonNames[i]);
      out.write(counts_[i]);
    }
  }
  bool load(core::StateReader& in) {
    std::uint64_t size = 0;
    if (!in.read(size) || size > 1024) return in.fail();
    counts_ = {};
    std::string name;
    for (std::uint64_t i = 0; i < size; ++i) {
      std::uint64_t count = 0;
      if (!in.read_string(name) || !in.read(count)) return false;
      const auto known = std::find(kRejectReasonNames.begin(), kRejectReasonNames.end(), name);
      if (known == kRejectReasonNames.end()) return in.fail();  // saved by a newer version
      counts_[static_cast<std::size_t>(known - kRejectReasonNames.begin())] = count;
    }
    return true;
  }

 private:
  std::array<std::uint64_t, static_cast<std::size_t>(RejectReason::kCount)> counts_{};
};

}  // namespace streamlearn::stream
