#pragma once

/// LabelDelayQueue: the labelled events of a delayed-label evaluation whose labels are not revealed
/// yet, oldest first, each with a copy of its features, its label and what the model predicted on
/// its arrival. The label of the event at position i is due just before the event at position
/// i + delay_events is predicted, as in River's `progressive_val_score(..., delay=N)`
/// (`stream.simulate_qa` with implicit moments): the driver (PrequentialEvaluator::process_delayed)
/// reveals every due label, predicts the new event, then pushes it. A delay of 0 reveals each label
/// before the next event is predicted, which is test-then-train (River's delay 0 and 1 both give
/// it). So at most max(delay_events, 1) events are pending at any time: the queue is a ring of
/// that many slots at most, grown by doubling up to the bound as events arrive (a large delay on a
/// short stream costs only what is pending), and its slots are reused: in steady state a push
/// copies the features into a slot's buffers without allocating (unless an event has more
/// features or classes than the slot saw before).
///
/// Cost: push O(features + classes), front/pop O(1). Memory: (features + classes) x 16 bytes plus
/// ~130 bytes per slot. save()/load() carry the pending events across a checkpoint. Not
/// thread-safe.
///
///     LabelDelayQueue pending(1000);
///     for each event, at position p:
///       while (pending.front_due(p)) { reveal(pending.front()); pending.pop(); }
///       pending.push(event.features, event.label, predict(event));

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/feature_vector.h"
#include "core/state_io.h"
#include "core/status.h"
#include "core/target.h"
#include "stream/prediction.h"

namespace streamlearn::stream {

class LabelDelayQueue {
 public:
  /// One event waiting for its label to be revealed.
  struct Pending {
    core::FeatureVector features;
    core::Target label;
    Prediction prediction;
  };

  /// Labels are revealed `delay_events` events after their event.
  explicit LabelDelayQueue(std::uint64_t delay_events);

  std::uint64_t delay_events() const { return delay_events_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Slots allocated so far (at most max(delay_events, 1)).
  std::size_t slots() const { return slots_.size(); }
  /// Whether max(delay_events, 1) events are pending: the oldest must be revealed before a push.
  bool full() const { return size_ == max_slots_; }

  /// Keeps copies of an event's features and label and of its prediction. `prediction.position`
  /// must be above every pending one's, and the oldest pending event must not be due at it (the
  /// driver reveals due labels before predicting): so at most max(delay_events, 1) are pending.
  void push(const core::FeatureVector& features, const core::Target& label,
            const Prediction& prediction);

  /// Whether the oldest pending label is due before the event at `position` is predicted.
  bool front_due(std::uint64_t position) const {
    // position - delay, not front + delay: a delay near 2^64 must not wrap around.
    return size_ > 0 && position >= delay_events_ &&
           slots_[head_].prediction.position <= position - delay_events_;
  }
  /// The oldest pending event; not empty().
  const Pending& front() const;
  /// Drops the oldest pending event (its slot is kept for reuse); not empty().
  void pop();

  /// Saves the pending events, oldest first.
  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a queue with the same delay (else an error says the
  /// configuration changed), once `space` and `classes` are restored: the features' and classes'
  /// ids are checked against them. On failure the queue is unchanged.
  [[nodiscard]] core::Status load(core::StateReader& in, const core::FeatureSpace& space,
                                  const core::ClassSet& classes);

 private:
  void grow();

  std::uint64_t delay_events_;
  std::uint64_t max_slots_;  // max(delay_events_, 1)
  std::vector<Pending> slots_;
  std::size_t head_ = 0;  // index of the oldest pending event
  std::size_t size_ = 0;
};

}  // namespace streamlearn::stream
