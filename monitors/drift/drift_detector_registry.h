#pragma once

/// DriftDetectorRegistry: every concept-drift detector by its River-style name, built from an
/// expression such as `adwin(delta=0.001)` (core/model_expression.h). Registration is explicit:
/// see DriftDetectorRegistry::builtin() for the one line per detector.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/param_reader.h"
#include "core/status.h"
#include "monitors/drift/drift_detector.h"

namespace streamlearn::monitors {

class DriftDetectorRegistry {
 public:
  using Factory = std::function<std::unique_ptr<DriftDetector>(core::ParamReader&)>;

  static const DriftDetectorRegistry& builtin();

  void add(std::string name, Factory factory, std::string summary);
  /// Builds a detector from a one-step expression; every error in it is reported at once.
  core::Result<std::unique_ptr<DriftDetector>> build(std::string_view expression) const;

  struct Entry {
    std::string name;
    std::string summary;
  };
  std::vector<Entry> entries() const;

 private:
  struct Registration {
    Factory factory;
    std::string summary;
  };
  std::map<std::string, Registration, std::less<>> factories_;
};

}  // namespace streamlearn::monitors
