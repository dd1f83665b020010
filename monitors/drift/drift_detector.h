#pragma once

/// The contract of a concept-drift detector, named as in River's `drift` module: update(x) with one
/// value of a monitored stream (an error indicator, a loss, a feature), then drift_detected() and,
/// for methods that have one, warning_detected(). As in River, a detector that flagged drift
/// resets itself at the start of the next update(). Params (River's names and defaults) are kept
/// apart from state: clone() is a fresh detector with the same params; save()/load() round-trip
/// the state bit for bit. O(1) amortized work per update unless the header says otherwise.
/// Not thread-safe.

#include <memory>
#include <string>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::monitors {

class DriftDetector {
 public:
  virtual ~DriftDetector() = default;

  /// The expression that recreates this detector, e.g. "adwin(delta=0.001)".
  virtual std::string describe() const = 0;
  virtual std::unique_ptr<DriftDetector> clone() const = 0;

  virtual void update(double x) = 0;
  virtual bool drift_detected() const = 0;
  /// Whether the method has a warning zone (DDM, EDDM, HDDM_A, HDDM_W).
  virtual bool has_warning() const { return false; }
  virtual bool warning_detected() const { return false; }

  virtual void save(core::StateWriter& out) const = 0;
  [[nodiscard]] virtual core::Status load(core::StateReader& in) = 0;
};

}  // namespace streamlearn::monitors
