#pragma once

/// SeaStream: the SEA concepts generator (Street & Kim, KDD 2001) with a concept drift, as River's
/// synth.SEA inside synth.ConceptDriftStream: three features uniform in [0, 10), label
/// x0 + x1 > threshold, where the threshold moves from one variant (8, 9, 7, 9.5) to another
/// around `drift_position`, mixed over `drift_width` events with River's sigmoid. Seeded and
/// reproducible (std::mt19937_64, so not River's exact numbers). O(1) per event.

#include <cstdint>
#include <random>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "stream/event.h"

namespace streamlearn::connectors {

class SeaStream {
 public:
  struct Params {
    std::uint64_t seed = 42;
    int variant_before = 0;
    int variant_after = 1;
    std::uint64_t drift_position = 50'000;
    std::uint64_t drift_width = 1'000;
    double noise = 0.0;  // probability of flipping a label
  };

  SeaStream(Params params, core::FeatureSpace& features, core::ClassSet& classes);

  /// Fills `event` with the next labelled event.
  void next(stream::Event& event);
  std::uint64_t position() const { return position_; }

 private:
  Params params_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  core::FeatureId feature_ids_[3];
  core::ClassId false_class_;
  core::ClassId true_class_;
  std::uint64_t position_ = 0;
};

}  // namespace streamlearn::connectors
