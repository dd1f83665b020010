#include "stream/label_delay_queue.h"

#include <algorithm>

#include "core/check.h"
#include "stream/pending_predictions.h"

namespace streamlearn::stream {
namespace {

// The first allocation: enough for short delays at once, small for a queue that stays empty.
constexpr std::size_t kFirstSlots = 16;
// 2: kept predictions carry the challenger's prediction; 1 is still read (without it).
constexpr std::uint32_t kStateVersion = 3;

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

void LabelDelayQueue::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(delay_events_);
  out.write<std::uint64_t>(size_);
  for (std::size_t i = 0; i < size_; ++i) {
    const Pending& pending = slots_[(head_ + i) % slots_.size()];
    save_target(out, pending.label);
    save_kept_prediction(out, pending.features, pending.prediction);
  }
}

core::Status LabelDelayQueue::load(core::StateReader& in, const core::FeatureSpace& space,
                                   const core::ClassSet& classes) {
  constexpr std::string_view kWhat = "label delay queue";
  std::uint64_t delay_events = 0, size = 0;
  std::uint32_t version = 0;
  if (!in.read(version) || ((version < 1 || version > kStateVersion) && !in.fail()) ||
      !in.read(delay_events) || !in.read(size))
    return in.status(kWhat);
  if (delay_events != delay_events_)
    return core::Status::error("label delay queue: the checkpoint delays labels by " +
                               std::to_string(delay_events) + " events, this run by " +
                               std::to_string(delay_events_) +
                               ": the configuration changed since the checkpoint was saved; "
                               "restore it with the same delay, or start without it");
  if (size > max_slots_) {
    in.fail();
    return in.status(kWhat);
  }
  std::vector<Pending> pending(static_cast<std::size_t>(size));
  for (std::size_t i = 0; i < pending.size(); ++i) {
    Pending& event = pending[i];
    if (!load_target(in, classes, event.label) ||
        !load_kept_prediction(in, space, classes, event.features, event.prediction, version))
      return in.status(kWhat);
    // Pending events are distinct, in order, and span less than max_slots_ positions (the
    // driver reveals each label once it is due).
    const std::uint64_t position = event.prediction.position;
    if (i > 0 && (position <= pending[i - 1].prediction.position ||
                  position - pending[0].prediction.position >= max_slots_)) {
      in.fail();
      return in.status(kWhat);
    }
  }
  slots_ = std::move(pending);
  head_ = 0;
  size_ = slots_.size();
  return core::Status::ok();
}

}  // namespace streamlearn::stream
