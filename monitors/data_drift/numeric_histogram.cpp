#include "monitors/data_drift/numeric_histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

// np.quantile(sorted_values, probability) with the default 'linear' method.
double linear_quantile(const std::vector<double>& sorted_values, double probability) {
  const double position = probability * static_cast<double>(sorted_values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted_values.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted_values[below] + fraction * (sorted_values[above] - sorted_values[below]);
}

}  // namespace

NumericHistogram NumericHistogram::from_reference(std::span<const double> reference,
                                                  std::size_t num_bins) {
  SL_CHECK_LE(std::size_t{2}, num_bins);
  std::vector<double> sorted_values;
  sorted_values.reserve(reference.size());
  for (double x : reference)
    if (std::isfinite(x)) sorted_values.push_back(x);
  std::sort(sorted_values.begin(), sorted_values.end());

  NumericHistogram histogram;
  if (!sorted_values.empty()) {
    for (std::size_t j = 1; j < num_bins; ++j)
      histogram.edges_.push_back(
          linear_quantile(sorted_values, static_cast<double>(j) / static_cast<double>(num_bins)));
    // Interpolation is monotone, so equal neighbours are the only duplicates.
    histogram.edges_.erase(std::unique(histogram.edges_.begin(), histogram.edges_.end()),
                           histogram.edges_.end());

    ReferenceSummary& summary = histogram.summary_;
    summary.count = static_cast<std::int64_t>(sorted_values.size());
    summary.min = sorted_values.front();
    summary.max = sorted_values.back();
    // Two passes, as np.mean / np.std, rather than a running formula.
    double sum = 0.0;
    for (double x : sorted_values) sum += x;
    summary.mean = sum / static_cast<double>(summary.count);
    double sum_of_squares = 0.0;
    for (double x : sorted_values) sum_of_squares += (x - summary.mean) * (x - summary.mean);
    summary.standard_deviation = std::sqrt(sum_of_squares / static_cast<double>(summary.count));
  }
  histogram.counts_.assign(histogram.edges_.size() + 1, 0);
  histogram.offset_sums_.assign(histogram.edges_.size() + 1, 0.0);
  for (double x : sorted_values) histogram.add(x);
  return histogram;
}

NumericHistogram NumericHistogram::empty_copy() const {
  NumericHistogram copy = *this;
  copy.clear();
  return copy;
}

double NumericHistogram::anchor(std::size_t bin) const {
  if (edges_.empty()) return 0.0;
  return bin == 0 ? edges_.front() : edges_[bin - 1];
}

std::size_t NumericHistogram::bin_index(double x) const {
  // std::upper_bound without branches on the data (Khuong and Morin, "Array layouts for
  // comparison-based searching", 2017): the halving compiles to conditional moves, where the
  // branchy search mispredicts about every other step on a monitored feature's values.
  if (edges_.empty()) return 0;
  const double* base = edges_.data();
  std::size_t length = edges_.size();
  while (length > 1) {
    const std::size_t half = length / 2;
    base = base[half] <= x ? base + half : base;
    length -= half;
  }
  return static_cast<std::size_t>(base - edges_.data()) + (*base <= x ? 1 : 0);
}

bool NumericHistogram::add(double x) {
  if (!std::isfinite(x)) return false;
  const std::size_t bin = bin_index(x);
  ++counts_[bin];
  offset_sums_[bin] += x - anchor(bin);
  ++total_;
  return true;
}

bool NumericHistogram::remove(double x) {
  if (!std::isfinite(x)) return false;
  const std::size_t bin = bin_index(x);
  SL_CHECK_LT(std::int64_t{0}, counts_[bin]);
  --counts_[bin];
  // An empty bin sums to exactly 0: drop whatever rounding the add / remove sequence left.
  offset_sums_[bin] = counts_[bin] == 0 ? 0.0 : offset_sums_[bin] - (x - anchor(bin));
  --total_;
  return true;
}

void NumericHistogram::merge(const NumericHistogram& other) {
  SL_CHECK(same_edges(other));
  for (std::size_t bin = 0; bin < counts_.size(); ++bin) {
    counts_[bin] += other.counts_[bin];
    offset_sums_[bin] += other.offset_sums_[bin];
  }
  total_ += other.total_;
}

void NumericHistogram::clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  std::fill(offset_sums_.begin(), offset_sums_.end(), 0.0);
  total_ = 0;
}

void NumericHistogram::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write_vector(edges_);
  out.write_vector(counts_);
  out.write_vector(offset_sums_);
  out.write(total_);
  out.write(summary_.count);
  out.write(summary_.mean);
  out.write(summary_.standard_deviation);
  out.write(summary_.min);
  out.write(summary_.max);
}

core::Status NumericHistogram::load(core::StateReader& in) {
  NumericHistogram saved;
  ReferenceSummary& summary = saved.summary_;
  if (in.expect_version(kStateVersion) && in.read_vector(saved.edges_) &&
      in.read_vector(saved.counts_) && in.read_vector(saved.offset_sums_) &&
      in.read(saved.total_) && in.read(summary.count) && in.read(summary.mean) &&
      in.read(summary.standard_deviation) && in.read(summary.min) && in.read(summary.max)) {
    bool valid = saved.counts_.size() == saved.edges_.size() + 1 &&
                 saved.offset_sums_.size() == saved.counts_.size() && summary.count >= 0;
    for (std::size_t i = 0; valid && i < saved.edges_.size(); ++i)
      valid = std::isfinite(saved.edges_[i]) && (i == 0 || saved.edges_[i - 1] < saved.edges_[i]);
    std::int64_t total = 0;
    for (std::size_t bin = 0; valid && bin < saved.counts_.size(); ++bin) {
      valid = saved.counts_[bin] >= 0 &&
              saved.counts_[bin] <= std::numeric_limits<std::int64_t>::max() - total &&
              std::isfinite(saved.offset_sums_[bin]);
      total += saved.counts_[bin];
    }
    if (valid && total == saved.total_) {
      *this = std::move(saved);
    } else {
      in.fail();
    }
  }
  return in.status("NumericHistogram");
}

}  // namespace streamlearn::monitors
