#include "monitors/data_drift/categorical_drift_statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "monitors/data_drift/chi_square_distribution.h"

namespace streamlearn::monitors {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Evidently's get_binned_data(feel_zeroes=True): the percent that replaces zeros on one side.
double zero_replacement(const std::vector<double>& percents) {
  double smallest = kInfinity;
  for (double percent : percents)
    if (percent != 0.0) smallest = std::min(smallest, percent);
  return smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
}

std::vector<double> percents_of(const std::vector<std::uint64_t>& counts, std::uint64_t total) {
  std::vector<double> percents(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i)
    percents[i] = static_cast<double>(counts[i]) / static_cast<double>(total);
  return percents;
}

// scipy.special.rel_entr(x, y) for x >= 0, y > 0 or x = y = 0.
double relative_entropy_term(double x, double y) { return x > 0.0 ? x * std::log(x / y) : 0.0; }

}  // namespace

core::Result<CategoricalDriftStatistics> CategoricalDriftStatistics::compare(
    const CategoricalHistogram& reference, const CategoricalHistogram& current) {
  SL_RETURN_IF_ERROR(reference.check_aligned(current));
  CategoricalDriftStatistics statistics;
  auto add_category = [&statistics](std::uint64_t reference_count, std::uint64_t current_count) {
    if (reference_count == 0 && current_count == 0) return;
    statistics.reference_counts_.push_back(reference_count);
    statistics.current_counts_.push_back(current_count);
  };
  // Aligned: a category tracked on one side only has count 0 on the other, which count() gives.
  const auto& reference_categories = reference.categories();
  for (std::size_t i = 0; i < reference_categories.size(); ++i)
    add_category(reference.counts()[i], current.count(reference_categories[i]));
  const auto& current_categories = current.categories();
  for (std::size_t i = 0; i < current_categories.size(); ++i)
    if (!reference.tracks(current_categories[i])) add_category(0, current.counts()[i]);
  add_category(reference.overflow_count(), current.overflow_count());
  statistics.reference_total_ = reference.total();
  statistics.current_total_ = current.total();
  return statistics;
}

std::size_t CategoricalDriftStatistics::degrees_of_freedom() const {
  return reference_counts_.empty() ? 0 : reference_counts_.size() - 1;
}

double CategoricalDriftStatistics::chi_square_statistic() const {
  if (!has_data()) return kNaN;
  // Evidently: k_norm = len(current) / len(reference); f_exp = reference count * k_norm.
  const double scale = static_cast<double>(current_total_) / static_cast<double>(reference_total_);
  double statistic = 0.0;
  for (std::size_t i = 0; i < reference_counts_.size(); ++i) {
    const double expected = static_cast<double>(reference_counts_[i]) * scale;
    if (expected == 0.0) return kInfinity;  // a new category: (c - 0)^2 / 0 with c > 0
    const double difference = static_cast<double>(current_counts_[i]) - expected;
    statistic += difference * difference / expected;
  }
  return statistic;
}

double CategoricalDriftStatistics::chi_square_p_value() const {
  if (!has_data()) return kNaN;
  if (degrees_of_freedom() == 0) return 1.0;
  return ChiSquareDistribution::survival(static_cast<double>(degrees_of_freedom()),
                                         chi_square_statistic());
}

double CategoricalDriftStatistics::psi() const {
  if (!has_data()) return kNaN;
  std::vector<double> reference_percents = percents_of(reference_counts_, reference_total_);
  std::vector<double> current_percents = percents_of(current_counts_, current_total_);
  for (std::vector<double>* percents : {&reference_percents, &current_percents}) {
    const double replacement = zero_replacement(*percents);
    std::replace(percents->begin(), percents->end(), 0.0, replacement);
  }
  double psi = 0.0;
  for (std::size_t i = 0; i < reference_percents.size(); ++i)
    psi += (reference_percents[i] - current_percents[i]) *
           std::log(reference_percents[i] / current_percents[i]);
  return psi;
}

double CategoricalDriftStatistics::jensen_shannon_divergence() const {
  std::vector<double> reference_percents = percents_of(reference_counts_, reference_total_);
  std::vector<double> current_percents = percents_of(current_counts_, current_total_);
  // SciPy renormalises both vectors to sum 1 before taking the divergence.
  for (std::vector<double>* percents : {&reference_percents, &current_percents}) {
    double sum = 0.0;
    for (double percent : *percents) sum += percent;
    for (double& percent : *percents) percent /= sum;
  }
  double left = 0.0;
  double right = 0.0;
  for (std::size_t i = 0; i < reference_percents.size(); ++i) {
    const double middle = (reference_percents[i] + current_percents[i]) / 2.0;
    left += relative_entropy_term(reference_percents[i], middle);
    right += relative_entropy_term(current_percents[i], middle);
  }
  return left + right;
}

double CategoricalDriftStatistics::jensen_shannon_distance() const {
  if (!has_data()) return kNaN;
  return std::sqrt(std::max(jensen_shannon_divergence(), 0.0) / 2.0);
}

double CategoricalDriftStatistics::jensen_shannon_distance(double log_base) const {
  if (!has_data()) return kNaN;
  return std::sqrt(std::max(jensen_shannon_divergence() / std::log(log_base), 0.0) / 2.0);
}

}  // namespace streamlearn::monitors
