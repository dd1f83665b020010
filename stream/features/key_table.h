#pragma once

/// KeyTable: the keys a window holds state for, each with a dense slot index (window state is
/// stored in arrays by slot) and the largest event time seen for it, in least-recently-updated
/// order. Bounded: inserting a key into a full table evicts the least recently updated one (its
/// slot is reused; counted). Windows expire keys from the same end (oldest()/remove()), whose keys
/// are roughly the oldest in event time too: a key updated out of order may outlive its expiry
/// until the keys before it go.
///
/// Cost: find_or_insert O(1) expected (one hash look-up; allocates the key's node when new);
/// remove O(1). Memory per key: the key's text and hash node (~64 bytes plus the text beyond 15
/// characters) and 24 bytes of slot. Not thread-safe.
///
/// save() writes the keys as text from least to most recently updated, each with its latest
/// time, and the eviction count; slot numbers are not saved: load() gives the keys slots 0, 1, ...
/// in that order, which changes no feature (window state is looked up by key).

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::stream::features {

class KeyTable {
 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  explicit KeyTable(std::size_t max_keys) : max_keys_(max_keys) {}

  struct Found {
    std::uint32_t slot;
    bool is_new;  // a new key: its slot's window state must be emptied
  };
  /// The key's slot, made most recently updated, with `time_ms` folded into its latest time.
  Found find_or_insert(std::string_view key, std::int64_t time_ms);
  /// The key's slot, or kNone; changes nothing.
  std::uint32_t find(std::string_view key) const;

  /// The least recently updated key's slot, or kNone when empty.
  std::uint32_t oldest() const { return tail_; }
  void remove(std::uint32_t slot);

  std::int64_t latest_time_ms(std::uint32_t slot) const { return slots_[slot].latest_time_ms; }
  const std::string& key(std::uint32_t slot) const { return *slots_[slot].key; }
  std::size_t size() const { return index_.size(); }
  /// Slots ever allocated: the size window state arrays need.
  std::size_t capacity() const { return slots_.size(); }
  std::uint64_t evicted() const { return evicted_; }
  /// The slots from least to most recently updated: the order save() writes the keys in.
  std::vector<std::uint32_t> slots_oldest_first() const;

  void save(core::StateWriter& out) const;
  /// Restores what save() wrote, replacing the whole table; its slots are then 0 to size() - 1,
  /// oldest first. Fails, leaving the table unchanged, on more keys than max_keys, a key saved
  /// twice, or truncated or corrupt state.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  struct Slot {
    const std::string* key = nullptr;  // the index's own copy
    std::int64_t latest_time_ms = std::numeric_limits<std::int64_t>::min();
    std::uint32_t newer = kNone;  // towards head_
    std::uint32_t older = kNone;  // towards tail_
  };
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept {
      return std::hash<std::string_view>{}(key);
    }
  };

  void unlink(std::uint32_t slot);
  void push_newest(std::uint32_t slot);

  std::size_t max_keys_;
  std::unordered_map<std::string, std::uint32_t, KeyHash, std::equal_to<>> index_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint32_t head_ = kNone;  // most recently updated
  std::uint32_t tail_ = kNone;  // least recently updated
  std::uint64_t evicted_ = 0;
};

}  // namespace streamlearn::stream::features
