#include "learners/tree/hoeffding_leaf.h"

#include <cmath>
#include <limits>
#include <utility>

namespace streamlearn::learners::tree {
namespace {

// A -2 variance no look-up passes: the DensityTerms must be recomputed.
constexpr double kStale = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::size_t HoeffdingLeaf::first_argmax(const std::vector<double>& values) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i] > values[best]) best = i;
  return best;
}

HoeffdingLeaf::HoeffdingLeaf(ClassWeights initial_stats, std::uint32_t depth)
    : stats_(std::move(initial_stats)), depth_(depth) {
  // River starts counting the grace period from the weight a leaf is born with.
  last_split_attempt_at_ = stats_.total();
}

void HoeffdingLeaf::clear_splitters() {
  // Assigning empty vectors (rather than clear()) gives the memory back: inactive leaves are the
  // way a tree saves memory.
  splitters_ = {};
  gaussian_ = {};
  nominal_ = {};
  forget_splitter_caches();
  density_terms_.shrink_to_fit();
  for (std::int32_t& position : splitter_by_feature_)
    if (position != kDisabled) position = kNoSplitter;
}

void HoeffdingLeaf::deactivate() {
  active_ = false;
  clear_splitters();
}

void HoeffdingLeaf::activate() {
  if (active_) return;
  active_ = true;
  clear_splitters();
}

void HoeffdingLeaf::score_predictors(core::ClassId label, double weight,
                                     std::size_t naive_bayes_choice) {
  const ClassWeights::Entry* entries = stats_.entries().data();
  const std::size_t num_classes = stats_.size();
  if (num_classes == 0) {
    // An empty leaf: River assumes the majority class would have been right.
    majority_class_correct_weight_ += weight;
    return;
  }
  // The first class of highest normalized weight, as majority_class() would give it.
  const double total = stats_.total();
  std::size_t best = 0;
  if (total != 0.0 && !std::isnan(total)) {
    double best_value = entries[0].weight / total;
    for (std::size_t i = 1; i < num_classes; ++i) {
      const double value = entries[i].weight / total;
      if (value > best_value) {
        best = i;
        best_value = value;
      }
    }
  } else {
    for (std::size_t i = 1; i < num_classes; ++i)
      if (entries[i].weight > entries[best].weight) best = i;
  }
  if (entries[best].id == label) majority_class_correct_weight_ += weight;
  if (naive_bayes_choice != kNoChoice && entries[naive_bayes_choice].id == label)
    naive_bayes_correct_weight_ += weight;
}

HoeffdingLeaf::SplitterRef* HoeffdingLeaf::add_splitter(core::FeatureId feature, bool nominal) {
  if (feature >= splitter_by_feature_.size())
    splitter_by_feature_.resize(static_cast<std::size_t>(feature) + 1, kNoSplitter);
  std::int32_t& position = splitter_by_feature_[feature];
  if (position == kDisabled) return nullptr;
  if (position == kNoSplitter) {
    const auto index = static_cast<std::uint32_t>(nominal ? nominal_.size() : gaussian_.size());
    if (nominal) {
      nominal_.emplace_back();
    } else {
      gaussian_.emplace_back();
    }
    forget_splitter_caches();  // a row short, or no longer aligned
    position = static_cast<std::int32_t>(splitters_.size());
    splitters_.push_back({feature, nominal, index});
  }
  SplitterRef& splitter = splitters_[static_cast<std::size_t>(position)];
  // A feature that changes kind keeps the observer of its first kind.
  return splitter.nominal == nominal ? &splitter : nullptr;
}

void HoeffdingLeaf::learn(const core::FeatureVector& x, const FeatureLookup& lookup,
                          core::ClassId label, double weight) {
  const std::size_t position = stats_.add(label, weight);
  if (!active_) return;

  // Once naive Bayes has run here, each update also brings the class's terms up to date.
  if (aligned_with(x, lookup)) {
    // All splitters numeric: splitters_[k] is gaussian_[k], row k of the table.
    const core::NumericFeature* numeric = x.numeric().data();
    const std::size_t num_features = x.numeric().size();
    GaussianSplitter* gaussian = gaussian_.data();
    if (position < density_classes_ && density_rows_ == num_features) {
      GaussianSplitter::DensityTerms* terms = density_terms_.data() + position * density_rows_;
      for (std::size_t k = 0; k < num_features; ++k)
        gaussian[k].update(numeric[k].value, label, weight, &terms[k]);
    } else {
      for (std::size_t k = 0; k < num_features; ++k)
        gaussian[k].update(numeric[k].value, label, weight);
    }
    return;
  }
  for (const core::NumericFeature& feature : x.numeric()) {
    // The splitter of a feature seen before is two look-ups away; add_splitter() does the rest.
    const SplitterRef* splitter;
    if (feature.id < splitter_by_feature_.size() && splitter_by_feature_[feature.id] >= 0) {
      splitter = &splitters_[static_cast<std::size_t>(splitter_by_feature_[feature.id])];
      if (splitter->nominal) continue;  // a feature that changes kind keeps its first observer
    } else {
      splitter = add_splitter(feature.id, false);
      if (splitter == nullptr) continue;
    }
    gaussian_[splitter->index].update(feature.value, label, weight,
                                      density_terms(splitter->index, position));
  }
  for (const core::CategoricalFeature& feature : x.categorical())
    if (const SplitterRef* splitter = add_splitter(feature.id, true))
      nominal_[splitter->index].update(feature.value, label, weight);
}

void HoeffdingLeaf::majority_class(std::vector<double>& probabilities) const {
  const auto& entries = stats_.entries();
  probabilities.resize(entries.size());
  const double total = stats_.total();
  // River's normalize_values_in_dict returns the weights unchanged when they sum to 0.
  const bool normalize = total != 0.0 && !std::isnan(total);
  for (std::size_t i = 0; i < entries.size(); ++i)
    probabilities[i] = normalize ? entries[i].weight / total : entries[i].weight;
}

void HoeffdingLeaf::reset_density_terms() {
  density_rows_ = gaussian_.size();
  density_classes_ = stats_.size();
  density_terms_.assign(density_rows_ * density_classes_, {0.0, kStale, 0.0});
}

double HoeffdingLeaf::add_log_likelihood_slowly(std::uint32_t row, std::size_t position,
                                                double value, double log_vote) {
  GaussianSplitter::DensityTerms& terms = density_terms_[position * density_rows_ + row];
  const core::ClassId label = stats_.entries()[position].id;
  if (std::isnan(terms.minus_two_variance)) {
    gaussian_[row].density_terms(label, terms);
    const double deviation = value - terms.mean;
    const double exponent = (deviation * deviation) / terms.minus_two_variance;
    const double log_density = exponent - terms.log_normalizer;
    if (exponent > GaussianSplitter::kMinLogDensity &&
        log_density > GaussianSplitter::kMinLogDensity)
      return log_vote + log_density;
  }
  // Near or past underflow (or NaN): River's own arithmetic decides whether anything is added.
  gaussian_[row].add_exact_log_likelihood(label, value, log_vote);
  return log_vote;
}

bool HoeffdingLeaf::naive_bayes_log_votes(const core::FeatureVector& x, const FeatureLookup& lookup,
                                          std::vector<double>& votes) {
  const auto& entries = stats_.entries();
  const std::size_t num_classes = entries.size();
  const double total = stats_.total();
  if (num_classes == 0 || total == 0.0) {
    votes.clear();
    return false;
  }

  votes.resize(num_classes);
  double* const vote = votes.data();
  bool all_positive = true;
  for (std::size_t i = 0; i < num_classes; ++i) {
    if (entries[i].weight > 0) {
      vote[i] = std::log(entries[i].weight / total);
    } else {
      vote[i] = 0.0;
      all_positive = false;
    }
  }
  if (density_rows_ != gaussian_.size() || density_classes_ != num_classes) reset_density_terms();

  if (aligned_with(x, lookup)) {
    // Every splitter numeric and x's values in splitter order: a class at a time, its vote in a
    // register. Each vote still adds its terms in splitter order.
    const core::NumericFeature* numeric = x.numeric().data();
    const std::size_t num_rows = density_rows_;
    for (std::size_t i = 0; i < num_classes; ++i) {
      const GaussianSplitter::DensityTerms* terms = density_terms_.data() + i * num_rows;
      double class_vote = vote[i];
      for (std::size_t k = 0; k < num_rows; ++k) {
        const double deviation = numeric[k].value - terms[k].mean;
        const double exponent = (deviation * deviation) / terms[k].minus_two_variance;
        const double log_density = exponent - terms[k].log_normalizer;
        if (exponent > GaussianSplitter::kMinLogDensity &&
            log_density > GaussianSplitter::kMinLogDensity) {
          class_vote += log_density;
        } else {
          class_vote = add_log_likelihood_slowly(static_cast<std::uint32_t>(k), i, numeric[k].value,
                                                 class_vote);
        }
      }
      vote[i] = class_vote;
    }
  } else {
    // River loops over classes, then splitters; this loops over splitters, then classes, which
    // adds the same terms to each vote in the same order and finds each feature's value once.
    for (const SplitterRef& splitter : splitters_) {
      if (!splitter.nominal) {
        const double* found = lookup.numeric(splitter.feature);
        if (found == nullptr) continue;
        const double value = *found;
        for (std::size_t i = 0; i < num_classes; ++i) {
          const GaussianSplitter::DensityTerms& terms =
              density_terms_[i * density_rows_ + splitter.index];
          const double deviation = value - terms.mean;
          const double exponent = (deviation * deviation) / terms.minus_two_variance;
          const double log_density = exponent - terms.log_normalizer;
          if (exponent > GaussianSplitter::kMinLogDensity &&
              log_density > GaussianSplitter::kMinLogDensity) {
            vote[i] += log_density;
          } else {
            vote[i] = add_log_likelihood_slowly(splitter.index, i, value, vote[i]);
          }
        }
        continue;
      }
      const core::SymbolId* value = lookup.categorical(splitter.feature);
      if (value == nullptr) continue;
      NominalSplitter& nominal = nominal_[splitter.index];
      for (std::size_t i = 0; i < num_classes; ++i) {
        if (!(entries[i].weight > 0)) continue;  // River asks nothing about them (see below)
        const double likelihood = nominal.conditional_probability(*value, entries[i].id);
        if (likelihood > 0) vote[i] += std::log(likelihood);
      }
    }
  }
  if (!all_positive) {
    // River's quirk, kept for parity: a class known here with no weight gets log-vote 0, i.e. a
    // likelihood of 1 before normalization. The numeric terms added above are dropped; no
    // nominal splitter was asked about it (asking inserts a zero count).
    for (std::size_t i = 0; i < num_classes; ++i)
      if (!(entries[i].weight > 0)) vote[i] = 0.0;
  }
  return true;
}

bool HoeffdingLeaf::naive_bayes(const core::FeatureVector& x, const FeatureLookup& lookup,
                                std::vector<double>& votes) {
  if (!naive_bayes_log_votes(x, lookup, votes)) return false;
  naive_bayes_normalize(votes);
  return true;
}

void HoeffdingLeaf::naive_bayes_normalize(std::vector<double>& votes) {
  const std::size_t num_classes = votes.size();
  double* const vote = votes.data();
  // The log-sum-exp trick, in River's order of operations. exp(0) is exactly 1, so the largest
  // vote needs no exp.
  double max_log_likelihood = vote[0];
  for (std::size_t i = 1; i < num_classes; ++i)
    if (vote[i] > max_log_likelihood) max_log_likelihood = vote[i];
  double sum = 0.0;
  for (std::size_t i = 0; i < num_classes; ++i) {
    const double shifted = vote[i] - max_log_likelihood;
    sum += shifted == 0.0 ? 1.0 : std::exp(shifted);
  }
  const double log_sum_exp = max_log_likelihood + std::log(sum);
  for (std::size_t i = 0; i < num_classes; ++i) vote[i] = std::exp(vote[i] - log_sum_exp);
}

std::size_t HoeffdingLeaf::naive_bayes_choice(const core::FeatureVector& x,
                                              const FeatureLookup& lookup,
                                              std::vector<double>& scratch) {
  if (!naive_bayes_log_votes(x, lookup, scratch)) return kNoChoice;
  // The probabilities are exp(vote - log_sum_exp), increasing in the vote. A vote ahead of every
  // other by more than this margin (a million times the rounding of the subtractions, which
  // scales with the magnitudes) keeps a strictly larger probability, and exp(vote - lse) of the
  // largest vote is at least about 1 / classes, far from underflow. Anything closer (or NaN) is
  // settled by the probabilities themselves.
  constexpr double kRelativeMargin = 1e-9;
  const std::size_t best = first_argmax(scratch);
  const double best_vote = scratch[best];
  for (std::size_t i = 0; i < scratch.size(); ++i) {
    if (i == best) continue;
    const double margin = kRelativeMargin * (1.0 + std::fabs(best_vote) + std::fabs(scratch[i]));
    if (!(best_vote - scratch[i] > margin)) {
      naive_bayes_normalize(scratch);
      return first_argmax(scratch);
    }
  }
  return best;
}

bool HoeffdingLeaf::is_pure() const {
  int non_zero = 0;
  for (const ClassWeights::Entry& entry : stats_.entries())
    if (entry.weight != 0 && ++non_zero == 2) return false;
  return true;
}

void HoeffdingLeaf::best_split_suggestions(const SplitCriterion& criterion, bool merit_preprune,
                                           bool binary_split, double max_share_to_split,
                                           std::vector<SplitSuggestion>& out) const {
  out.clear();
  double majority = 0.0;
  bool first = true;
  for (const ClassWeights::Entry& entry : stats_.entries()) {
    if (first || entry.weight > majority) majority = entry.weight;
    first = false;
  }
  // Only the null split (which deactivates the leaf) when one class dominates.
  if (majority != 0.0 && majority / total_weight() > max_share_to_split) {
    out.emplace_back();
    return;
  }
  if (merit_preprune) out.emplace_back();
  for (const SplitterRef& splitter : splitters_) {
    if (splitter.nominal) {
      out.push_back(
          nominal_[splitter.index].best_split(criterion, stats_, splitter.feature, binary_split));
    } else {
      out.push_back(gaussian_[splitter.index].best_split(criterion, stats_, splitter.feature));
    }
  }
}

void HoeffdingLeaf::disable_feature(core::FeatureId feature) {
  if (feature >= splitter_by_feature_.size()) return;
  const std::int32_t position = splitter_by_feature_[feature];
  if (position < 0) return;  // River only disables features it observes
  const SplitterRef removed = splitters_[static_cast<std::size_t>(position)];
  if (removed.nominal) {
    nominal_.erase(nominal_.begin() + removed.index);
  } else {
    gaussian_.erase(gaussian_.begin() + removed.index);
  }
  forget_splitter_caches();  // the rows moved
  splitters_.erase(splitters_.begin() + position);
  for (SplitterRef& splitter : splitters_)
    if (splitter.nominal == removed.nominal && splitter.index > removed.index) --splitter.index;
  for (std::size_t i = 0; i < splitters_.size(); ++i)
    splitter_by_feature_[splitters_[i].feature] = static_cast<std::int32_t>(i);
  splitter_by_feature_[feature] = kDisabled;
}

void HoeffdingLeaf::save(core::StateWriter& out) const {
  out.write<std::uint64_t>(stats_.size());
  for (const ClassWeights::Entry& entry : stats_.entries()) {
    out.write(entry.id);
    out.write(entry.weight);
  }
  out.write(depth_);
  out.write<std::uint8_t>(active_ ? 1 : 0);
  out.write(last_split_attempt_at_);
  out.write(majority_class_correct_weight_);
  out.write(naive_bayes_correct_weight_);
  out.write<std::uint64_t>(splitters_.size());
  for (const SplitterRef& splitter : splitters_) {
    out.write(splitter.feature);
    out.write<std::uint8_t>(splitter.nominal ? 1 : 0);
    if (splitter.nominal) {
      nominal_[splitter.index].save(out);
    } else {
      gaussian_[splitter.index].save(out);
    }
  }
  out.write_vector(splitter_by_feature_);
}

bool HoeffdingLeaf::load(core::StateReader& in) {
  *this = HoeffdingLeaf();
  std::uint64_t num_classes = 0;
  if (!in.read(num_classes)) return false;
  for (std::uint64_t i = 0; i < num_classes; ++i) {
    core::ClassId id = 0;
    double weight = 0;
    if (!in.read(id) || !in.read(weight)) return false;
    if (stats_.find(id) != nullptr) return in.fail();
    stats_[id] = weight;
  }
  std::uint8_t active = 0;
  std::uint64_t num_splitters = 0;
  if (!in.read(depth_) || !in.read(active) || !in.read(last_split_attempt_at_) ||
      !in.read(majority_class_correct_weight_) || !in.read(naive_bayes_correct_weight_) ||
      !in.read(num_splitters))
    return false;
  active_ = active != 0;
  for (std::uint64_t i = 0; i < num_splitters; ++i) {
    SplitterRef splitter{};
    std::uint8_t nominal = 0;
    if (!in.read(splitter.feature) || !in.read(nominal)) return false;
    splitter.nominal = nominal != 0;
    if (splitter.nominal) {
      splitter.index = static_cast<std::uint32_t>(nominal_.size());
      if (!nominal_.emplace_back().load(in)) return false;
    } else {
      splitter.index = static_cast<std::uint32_t>(gaussian_.size());
      if (!gaussian_.emplace_back().load(in)) return false;
    }
    splitters_.push_back(splitter);
  }
  if (!in.read_vector(splitter_by_feature_)) return false;
  // Every splitter must be found by its feature, and only there.
  std::size_t referenced = 0;
  for (std::size_t feature = 0; feature < splitter_by_feature_.size(); ++feature) {
    const std::int32_t position = splitter_by_feature_[feature];
    if (position < kDisabled) return in.fail();
    if (position < 0) continue;
    if (static_cast<std::size_t>(position) >= splitters_.size() ||
        splitters_[static_cast<std::size_t>(position)].feature != feature)
      return in.fail();
    ++referenced;
  }
  if (referenced != splitters_.size() || (!active_ && !splitters_.empty())) return in.fail();
  return true;
}

}  // namespace streamlearn::learners::tree
