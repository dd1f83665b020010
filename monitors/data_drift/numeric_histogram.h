#pragma once

/// NumericHistogram: the bounded-memory summary of one numeric feature over a window that the
/// data-drift statistics (NumericDriftStatistics) compare. Its bin edges are fixed once, from a
/// reference sample: the reference quantiles at j / num_bins for j = 1 .. num_bins - 1 (NumPy's
/// default 'linear' interpolation), deduplicated, so that ties give fewer, not empty, bins. The
/// outer bins are open, (-inf, e_0) and [e_last, +inf), so every later value has a bin; bin i is
/// [e_{i-1}, e_i) (NumPy's searchsorted side='right'). Each bin keeps its count and the sum of its
/// values' offsets from the bin's finite edge (the lower edge; e_0 for the lowest bin), which lets
/// NumericDriftStatistics integrate the empirical CDF over each bin exactly, open bins included.
/// The histogram also keeps the summary of the sample it was built from (count, mean, population
/// standard deviation as np.std, min, max); add / remove / merge do not change that summary.
///
/// Non-finite values are not binned: add and remove return false for NaN and +-inf and change
/// nothing, so that the caller counts them as rejects (they would poison the sums).
///
/// add / remove (River's update / revert, for sliding windows) and merge serve the generic window
/// wrapper. remove of a value whose bin is empty is a programmer error. A long add / remove
/// sequence can leave a rounding residue in a bin's offset sum (reset to 0 whenever the bin
/// empties); counts are exact.
///
/// Cost: from_reference O(n log n) (a sort of a copy); add / remove O(log bins), no allocation;
/// merge O(bins). Memory O(bins): edges, counts and offset sums, independent of stream length.
/// Not thread-safe.
///
/// Example:
///   NumericHistogram reference = NumericHistogram::from_reference(reference_values, 30);
///   NumericHistogram current = reference.empty_copy();
///   for (double x : stream) current.add(x);
///   NumericDriftStatistics drift(reference, current);  // drift.psi(), drift.ks_p_value() ...

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::monitors {

class NumericHistogram {
 public:
  /// Evidently's n_bins default for PSI and Jensen-Shannon.
  static constexpr std::size_t kDefaultNumBins = 30;

  /// The finite values of the sample the edges were built from.
  struct ReferenceSummary {
    std::int64_t count = 0;
    double mean = 0.0;
    /// Population standard deviation (ddof = 0, as np.std, which Evidently normalizes by).
    double standard_deviation = 0.0;
    /// min and max are 0 for an empty sample.
    double min = 0.0;
    double max = 0.0;
  };

  /// Edges at the reference quantiles as described above, counts of the reference's finite values.
  /// num_bins >= 2. A reference without a finite value gives no edges: a single bin, on which
  /// NumericDriftStatistics returns NaN.
  static NumericHistogram from_reference(std::span<const double> reference,
                                         std::size_t num_bins = kDefaultNumBins);

  /// No edges (a single bin) and no counts: something to load() into.
  NumericHistogram() : counts_(1, 0), offset_sums_(1, 0.0) {}

  /// The same edges and reference summary, no counts: the histogram of a current window.
  NumericHistogram empty_copy() const;

  /// Counts a finite value; false (and nothing changes) for NaN or +-inf.
  bool add(double x);
  /// Reverts add(x) of a finite value; false for NaN or +-inf. The value's bin must be non-empty.
  bool remove(double x);
  /// Adds the counts of `other`, which must have the same edges.
  void merge(const NumericHistogram& other);
  /// Drops all counts; the edges and the reference summary stay.
  void clear();

  /// The bin of a non-NaN value: the number of edges <= x.
  std::size_t bin_index(double x) const;
  std::size_t num_bins() const { return counts_.size(); }
  /// Strictly increasing, finite; num_bins() - 1 of them.
  const std::vector<double>& edges() const { return edges_; }
  const std::vector<std::int64_t>& counts() const { return counts_; }
  /// Per bin, the sum of (x - anchor) over its values, the anchor being the bin's lower edge
  /// (e_0 for the lowest bin, whose offsets are negative).
  const std::vector<double>& offset_sums() const { return offset_sums_; }
  std::int64_t total() const { return total_; }
  const ReferenceSummary& reference_summary() const { return summary_; }
  bool same_edges(const NumericHistogram& other) const { return edges_ == other.edges_; }

  void save(core::StateWriter& out) const;
  /// Replaces this histogram (edges included) by the saved one.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  double anchor(std::size_t bin) const;

  std::vector<double> edges_;
  std::vector<std::int64_t> counts_;
  std::vector<double> offset_sums_;
  std::int64_t total_ = 0;
  ReferenceSummary summary_;
};

}  // namespace streamlearn::monitors
