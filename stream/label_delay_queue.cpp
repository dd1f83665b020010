#include "stream/label_delay_queue.h"

#include <algorithm>

#include "core/check.h"

namespace streamlearn::stream {
namespace {

// The first allocation: enough for short delays at once, small for a queue that stays empty.
constexpr std::size_t kFirstSlots = 16;

}  // namespace

LabelDelayQueue::LabelDelayQueue(std::uint64_t delay_events)
    : delay_events_(delay_events), max_slots_(std::max<std::uint64_t>(delay_events, 1)) {}

void LabelDelayQueue::push(const core::FeatureVector& features, const core::Target& label,
                           const Prediction& prediction) {
  SL_DCHECK(!front_due(prediction.position));
  SL_DCHECK(empty() ||
            slots_[(head_ + size_ - 1) % slots_.size()].prediction.position < prediction.position);
  if (size_ == slots_.size()) grow();
  std::size_t tail = head_ + size_;
  if (tail >= slots_.size()) tail -= slots_.size();
  Pending& slot = slots_[tail];
  // Copy-assignment reuses the slot's buffers.
  slot.features = features;
  slot.label = label;
  slot.prediction = prediction;
  ++size_;
}

const LabelDelayQueue::Pending& LabelDelayQueue::front() const {
  SL_DCHECK(!empty());
  return slots_[head_];
}

void LabelDelayQueue::pop() {
  SL_DCHECK(!empty());
  if (++head_ == slots_.size()) head_ = 0;
  --size_;
}

void LabelDelayQueue::grow() {
  // More than max_slots_ pending means the driver pushed an event without first revealing the
  // labels due before it: a programmer error, and a queue that would grow without bound.
  SL_CHECK_LT(slots_.size(), max_slots_);
  // The ring is full: rotate the oldest to slot 0 so that the new slots go after the newest.
  std::rotate(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(head_), slots_.end());
  head_ = 0;
  const std::uint64_t wanted = std::max<std::uint64_t>(kFirstSlots, 2 * slots_.size());
  slots_.resize(static_cast<std::size_t>(std::min(wanted, max_slots_)));
}

}  // namespace streamlearn::stream
