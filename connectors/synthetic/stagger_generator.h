#pragma once

/// StaggerGenerator: the STAGGER concepts of Schlimmer and Granger, "Incremental Learning from
/// Noisy Data" (Machine Learning 1(3), 1986), as River 0.21 defines them
/// (`datasets.synth.STAGGER`). Three categorical features drawn uniformly: size (small, medium,
/// large), color (red, blue, green) and shape (circle, square, triangle). The label is "1" when
///
///   function 0: size is small and color is red
///   function 1: color is green or shape is circle
///   function 2: size is medium or large
///
/// else "0". balance_classes redraws objects until the labels alternate 1, 0, 1, ... (River's
/// rule). Switch the function (ConceptDriftStream) for the classic abrupt drifts.
///
/// River yields the features as the integers 0..2; here they are the value names, categorical
/// features (numeric models see them one-hot, `size=small`).
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   StaggerGenerator stagger({.classification_function = 1}, /*seed=*/42, features, classes);
///   stream::Event event;
///   stagger.next(event);
///
/// O(1) time per event (balance_classes redraws 1/P(class) times on average), no allocation.
/// Not thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

#include "connectors/synthetic/random_source.h"
#include "connectors/synthetic/synthetic_stream.h"
#include "core/param_reader.h"

namespace streamlearn::connectors {

class StaggerGenerator final : public SyntheticStream {
 public:
  struct Params {
    /// Which concept labels the objects, 0..2.
    std::int64_t classification_function = 0;
    /// Alternate the labels 1, 0, 1, ... by redrawing objects.
    bool balance_classes = false;
  };

  /// The value names; index i of each is River's integer i.
  static constexpr std::string_view kSizes[3] = {"small", "medium", "large"};
  static constexpr std::string_view kColors[3] = {"red", "blue", "green"};
  static constexpr std::string_view kShapes[3] = {"circle", "square", "triangle"};

  StaggerGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                   core::ClassSet& classes);
  /// Reads the two parameters; nullopt (with the errors in `reader`) when one is out of range.
  static std::optional<Params> read_params(core::ParamReader& reader);

  /// The label (0 or 1) of function `function` (0..2) for the value indices (0..2) of an object.
  static int classify(std::int64_t function, int size, int color, int shape);

  std::string describe() const override;
  void next(stream::Event& event) override;
  std::unique_ptr<SyntheticStream> clone() const override;
  const Params& params() const { return params_; }

 private:
  struct Value {
    core::SymbolId symbol;
    core::FeatureId indicator;
  };

  Params params_;
  RandomSource random_;
  core::FeatureId feature_ids_[3];
  Value values_[3][3];  // [feature][value index]
  core::ClassId class_ids_[2];
  bool next_class_should_be_zero_ = false;
};

}  // namespace streamlearn::connectors
