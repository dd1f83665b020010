#include "stream/pending_predictions.h"

#include <algorithm>

#include "core/check.h"

namespace streamlearn::stream {
namespace {

// 2: kept predictions carry the challenger's prediction; 1 is still read (without it).
constexpr std::uint32_t kStateVersion = 3;

}  // namespace

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

void PendingPredictions::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write<std::uint64_t>(capacity_);
  out.write(ttl_ms_);
  out.write(evicted_);
  out.write(expired_);
  out.write(replaced_);
  out.write<std::uint64_t>(index_.size());
  for (const Queued& queued : arrival_order_) {
    if (queued.generation != slots_[queued.slot].generation) continue;  // matched or replaced
    const Entry& entry = slots_[queued.slot].entry;
    out.write_string(entry.id);
    save_kept_prediction(out, entry.features, entry.prediction);
  }
}

core::Status PendingPredictions::load(core::StateReader& in, const core::FeatureSpace& space,
                                      const core::ClassSet& classes) {
  constexpr std::string_view kWhat = "pending predictions";
  std::uint64_t capacity = 0, count = 0;
  std::int64_t ttl_ms = 0;
  std::uint32_t version = 0;
  if (!in.read(version) || ((version < 1 || version > kStateVersion) && !in.fail()) ||
      !in.read(capacity) || !in.read(ttl_ms))
    return in.status(kWhat);
  if (capacity != capacity_ || ttl_ms != ttl_ms_)
    return core::Status::error(
        "pending predictions: the checkpoint keeps at most " + std::to_string(capacity) +
        " for " + std::to_string(ttl_ms) + " ms, this pipeline " + std::to_string(capacity_) +
        " for " + std::to_string(ttl_ms_) +
        " ms: the configuration changed since the checkpoint was saved; restore it with the same "
        "max_pending and label_ttl, or start without it");
  // Rebuilt by add() in arrival order: the same entries in the same order behave the same, even
  // though the slots and the stale queue items of the saved buffer are not reproduced.
  PendingPredictions loaded(capacity_, ttl_ms_);
  if (!in.read(loaded.evicted_) || !in.read(loaded.expired_) || !in.read(loaded.replaced_) ||
      !in.read(count))
    return in.status(kWhat);
  if (count > capacity_) {
    in.fail();
    return in.status(kWhat);
  }
  Entry entry;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!in.read_string(entry.id) ||
        !load_kept_prediction(in, space, classes, entry.features, entry.prediction, version))
      return in.status(kWhat);
    if (loaded.index_.contains(entry.id)) {  // save() writes each id once
      in.fail();
      return in.status(kWhat);
    }
    loaded.add(entry.id, entry.features, entry.prediction);
  }
  *this = std::move(loaded);
  return core::Status::ok();
}

void save_target(core::StateWriter& out, const core::Target& target) {
  out.write(static_cast<std::uint8_t>(target.kind));
  out.write(target.class_id);
  out.write(target.value);
}

bool load_target(core::StateReader& in, const core::ClassSet& classes, core::Target& target) {
  std::uint8_t kind = 0;
  if (!in.read(kind) || !in.read(target.class_id) || !in.read(target.value)) return false;
  if (kind > static_cast<std::uint8_t>(core::Target::Kind::kValue)) return in.fail();
  target.kind = static_cast<core::Target::Kind>(kind);
  if (target.is_class() && target.class_id >= classes.size()) return in.fail();
  return true;
}

void save_kept_prediction(core::StateWriter& out, const core::FeatureVector& features,
                          const Prediction& prediction) {
  // Field by field: the structs have padding, whose bytes are not state.
  out.write<std::uint64_t>(features.numeric().size());
  for (const core::NumericFeature& feature : features.numeric()) {
    out.write(feature.id);
    out.write(feature.value);
  }
  out.write<std::uint64_t>(features.categorical().size());
  for (const core::CategoricalFeature& feature : features.categorical()) {
    out.write(feature.id);
    out.write(feature.value);
    out.write(feature.indicator);
  }
  out.write_vector(prediction.proba.values());
  save_target(out, prediction.value);
  out.write(prediction.position);
  out.write(prediction.time_ms);
  out.write(prediction.model_version);
  out.write_vector(prediction.challenger_proba.values());
  save_target(out, prediction.challenger_value);
  out.write<std::uint64_t>(features.key_fields().size());
  for (const core::KeyField& key : features.key_fields()) {
    out.write(key.field);
    out.write_string(features.key_text(key));
  }
}

bool load_kept_prediction(core::StateReader& in, const core::FeatureSpace& space,
                          const core::ClassSet& classes, core::FeatureVector& features,
                          Prediction& prediction, std::uint32_t version) {
  features.clear();
  std::uint64_t count = 0;
  if (!in.read(count)) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    core::NumericFeature feature{};
    if (!in.read(feature.id) || !in.read(feature.value)) return false;
    if (feature.id >= space.num_features()) return in.fail();
    features.add_numeric(feature.id, feature.value);
  }
  if (!in.read(count)) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    core::CategoricalFeature feature{};
    if (!in.read(feature.id) || !in.read(feature.value) || !in.read(feature.indicator))
      return false;
    if (feature.id >= space.num_features() || feature.value >= space.num_values() ||
        feature.indicator >= space.num_features())
      return in.fail();
    features.add_categorical(feature.id, feature.value, feature.indicator);
  }
  if (!in.read_vector(prediction.proba.mutable_values()) ||
      !load_target(in, classes, prediction.value) || !in.read(prediction.position) ||
      !in.read(prediction.time_ms) || !in.read(prediction.model_version))
    return false;
  prediction.challenger_proba.clear();
  prediction.challenger_value = core::Target::none();
  if (version >= 2 && (!in.read_vector(prediction.challenger_proba.mutable_values()) ||
                       !load_target(in, classes, prediction.challenger_value)))
    return false;
  if (version >= 3) {
    if (!in.read(count)) return false;
    std::string text;
    for (std::uint64_t i = 0; i < count; ++i) {
      core::FeatureId field = 0;
      if (!in.read(field) || !in.read_string(text)) return false;
      if (field >= space.num_features()) return in.fail();
      features.add_key(field, text);
    }
  }
  // A class is predicted with its probabilities (the evaluator's arg-max); nothing else is.
  const auto consistent = [](const core::Target& value, const core::ClassProbabilities& proba) {
    return value.is_class() ? value.class_id < proba.size() : proba.empty();
  };
  return (consistent(prediction.value, prediction.proba) &&
          consistent(prediction.challenger_value, prediction.challenger_proba)) ||
         in.fail();
}

}  // namespace streamlearn::stream
