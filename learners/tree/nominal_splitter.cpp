#include "learners/tree/nominal_splitter.h"

#include <algorithm>

namespace streamlearn::learners::tree {

NominalSplitter::ClassCounts& NominalSplitter::counts_of(core::ClassId label) {
  for (ClassCounts& counts : per_class_)
    if (counts.label == label) return counts;
  per_class_.push_back({label, {}});
  return per_class_.back();
}

double& NominalSplitter::weight_of(ClassCounts& counts, core::SymbolId value) {
  for (ValueWeight& entry : counts.values)
    if (entry.value == value) return entry.weight;
  counts.values.push_back({value, 0.0});
  return counts.values.back().weight;
}

void NominalSplitter::update(core::SymbolId value, core::ClassId label, double weight) {
  auto position = std::lower_bound(observed_values_.begin(), observed_values_.end(), value);
  if (position == observed_values_.end() || *position != value)
    observed_values_.insert(position, value);
  weight_of(counts_of(label), value) += weight;
  total_weight_ += weight;
}

double NominalSplitter::conditional_probability(core::SymbolId value, core::ClassId label) {
  ClassCounts& counts = counts_of(label);
  const double weight = weight_of(counts, value);
  double class_weight = 0.0;
  for (const ValueWeight& entry : counts.values) class_weight += entry.weight;
  if (class_weight == 0.0) return 0.0;  // River catches the ZeroDivisionError
  return weight / class_weight;
}

SplitSuggestion NominalSplitter::best_split(const SplitCriterion& criterion,
                                            const ClassWeights& pre_split, core::FeatureId feature,
                                            bool binary_only) const {
  SplitSuggestion best;
  if (!binary_only) {
    // One child per value with any entry (looked-up values included), in value order; each
    // child's classes in class order, as River's sorted() calls leave them.
    std::vector<core::SymbolId> child_values;
    for (const ClassCounts& counts : per_class_)
      for (const ValueWeight& entry : counts.values) child_values.push_back(entry.value);
    std::sort(child_values.begin(), child_values.end());
    child_values.erase(std::unique(child_values.begin(), child_values.end()), child_values.end());

    std::vector<ClassWeights> post_split(child_values.size());
    for (const ClassCounts& counts : per_class_) {
      for (const ValueWeight& entry : counts.values) {
        const auto child = std::lower_bound(child_values.begin(), child_values.end(), entry.value);
        post_split[static_cast<std::size_t>(child - child_values.begin())][counts.label] +=
            entry.weight;
      }
    }
    for (ClassWeights& child : post_split) {
      auto& entries = child.mutable_entries();
      std::sort(
          entries.begin(), entries.end(),
          [](const ClassWeights::Entry& a, const ClassWeights::Entry& b) { return a.id < b.id; });
    }
    best.merit = criterion.merit_of_split(pre_split, post_split);
    best.kind = SplitSuggestion::Kind::kNominalMultiway;
    best.feature = feature;
    best.values = observed_values_;
    best.children_stats = std::move(post_split);
  }

  std::vector<ClassWeights> post_split(2);
  for (core::SymbolId value : observed_values_) {
    ClassWeights& equal = post_split[0];
    ClassWeights& not_equal = post_split[1];
    equal.clear();
    not_equal.clear();
    for (const ClassCounts& counts : per_class_) {
      for (const ValueWeight& entry : counts.values) {
        if (entry.value == value) {
          equal[counts.label] += entry.weight;
        } else {
          not_equal[counts.label] += entry.weight;
        }
      }
    }
    const double merit = criterion.merit_of_split(pre_split, post_split);
    if (merit > best.merit) {
      best.merit = merit;
      best.kind = SplitSuggestion::Kind::kNominalBinary;
      best.feature = feature;
      best.value = value;
      best.values.clear();
      best.children_stats = post_split;
    }
  }
  return best;
}

void NominalSplitter::save(core::StateWriter& out) const {
  out.write<std::uint64_t>(per_class_.size());
  for (const ClassCounts& counts : per_class_) {
    out.write(counts.label);
    out.write<std::uint64_t>(counts.values.size());
    for (const ValueWeight& entry : counts.values) {  // field by field: no padding bytes
      out.write(entry.value);
      out.write(entry.weight);
    }
  }
  out.write_vector(observed_values_);
  out.write(total_weight_);
}

bool NominalSplitter::load(core::StateReader& in) {
  std::uint64_t num_classes = 0;
  if (!in.read(num_classes)) return false;
  per_class_.clear();
  for (std::uint64_t i = 0; i < num_classes; ++i) {
    ClassCounts counts;
    std::uint64_t num_values = 0;
    if (!in.read(counts.label) || !in.read(num_values)) return false;
    for (std::uint64_t v = 0; v < num_values; ++v) {
      ValueWeight entry{};
      if (!in.read(entry.value) || !in.read(entry.weight)) return false;
      counts.values.push_back(entry);
    }
    per_class_.push_back(std::move(counts));
  }
  if (!in.read_vector(observed_values_) || !in.read(total_weight_)) return false;
  if (!std::is_sorted(observed_values_.begin(), observed_values_.end())) return in.fail();
  return true;
}

}  // namespace streamlearn::learners::tree
