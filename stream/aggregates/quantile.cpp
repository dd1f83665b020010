#include "stream/aggregates/quantile.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::stream::aggregates {
namespace {

constexpr std::uint32_t kStateVersion = 1;

// The buckets are laid out for alpha * (1 - kAlphaMargin). The logarithm that picks a bucket and
// the exponential that gives its value are each off by at most about 1e-13 relative (|log x| is
// below 710, times 1.1e-16), so a margin of 1e-6 * alpha >= 1e-10 keeps the bound exact.
constexpr double kAlphaMargin = 1e-6;

// No bucket index reaches this: |log x| <= 710 for finite x, over log(gamma) >= 2e-4 (alpha >=
// 1e-4) is below 3.6e6. Loaded state beyond it is corrupt.
constexpr std::int64_t kMaxIndex = std::int64_t{1} << 24;

std::string describe(double alpha, std::uint32_t max_num_buckets) {
  return "alpha=" + core::ParamWriter::format_number(alpha) +
         ", max_num_buckets=" + std::to_string(max_num_buckets);
}

}  // namespace

Quantile::Quantile() : Quantile(Params{}) {}

Quantile::Quantile(const Params& params) : params_(params) {
  SL_CHECK(params_.q >= 0.0 && params_.q <= 1.0);
  SL_CHECK(params_.alpha >= kMinAlpha && params_.alpha <= kMaxAlpha);
  SL_CHECK(params_.max_num_buckets >= kMinBuckets && params_.max_num_buckets <= kMaxBuckets);
  const double alpha = params_.alpha * (1.0 - kAlphaMargin);
  const double gamma = (1.0 + alpha) / (1.0 - alpha);
  log_gamma_ = std::log1p(2.0 * alpha / (1.0 - alpha));
  inverse_log_gamma_ = 1.0 / log_gamma_;
  log_representative_factor_ = std::log(2.0 / (gamma + 1.0));
}

std::int32_t Quantile::index_of(double magnitude) const {
  return static_cast<std::int32_t>(std::ceil(std::log(magnitude) * inverse_log_gamma_));
}

double Quantile::value_of(std::int32_t index) const {
  return std::exp(static_cast<double>(index) * log_gamma_ + log_representative_factor_);
}

void Quantile::update(double x) {
  SL_DCHECK(std::isfinite(x));
  if (x >= kMinMagnitude) {
    positive_.add(index_of(x), 1, params_.max_num_buckets);
  } else if (x <= -kMinMagnitude) {
    negative_.add(index_of(-x), 1, params_.max_num_buckets);
  } else {
    ++zero_count_;
  }
}

void Quantile::revert(double x) {
  if (x >= kMinMagnitude) {
    positive_.remove(index_of(x));
  } else if (x <= -kMinMagnitude) {
    negative_.remove(index_of(-x));
  } else {
    SL_CHECK(zero_count_ > 0);
    --zero_count_;
  }
}

void Quantile::merge(const Quantile& other) {
  SL_CHECK(params_.alpha == other.params_.alpha &&
           params_.max_num_buckets == other.params_.max_num_buckets);
  negative_.merge(other.negative_, params_.max_num_buckets);
  positive_.merge(other.positive_, params_.max_num_buckets);
  zero_count_ += other.zero_count_;
}

double Quantile::quantile(double q) const {
  SL_CHECK(q >= 0.0 && q <= 1.0);
  const std::uint64_t n = count();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  std::uint64_t rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(n - 1)));
  if (rank < negative_.total) {
    // The most negative values are the largest magnitudes: walk the negative buckets downwards.
    std::uint64_t seen = 0;
    for (std::size_t k = negative_.counts.size(); k-- > 0;) {
      seen += negative_.counts[k];
      if (seen > rank) return -value_of(negative_.offset + static_cast<std::int32_t>(k));
    }
  }
  rank -= negative_.total;
  if (rank < zero_count_) return 0.0;
  rank -= zero_count_;
  std::uint64_t seen = 0;
  for (std::size_t k = 0; k < positive_.counts.size(); ++k) {
    seen += positive_.counts[k];
    if (seen > rank) return value_of(positive_.offset + static_cast<std::int32_t>(k));
  }
  SL_CHECK(false);  // the bucket counts add up to the totals
  return std::numeric_limits<double>::quiet_NaN();
}

void Quantile::Store::add(std::int32_t index, std::uint64_t count, std::uint32_t max_num_buckets) {
  if (index < floor) index = floor;
  const std::int64_t max_span = max_num_buckets;
  const std::int64_t size = static_cast<std::int64_t>(counts.size());
  if (counts.empty()) {
    counts.assign(1, 0);  // keeps the capacity of earlier use
    offset = index;
  } else if (index < offset) {
    // Room below: drop the empty buckets at the top first, collapse only if still too wide. There
    // is a non-empty bucket (total > 0), so the loop stops.
    while (counts.back() == 0) counts.pop_back();
    const std::int64_t top = offset + static_cast<std::int64_t>(counts.size()) - 1;
    const std::int64_t lowest_allowed = top - max_span + 1;
    std::int64_t new_offset;
    if (index < lowest_allowed) {
      // Collapse: the value goes to the lowest bucket the budget allows, which becomes the floor
      // (nothing lies below it yet, so only this value is collapsed).
      index = static_cast<std::int32_t>(lowest_allowed);
      floor = index;
      new_offset = lowest_allowed;
    } else {
      // Headroom of half the span, so that a run of ever smaller values moves the array
      // O(log) times, not every time.
      new_offset = std::max(index - static_cast<std::int64_t>(counts.size()) / 2, lowest_allowed);
    }
    if (new_offset < offset) {
      counts.insert(counts.begin(), static_cast<std::size_t>(offset - new_offset), 0);
      offset = static_cast<std::int32_t>(new_offset);
    }
  } else if (index >= offset + size) {
    const std::int64_t needed = std::int64_t{index} - offset + 1;
    if (needed <= max_span) {
      counts.resize(static_cast<std::size_t>(needed), 0);
    } else {
      // The buckets below new_offset fall off: their values join the new lowest bucket, which
      // becomes the floor. When they are all empty nothing is collapsed and there is no floor.
      const std::int64_t new_offset = std::int64_t{index} - max_span + 1;
      const std::size_t dropped =
          static_cast<std::size_t>(std::min<std::int64_t>(new_offset - offset, size));
      std::uint64_t folded = 0;
      for (std::size_t k = 0; k < dropped; ++k) folded += counts[k];
      counts.erase(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(dropped));
      counts.resize(static_cast<std::size_t>(max_span), 0);
      counts[0] += folded;
      offset = static_cast<std::int32_t>(new_offset);
      floor = folded > 0 ? offset : kNoFloor;
    }
  }
  counts[static_cast<std::size_t>(std::int64_t{index} - offset)] += count;
  total += count;
}

void Quantile::Store::remove(std::int32_t index) {
  if (index < floor) index = floor;
  const std::int64_t k = std::int64_t{index} - offset;
  // Reverting a value that was never added is a programmer error; check rather than corrupt.
  SL_CHECK(k >= 0 && k < static_cast<std::int64_t>(counts.size()) &&
           counts[static_cast<std::size_t>(k)] > 0);
  --counts[static_cast<std::size_t>(k)];
  if (--total == 0) clear();
}

void Quantile::Store::merge(const Store& other, std::uint32_t max_num_buckets) {
  if (other.total == 0) return;
  for (std::size_t k = 0; k < other.counts.size(); ++k) {
    if (other.counts[k] > 0)
      add(other.offset + static_cast<std::int32_t>(k), other.counts[k], max_num_buckets);
  }
  // The values in other's floor bucket may come from below it: a later revert of one of them
  // must find it in the same bucket here, so this store's floor rises to other's.
  if (other.floor != kNoFloor && other.counts[0] > 0 && floor < other.floor)
    fold_below(other.floor);
}

void Quantile::Store::fold_below(std::int32_t index) {
  const std::size_t k = static_cast<std::size_t>(std::int64_t{index} - offset);
  SL_CHECK(k < counts.size());
  std::uint64_t folded = 0;
  for (std::size_t i = 0; i < k; ++i) folded += counts[i];
  counts.erase(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(k));
  counts[0] += folded;
  offset = index;
  floor = index;
}

void Quantile::Store::clear() {
  counts.clear();
  offset = 0;
  floor = kNoFloor;
  total = 0;
}

void Quantile::Store::save(core::StateWriter& out) const {
  out.write(offset);
  out.write(floor);
  out.write(total);
  out.write_vector(counts);
}

bool Quantile::Store::load(core::StateReader& in, std::uint32_t max_num_buckets) {
  if (!in.read(offset) || !in.read(floor) || !in.read(total) || !in.read_vector(counts))
    return false;
  std::uint64_t sum = 0;
  bool valid = counts.size() <= max_num_buckets && offset >= -kMaxIndex &&
               std::int64_t{offset} + static_cast<std::int64_t>(counts.size()) <= kMaxIndex &&
               (floor == kNoFloor || floor == offset) && (total == 0) == counts.empty();
  for (std::size_t k = 0; valid && k < counts.size(); ++k) {
    valid = counts[k] <= total - sum;
    sum += counts[k];
  }
  if (valid && sum == total) return true;
  return in.fail();
}

void Quantile::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(params_.alpha);
  out.write(params_.max_num_buckets);
  out.write(zero_count_);
  negative_.save(out);
  positive_.save(out);
}

core::Status Quantile::load(core::StateReader& in) {
  double alpha = 0.0;
  std::uint32_t max_num_buckets = 0;
  if (!in.expect_version(kStateVersion) || !in.read(alpha) || !in.read(max_num_buckets))
    return in.status("Quantile");
  if (alpha != params_.alpha || max_num_buckets != params_.max_num_buckets) {
    in.fail();  // the rest of this state is not read: nothing after it can be either
    return core::Status::error("Quantile: the saved state has " + describe(alpha, max_num_buckets) +
                               " but this aggregate is configured with " +
                               describe(params_.alpha, params_.max_num_buckets));
  }
  Quantile loaded(params_);
  if (in.read(loaded.zero_count_) && loaded.negative_.load(in, max_num_buckets) &&
      loaded.positive_.load(in, max_num_buckets)) {
    // The three counts must not overflow count().
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    if (loaded.negative_.total <= max - loaded.zero_count_ &&
        loaded.positive_.total <= max - loaded.zero_count_ - loaded.negative_.total) {
      *this = std::move(loaded);
    } else {
      in.fail();
    }
  }
  return in.status("Quantile");
}

}  // namespace streamlearn::stream::aggregates
