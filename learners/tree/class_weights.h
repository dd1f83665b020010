#pragma once

/// ClassWeights: the class distribution of a tree node, a map ClassId -> weight that keeps its
/// keys in insertion order, as the Python dicts of River's trees do. The order is observable: the
/// majority class is the first maximum in key order, naive Bayes ties resolve the same way, sums
/// run in key order, and a key may hold a weight of 0 (River's split children can), which counts
/// as a known class. Look-ups scan the keys: a node sees a handful of classes.

#include <cstddef>
#include <vector>

#include "core/class_set.h"

namespace streamlearn::learners::tree {

class ClassWeights {
 public:
  struct Entry {
    core::ClassId id;
    double weight;
    bool operator==(const Entry&) const = default;
  };

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Entry>& mutable_entries() { return entries_; }
  void clear() { entries_.clear(); }

  const double* find(core::ClassId id) const {
    for (const Entry& entry : entries_)
      if (entry.id == id) return &entry.weight;
    return nullptr;
  }
  /// The weight of `id`, inserted with 0 at the end when absent (a Python defaultdict look-up).
  double& operator[](core::ClassId id) {
    for (Entry& entry : entries_)
      if (entry.id == id) return entry.weight;
    entries_.push_back({id, 0.0});
    return entries_.back().weight;
  }
  /// operator[](id) += weight, returning the position of `id` among the entries.
  std::size_t add(core::ClassId id, double weight) {
    std::size_t position = 0;
    while (position < entries_.size() && entries_[position].id != id) ++position;
    if (position == entries_.size()) entries_.push_back({id, 0.0});
    entries_[position].weight += weight;
    return position;
  }
  /// Python's sum(d.values()): left to right in key order.
  double total() const {
    double sum = 0.0;
    for (const Entry& entry : entries_) sum += entry.weight;
    return sum;
  }

  bool operator==(const ClassWeights&) const = default;

 private:
  std::vector<Entry> entries_;
};

}  // namespace streamlearn::learners::tree
