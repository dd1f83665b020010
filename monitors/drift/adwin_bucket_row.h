#pragma once

/// AdwinBucketRow: one row of ADWIN's exponential histogram, i.e. the buckets that all summarize
/// the same number of consecutive values (2^row of them). Each bucket keeps the sum of its values
/// and the sum of squared deviations from their mean. Buckets are ordered oldest first: push()
/// appends the newest, drop_oldest() removes from the front, as River's Cython `Bucket` does.
/// Storage is allocated once, at construction, for `capacity` buckets (River: max_buckets + 1);
/// nothing allocates afterwards. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/check.h"
#include "core/state_io.h"

namespace streamlearn::monitors {

class AdwinBucketRow {
 public:
  explicit AdwinBucketRow(std::size_t capacity) : totals_(capacity), variances_(capacity) {}

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t capacity() const { return totals_.size(); }

  /// Sum of the values in bucket `index` (0 = oldest).
  double total(std::size_t index) const { return totals_[index]; }
  /// Sum of squared deviations from the bucket's mean, for bucket `index` (0 = oldest).
  double variance(std::size_t index) const { return variances_[index]; }

  void push(double total, double variance) {
    SL_DCHECK_LT(size_, capacity());
    totals_[size_] = total;
    variances_[size_] = variance;
    ++size_;
  }

  /// Removes the `count` oldest buckets. At most capacity() buckets move, a handful in practice.
  void drop_oldest(std::size_t count) {
    SL_DCHECK(count <= size_);
    for (std::size_t i = count; i < size_; ++i) {
      totals_[i - count] = totals_[i];
      variances_[i - count] = variances_[i];
    }
    size_ -= count;
  }

  void clear() { size_ = 0; }

  void save(core::StateWriter& out) const {
    out.write<std::uint64_t>(size_);
    for (std::size_t i = 0; i < size_; ++i) {
      out.write(totals_[i]);
      out.write(variances_[i]);
    }
  }

  /// Reads what save() wrote; fails the reader if it holds more buckets than fit.
  bool load(core::StateReader& in) {
    std::uint64_t size = 0;
    if (!in.read(size)) return false;
    if (size > capacity()) return in.fail();
    for (std::size_t i = 0; i < size; ++i)
      if (!in.read(totals_[i]) || !in.read(variances_[i])) return false;
    size_ = size;
    return true;
  }

 private:
  std::vector<double> totals_;
  std::vector<double> variances_;
  std::size_t size_ = 0;
};

}  // namespace streamlearn::monitors
