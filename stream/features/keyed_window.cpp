#include "stream/features/keyed_window.h"

namespace streamlearn::stream::features {

KeyedWindow::KeyedWindow(const WindowSpec& spec)
    : out_of_order_ms_(spec.out_of_order_ms),
      ttl_ms_(spec.ttl_ms),
      keys_(spec.max_keys),
      state_(WindowState::make(spec)) {}

void KeyedWindow::observe(std::int64_t time_ms) {
  if (time_ms <= latest_ms_) return;
  latest_ms_ = time_ms;
  const std::int64_t watermark = watermark_ms();
  for (std::uint32_t slot = keys_.oldest(); slot != KeyTable::kNone; slot = keys_.oldest()) {
    const std::int64_t latest = keys_.latest_time_ms(slot);
    if (state_->closed(latest, watermark)) {
      ++counters_.closed;
    } else if (ttl_ms_ > 0 && latest + ttl_ms_ <= watermark) {
      ++counters_.expired;
    } else {
      break;
    }
    state_->clear(slot);
    keys_.remove(slot);
  }
}

bool KeyedWindow::late(std::int64_t time_ms) const {
  return latest_ms_ != kNoTime && state_->late(time_ms, watermark_ms());
}

std::uint32_t KeyedWindow::update(std::string_view key, std::int64_t time_ms,
                                  std::span<const ColumnInput> inputs) {
  const KeyTable::Found found = keys_.find_or_insert(key, time_ms);
  if (found.is_new) {
    state_->reserve_slots(keys_.capacity());
    state_->clear(found.slot);
  }
  state_->update(found.slot, time_ms, watermark_ms(), inputs);
  return found.slot;
}

void KeyedWindow::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(latest_ms_);
  out.write(counters_.closed);
  out.write(counters_.expired);
  keys_.save(out);
  state_->save(keys_.slots_oldest_first(), out);
}

core::Status KeyedWindow::load(core::StateReader& in) {
  const auto corrupt = [&in] {
    in.fail();
    return in.status("KeyedWindow");
  };
  if (!in.expect_version(kStateVersion) || !in.read(latest_ms_) || !in.read(counters_.closed) ||
      !in.read(counters_.expired))
    return in.status("KeyedWindow");
  // The watermark and the bounds on keys subtract and add durations to the saved times: times
  // for which that overflows cannot come from a stream.
  std::int64_t bound = 0;
  if (latest_ms_ != kNoTime && __builtin_sub_overflow(latest_ms_, out_of_order_ms_, &bound))
    return corrupt();
  SL_RETURN_IF_ERROR(keys_.load(in));
  for (std::uint32_t slot = 0; slot < keys_.size(); ++slot) {
    const std::int64_t latest = keys_.latest_time_ms(slot);
    if (!state_->time_in_range(latest) || __builtin_add_overflow(latest, ttl_ms_, &bound))
      return corrupt();
  }
  return state_->load(keys_.size(), in);
}

bool KeyedWindow::read(std::string_view key, std::int64_t time_ms, std::span<double> values) {
  const std::uint32_t slot = keys_.find(key);
  if (slot == KeyTable::kNone) {
    state_->read_empty(values);
    return false;
  }
  state_->read(slot, time_ms, values);
  return true;
}

}  // namespace streamlearn::stream::features
