#include "stream/pending_predictions.h"

#include <algorithm>

#include "core/check.h"

namespace streamlearn::stream {

PendingPredictions::PendingPredictions(std::size_t capacity, std::int64_t ttl_ms)
    : capacity_(capacity), ttl_ms_(ttl_ms) {
  SL_CHECK(capacity_ > 0);
  index_.reserve(std::min<std::size_t>(capacity_, 1 << 20));
}

void PendingPredictions::add(std::string_view id, const core::FeatureVector& features,
                             const Prediction& prediction) {
  if (auto found = index_.find(id); found != index_.end()) {
    ++replaced_;
    const std::uint32_t slot = found->second;
    index_.erase(found);
    free_slot(slot);
  }
  if (index_.size() >= capacity_) {
    drop_stale_front();
    const Queued oldest = arrival_order_.front();
    arrival_order_.pop_front();
    index_.erase(slots_[oldest.slot].entry.id);
    free_slot(oldest.slot);
    ++evicted_;
  }
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Entry& entry = slots_[slot].entry;
  entry.id.assign(id);
  entry.features = features;  // reuses the slot's buffers
  entry.prediction = prediction;
  index_.emplace(entry.id, slot);
  arrival_order_.push_back({slot, slots_[slot].generation});
  // Matched entries leave stale items behind a live one that waits long; compacting when they
  // outnumber the live entries keeps the queue O(size) at O(1) amortized cost.
  if (arrival_order_.size() > 2 * index_.size() + 1024) {
    std::erase_if(arrival_order_, [this](const Queued& queued) {
      return queued.generation != slots_[queued.slot].generation;
    });
  }
}

const PendingPredictions::Entry* PendingPredictions::find(std::string_view id) const {
  auto found = index_.find(id);
  return found == index_.end() ? nullptr : &slots_[found->second].entry;
}

void PendingPredictions::remove(std::string_view id) {
  auto found = index_.find(id);
  if (found == index_.end()) return;
  const std::uint32_t slot = found->second;
  index_.erase(found);
  free_slot(slot);
  drop_stale_front();
}

std::size_t PendingPredictions::expire(std::int64_t now_ms) {
  std::size_t count = 0;
  if (now_ms == Event::kNoTime) return 0;
  drop_stale_front();
  while (!arrival_order_.empty()) {
    const Queued oldest = arrival_order_.front();
    const Entry& entry = slots_[oldest.slot].entry;
    // Saturating: an entry without an event time never expires by time, only by capacity.
    if (entry.prediction.time_ms == Event::kNoTime || now_ms - ttl_ms_ <= entry.prediction.time_ms)
      break;
    arrival_order_.pop_front();
    index_.erase(entry.id);
    free_slot(oldest.slot);
    ++count;
    drop_stale_front();
  }
  expired_ += count;
  return count;
}

void PendingPredictions::free_slot(std::uint32_t slot) {
  ++slots_[slot].generation;
  free_slots_.push_back(slot);
}

void PendingPredictions::drop_stale_front() {
  while (!arrival_order_.empty() &&
         arrival_order_.front().generation != slots_[arrival_order_.front().slot].generation)
    arrival_order_.pop_front();
}

}  // namespace streamlearn::stream
