#include "stream/features/key_table.h"

#include <algorithm>

namespace streamlearn::stream::features {

KeyTable::Found KeyTable::find_or_insert(std::string_view key, std::int64_t time_ms) {
  if (auto it = index_.find(key); it != index_.end()) {
    Slot& slot = slots_[it->second];
    slot.latest_time_ms = std::max(slot.latest_time_ms, time_ms);
    if (head_ != it->second) {
      unlink(it->second);
      push_newest(it->second);
    }
    return {it->second, false};
  }
  if (index_.size() >= max_keys_) {
    remove(tail_);
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
  const auto inserted = index_.emplace(std::string(key), slot).first;
  slots_[slot] = Slot{&inserted->first, time_ms, kNone, kNone};
  push_newest(slot);
  return {slot, true};
}

std::uint32_t KeyTable::find(std::string_view key) const {
  const auto it = index_.find(key);
  return it == index_.end() ? kNone : it->second;
}

void KeyTable::remove(std::uint32_t slot) {
  unlink(slot);
  index_.erase(index_.find(std::string_view(*slots_[slot].key)));
  slots_[slot] = Slot{};
  free_slots_.push_back(slot);
}

std::vector<std::uint32_t> KeyTable::slots_oldest_first() const {
  std::vector<std::uint32_t> slots;
  slots.reserve(size());
  for (std::uint32_t slot = tail_; slot != kNone; slot = slots_[slot].newer) slots.push_back(slot);
  return slots;
}

void KeyTable::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(evicted_);
  out.write<std::uint64_t>(size());
  for (std::uint32_t slot = tail_; slot != kNone; slot = slots_[slot].newer) {
    out.write_string(*slots_[slot].key);
    out.write(slots_[slot].latest_time_ms);
  }
}

core::Status KeyTable::load(core::StateReader& in) {
  KeyTable loaded(max_keys_);
  std::uint64_t size = 0;
  if (!in.expect_version(kStateVersion) || !in.read(loaded.evicted_) || !in.read(size))
    return in.status("KeyTable");
  if (size > max_keys_) {
    in.fail();
    return core::Status::error(
        "KeyTable: the saved state holds " + std::to_string(size) +
        " keys but this window keeps at most max_keys=" + std::to_string(max_keys_));
  }
  std::string key;
  std::int64_t latest_time_ms = 0;
  for (std::uint64_t i = 0; i < size; ++i) {
    if (!in.read_string(key) || !in.read(latest_time_ms)) return in.status("KeyTable");
    // Oldest first: each key inserted becomes the most recently updated, as it was.
    if (!loaded.find_or_insert(key, latest_time_ms).is_new) {
      in.fail();
      return in.status("KeyTable");
    }
  }
  *this = std::move(loaded);
  return core::Status::ok();
}

void KeyTable::unlink(std::uint32_t slot) {
  Slot& s = slots_[slot];
  if (s.newer != kNone) slots_[s.newer].older = s.older; else head_ = s.older;
  if (s.older != kNone) slots_[s.older].newer = s.newer; else tail_ = s.newer;
  s.newer = s.older = kNone;
}

void KeyTable::push_newest(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.newer = kNone;
  s.older = head_;
  if (head_ != kNone) slots_[head_].newer = slot;
  head_ = slot;
  if (tail_ == kNone) tail_ = slot;
}

}  // namespace streamlearn::stream::features
