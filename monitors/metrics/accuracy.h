#pragma once

/// Accuracy: the fraction of scored events whose predicted class equals the true class (River's
/// metrics.Accuracy, multi-class). 0 before any event, as River. Counts are exact integers, so
/// update, revert and merge are exact. O(1) time and 16 bytes. Not thread-safe.

#include <cstdint>

#include "core/class_set.h"
#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::monitors {

class Accuracy {
 public:
  void update(core::ClassId y_true, core::ClassId y_pred);
  /// Removes an observation previously passed to update().
  void revert(core::ClassId y_true, core::ClassId y_pred);
  void merge(const Accuracy& other);

  double get() const;
  std::uint64_t count() const { return count_; }

  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  std::uint64_t count_ = 0;
  std::uint64_t num_correct_ = 0;
};

}  // namespace streamlearn::monitors
