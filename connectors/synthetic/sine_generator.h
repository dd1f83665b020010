#pragma once

/// SineGenerator: the SINE concepts of Gama, Medas, Castillo and Rodrigues, "Learning with Drift
/// Detection" (SBIA 2004), as River 0.21 defines them (`datasets.synth.Sine`). Two features x0,
/// x1 uniform in [0, 1) and a label "1" when
///
///   function 0 (SINE1):           x0 < sin(x1)
///   function 1 (reversed SINE1):  x0 >= sin(x1)
///   function 2 (SINE2):           x0 < 0.5 + 0.3 sin(3 pi x1)
///   function 3 (reversed SINE2):  x0 >= 0.5 + 0.3 sin(3 pi x1)
///
/// else "0". has_noise adds two irrelevant features x2, x3, uniform in [0, 1).
/// balance_classes redraws until the labels alternate 1, 0, 1, ... (River's rule). Switching
/// between a function and its reverse (ConceptDriftStream) is the classic abrupt drift.
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   SineGenerator sine({.classification_function = 2}, /*seed=*/42, features, classes);
///   stream::Event event;
///   sine.next(event);
///
/// O(1) time per event (balance_classes redraws 1/P(class) times on average), no allocation.
/// Not thread-safe.

#include <cstdint>
#include <optional>

#include "connectors/synthetic/random_source.h"
#include "connectors/synthetic/synthetic_stream.h"
#include "core/param_reader.h"

namespace streamlearn::connectors {

class SineGenerator final : public SyntheticStream {
 public:
  struct Params {
    /// Which concept labels the points, 0..3.
    std::int64_t classification_function = 0;
    /// Alternate the labels 1, 0, 1, ... by redrawing points.
    bool balance_classes = false;
    /// Add the irrelevant features x2 and x3.
    bool has_noise = false;
  };

  SineGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                core::ClassSet& classes);
  /// Reads the three parameters; nullopt (with the errors in `reader`) when one is out of range.
  static std::optional<Params> read_params(core::ParamReader& reader);

  /// The label (0 or 1) of function `function` (0..3) at (x0, x1).
  static int classify(std::int64_t function, double x0, double x1);

  std::string describe() const override;
  void next(stream::Event& event) override;
  std::unique_ptr<SyntheticStream> clone() const override;
  const Params& params() const { return params_; }

 private:
  Params params_;
  RandomSource random_;
  core::FeatureId feature_ids_[4];
  core::ClassId class_ids_[2];
  bool next_class_should_be_zero_ = false;
};

}  // namespace streamlearn::connectors
