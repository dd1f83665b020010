#include "learners/tree/hoeffding_leaf.h"

#include <cmath>
#include <utility>

namespace streamlearn::learners::tree {
namespace {

// Python's max(d, key=d.get): the first position holding the largest value.
std::size_t first_argmax(const std::vector<double>& values) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i] > values[best]) best = i;
  return best;
}

}  // namespace

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
                                     const std::vector<double>& naive_bayes_votes) {
  const auto& entries = stats_.entries();
  if (entries.empty()) {
    // An empty leaf: River assumes the majority class would have been right.
    majority_class_correct_weight_ += weight;
  } else {
    // The first class of highest normalized weight, as majority_class() would give it.
    const double total = stats_.total();
    const bool normalize = total != 0.0 && !std::isnan(total);
    std::size_t best = 0;
    double best_value = normalize ? entries[0].weight / total : entries[0].weight;
    for (std::size_t i = 1; i < entries.size(); ++i) {
      const double value = normalize ? entries[i].weight / total : entries[i].weight;
      if (value > best_value) {
        best = i;
        best_value = value;
      }
    }
    if (entries[best].id == label) majority_class_correct_weight_ += weight;
  }
  if (!naive_bayes_votes.empty() && entries[first_argmax(naive_bayes_votes)].id == label)
    naive_bayes_correct_weight_ += weight;
}

void HoeffdingLeaf::learn(const core::FeatureVector& x, core::ClassId label, double weight) {
  stats_[label] += weight;
  if (!active_) return;

  auto splitter_for = [this](core::FeatureId feature, bool nominal) -> SplitterRef* {
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
      position = static_cast<std::int32_t>(splitters_.size());
      splitters_.push_back({feature, nominal, index});
    }
    SplitterRef& splitter = splitters_[static_cast<std::size_t>(position)];
    // A feature that changes kind keeps the observer of its first kind.
    return splitter.nominal == nominal ? &splitter : nullptr;
  };

  for (const core::NumericFeature& feature : x.numeric())
    if (SplitterRef* splitter = splitter_for(feature.id, false))
      gaussian_[splitter->index].update(feature.value, label, weight);
  for (const core::CategoricalFeature& feature : x.categorical())
    if (SplitterRef* splitter = splitter_for(feature.id, true))
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

bool HoeffdingLeaf::naive_bayes(const FeatureLookup& x, std::vector<double>& votes) {
  votes.clear();
  const auto& entries = stats_.entries();
  const double total = stats_.total();
  if (entries.empty() || total == 0.0) return false;

  votes.resize(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ClassWeights::Entry& entry = entries[i];
    if (!(entry.weight > 0)) {
      // River's quirk, kept for parity: a class known here with no weight gets log-vote 0, i.e. a
      // likelihood of 1 before normalization.
      votes[i] = 0.0;
      continue;
    }
    double vote = std::log(entry.weight / total);
    for (const SplitterRef& splitter : splitters_) {
      double likelihood = 0.0;
      if (splitter.nominal) {
        const core::SymbolId* value = x.categorical(splitter.feature);
        if (value == nullptr) continue;
        likelihood = nominal_[splitter.index].conditional_probability(*value, entry.id);
      } else {
        const double* value = x.numeric(splitter.feature);
        if (value == nullptr) continue;
        likelihood = gaussian_[splitter.index].conditional_probability(*value, entry.id);
      }
      vote += likelihood > 0 ? std::log(likelihood) : 0.0;
    }
    votes[i] = vote;
  }
  // The log-sum-exp trick, in River's order of operations.
  double max_log_likelihood = votes[0];
  for (double vote : votes)
    if (vote > max_log_likelihood) max_log_likelihood = vote;
  double sum = 0.0;
  for (double vote : votes) sum += std::exp(vote - max_log_likelihood);
  const double log_sum_exp = max_log_likelihood + std::log(sum);
  for (double& vote : votes) vote = std::exp(vote - log_sum_exp);
  return true;
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
