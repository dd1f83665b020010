#include "monitors/data_drift/categorical_histogram.h"

#include <string>
#include <utility>

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

CategoricalHistogram::CategoricalHistogram() : CategoricalHistogram(Params{}) {}

CategoricalHistogram::CategoricalHistogram(Params params) : params_(params) {
  SL_CHECK_LE(1u, params_.max_categories);
}

CategoricalHistogram CategoricalHistogram::with_categories_of(
    const CategoricalHistogram& reference) {
  CategoricalHistogram histogram(reference.params_);
  histogram.categories_ = reference.categories_;
  histogram.counts_.assign(reference.counts_.size(), 0);
  histogram.slot_of_ = reference.slot_of_;
  histogram.full_ = reference.full_;
  return histogram;
}

std::int64_t CategoricalHistogram::slot_for_add(core::SymbolId value) {
  if (auto found = slot_of_.find(value); found != slot_of_.end()) return found->second;
  if (full_) return -1;
  const auto slot = static_cast<std::uint32_t>(categories_.size());
  slot_of_.emplace(value, slot);
  categories_.push_back(value);
  counts_.push_back(0);
  if (categories_.size() == params_.max_categories) full_ = true;
  return slot;
}

void CategoricalHistogram::track(core::SymbolId value) { slot_for_add(value); }

void CategoricalHistogram::add(core::SymbolId value, std::uint64_t count) {
  const std::int64_t slot = slot_for_add(value);
  if (slot < 0)
    overflow_count_ += count;
  else
    counts_[static_cast<std::size_t>(slot)] += count;
  total_ += count;
}

void CategoricalHistogram::add_overflow(std::uint64_t count) {
  if (count == 0) return;
  overflow_count_ += count;
  total_ += count;
  full_ = true;
}

void CategoricalHistogram::add(core::SymbolId value) {
  const std::int64_t slot = slot_for_add(value);
  if (slot < 0)
    ++overflow_count_;
  else
    ++counts_[static_cast<std::size_t>(slot)];
  ++total_;
}

void CategoricalHistogram::remove(core::SymbolId value) {
  if (auto found = slot_of_.find(value); found != slot_of_.end()) {
    std::uint64_t& count = counts_[found->second];
    SL_CHECK_LT(0u, count);
    --count;
  } else {
    // Not full means the value was never counted; full means it sits in the overflow bucket.
    SL_CHECK(full_);
    SL_CHECK_LT(0u, overflow_count_);
    --overflow_count_;
  }
  --total_;
}

core::Status CategoricalHistogram::merge(const CategoricalHistogram& other) {
  SL_RETURN_IF_ERROR(check_aligned(other));
  for (std::size_t i = 0; i < other.categories_.size(); ++i) {
    const std::uint64_t count = other.counts_[i];
    if (count == 0) continue;
    const std::int64_t slot = slot_for_add(other.categories_[i]);
    if (slot < 0)
      overflow_count_ += count;
    else
      counts_[static_cast<std::size_t>(slot)] += count;
  }
  if (other.overflow_count_ > 0) {
    overflow_count_ += other.overflow_count_;
    full_ = true;
  }
  total_ += other.total_;
  return core::Status::ok();
}

void CategoricalHistogram::clear() {
  counts_.assign(counts_.size(), 0);
  overflow_count_ = 0;
  total_ = 0;
}

core::Status CategoricalHistogram::check_aligned(const CategoricalHistogram& other) const {
  auto check_one_way = [](const CategoricalHistogram& tracking,
                          const CategoricalHistogram& not_tracking) -> core::Status {
    if (!not_tracking.full_) return core::Status::ok();
    for (core::SymbolId category : tracking.categories_) {
      if (!not_tracking.tracks(category))
        return core::Status::error(
            "categorical histograms are not aligned: category id " + std::to_string(category) +
            " is tracked by one side but counted in the overflow bucket of the other, full, side; "
            "build the current window's histogram with CategoricalHistogram::with_categories_of("
            "reference) and do not add values to the reference afterwards");
    }
    return core::Status::ok();
  };
  SL_RETURN_IF_ERROR(check_one_way(*this, other));
  return check_one_way(other, *this);
}

std::uint64_t CategoricalHistogram::count(core::SymbolId value) const {
  auto found = slot_of_.find(value);
  return found == slot_of_.end() ? 0 : counts_[found->second];
}

void CategoricalHistogram::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(params_.max_categories);
  out.write_bool(full_);
  out.write_vector(categories_);
  out.write_vector(counts_);
  out.write(overflow_count_);
}

core::Status CategoricalHistogram::load(core::StateReader& in) {
  CategoricalHistogram restored(params_);
  std::uint32_t max_categories = 0;
  if (in.expect_version(kStateVersion) && in.read(max_categories)) {
    if (max_categories != params_.max_categories)
      return core::Status::error(
          "categorical_histogram: saved with max_categories=" + std::to_string(max_categories) +
          " but this histogram has max_categories=" + std::to_string(params_.max_categories) +
          "; load it into a histogram built with the same Params");
  }
  if (in.read_bool(restored.full_) && in.read_vector(restored.categories_) &&
      in.read_vector(restored.counts_) && in.read(restored.overflow_count_)) {
    // Everything the invariants say must hold, so a corrupt state cannot break remove() later.
    const std::size_t size = restored.categories_.size();
    bool valid =
        size == restored.counts_.size() && size <= params_.max_categories &&
        (restored.full_ || (size < params_.max_categories && restored.overflow_count_ == 0));
    restored.total_ = restored.overflow_count_;
    for (std::size_t i = 0; valid && i < size; ++i) {
      valid =
          restored.slot_of_.emplace(restored.categories_[i], static_cast<std::uint32_t>(i)).second;
      restored.total_ += restored.counts_[i];
    }
    if (valid)
      *this = std::move(restored);
    else
      in.fail();
  }
  return in.status("categorical_histogram");
}

}  // namespace streamlearn::monitors
