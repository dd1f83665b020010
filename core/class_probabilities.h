#pragma once

/// ClassProbabilities: a classifier's predicted distribution, indexed by ClassId. Classes the
/// model has not learned have probability 0. Empty means "no prediction" (an untrained model), and
/// such an event is not scored, as in River. A reusable buffer: assign() keeps capacity.

#include <cstddef>
#include <vector>

#include "core/class_set.h"

namespace streamlearn::core {

class ClassProbabilities {
 public:
  void clear() { values_.clear(); }
  /// Sets size to `num_classes`, all zero.
  void reset(std::size_t num_classes) { values_.assign(num_classes, 0.0); }
  bool empty() const { return values_.empty(); }
  std::size_t size() const { return values_.size(); }
  double& operator[](ClassId id) { return values_[id]; }
  double operator[](ClassId id) const { return values_[id]; }
  /// The probability of `id`, 0 when the model does not know the class.
  double get(ClassId id) const { return id < values_.size() ? values_[id] : 0.0; }
  /// The first class with the highest probability (River: max(proba, key=proba.get)).
  ClassId argmax() const {
    ClassId best = 0;
    for (ClassId id = 1; id < values_.size(); ++id)
      if (values_[id] > values_[best]) best = id;
    return best;
  }
  const std::vector<double>& values() const { return values_; }
  std::vector<double>& mutable_values() { return values_; }

 private:
  std::vector<double> values_;
};

}  // namespace streamlearn::core
