#pragma once

/// PendingPredictions: the predictions of unlabelled events waiting for their labels (delayed
/// labels), by event id, each with the features it was made from so that the model learns from
/// exactly what it saw. Bounded twice: at most `capacity` entries (the oldest is evicted first)
/// and a time-to-live in event time (an entry expires once the stream's latest event time passes
/// its event time plus the TTL). Event time, not wall time, so a replay expires the same entries
/// as the live run did. Both are counted, never silent.
///
/// Entries are kept in arrival order and expired from the oldest, so an entry that arrived out of
/// event-time order may outlive its TTL until the ones before it go. A second prediction for an
/// id already pending (an event consumed twice after a restart) replaces the first.
///
/// Cost: add, take and expire are O(1) amortized (a hash look-up by id); the slots and their
/// feature buffers are reused, so steady state allocates only the id's hash-map node. Memory per
/// entry: the id, the features (16-24 bytes each) and the class probabilities. save()/load() carry
/// the entries (in arrival order) and the counters across a checkpoint. Not thread-safe.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/feature_vector.h"
#include "core/state_io.h"
#include "core/status.h"
#include "stream/prediction.h"

namespace streamlearn::stream {

class PendingPredictions {
 public:
  struct Entry {
    std::string id;
    core::FeatureVector features;
    Prediction prediction;
  };

  PendingPredictions(std::size_t capacity, std::int64_t ttl_ms);

  /// Keeps the prediction made for event `id` from `features` (at prediction.time_ms). Evicts the
  /// oldest entry when full.
  void add(std::string_view id, const core::FeatureVector& features, const Prediction& prediction);
  /// The entry for `id`, or nullptr. Valid until the next call that changes the buffer; release
  /// it with remove() after use.
  const Entry* find(std::string_view id) const;
  void remove(std::string_view id);
  /// Drops the entries whose event time plus the TTL is before `now_ms` (the stream's event-time
  /// clock); returns how many.
  std::size_t expire(std::int64_t now_ms);

  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return capacity_; }
  std::uint64_t evicted() const { return evicted_; }
  std::uint64_t expired() const { return expired_; }
  std::uint64_t replaced() const { return replaced_; }

  /// Saves the entries, oldest first, and the counters.
  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a buffer with the same capacity and TTL (else an error says
  /// the configuration changed), once `space` and `classes` are restored: the features' and
  /// classes' ids are checked against them. On failure the buffer is unchanged.
  [[nodiscard]] core::Status load(core::StateReader& in, const core::FeatureSpace& space,
                                  const core::ClassSet& classes);

 private:
  struct Slot {
    Entry entry;
    std::uint32_t generation = 0;  // bumped when the slot is freed, so stale queue items are seen
  };
  struct Queued {
    std::uint32_t slot;
    std::uint32_t generation;
  };
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const noexcept {
      return std::hash<std::string_view>{}(name);
    }
  };

  void free_slot(std::uint32_t slot);
  /// Pops stale items (matched or replaced entries) off the front of the queue.
  void drop_stale_front();

  std::size_t capacity_;
  std::int64_t ttl_ms_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::deque<Queued> arrival_order_;
  std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>> index_;
  std::uint64_t evicted_ = 0;
  std::uint64_t expired_ = 0;
  std::uint64_t replaced_ = 0;
};

/// The saved form of a kept prediction with the features it was made from, shared by
/// PendingPredictions and LabelDelayQueue. The load checks every feature, value and class id
/// against the restored `space` and `classes` (models index arrays by them), so a corrupt state
/// fails instead; it does not check numbers, which a model may legitimately produce as NaN.
/// `version` is the owner's state version: from 2 on, the challenger's prediction is saved too;
/// from 3 on, the key fields.
void save_kept_prediction(core::StateWriter& out, const core::FeatureVector& features,
                          const Prediction& prediction);
bool load_kept_prediction(core::StateReader& in, const core::FeatureSpace& space,
                          const core::ClassSet& classes, core::FeatureVector& features,
                          Prediction& prediction, std::uint32_t version);
/// A label or a point prediction; a class id must be below classes.size().
void save_target(core::StateWriter& out, const core::Target& target);
bool load_target(core::StateReader& in, const core::ClassSet& classes, core::Target& target);

}  // namespace streamlearn::stream
