#pragma once

/// AgrawalGenerator: the loan-approval records of Agrawal, Imielinski and Swami, "Database Mining:
/// A Performance Perspective" (IEEE TKDE 5(6), 1993), as River 0.21 generates them
/// (`datasets.synth.Agrawal`): nine features drawn independently, River's names and ranges,
///
///   salary      uniform in [20k, 150k)
///   commission  0 when salary >= 75k, else uniform in [10k, 85k) (River's draw; its doc says 75k)
///   age         integer 20..80
///   elevel      integer 0..4 (education level)
///   car         integer 1..20 (car maker)
///   zipcode     integer 0..8
///   hvalue      (8 - zipcode) * 100k * uniform[0.5, 1.5) (house value; 0 for zipcode 8)
///   hyears      integer 1..30 (years the house is owned)
///   loan        uniform in [0, 500k)
///
/// and a label "0"/"1" from one of ten classification functions (classify(); 0..9 are the paper's
/// functions 1..10, with River's labels: 1 = inside the paper's group A ranges, and for 6..9,
/// 1 when disposable income <= 1). Switch the function (ConceptDriftStream) for a drift.
///
/// All nine features are numbers, as River yields them (River's doc calls elevel, car and zipcode
/// categorical but emits integers, which its models treat as numeric; so do ours, and
/// ../shared/reference/streams/agrawal_drift_100k.csv is read the same way).
///
/// balance_classes: records are redrawn until their label alternates 1, 0, 1, 0, ... (River's
/// rule), so the classes are exactly balanced. perturbation p > 0: after labelling, salary,
/// commission (when not 0), age, hvalue, hyears and loan each move by up to p times the width of
/// their range, uniformly, clamped to the range; age and hyears are rounded half to even (Python's
/// round). The label is not recomputed: perturbation is feature noise.
///
/// Two deliberate differences from River 0.21, both River typos: function 4 is the paper's (and
/// MOA's AgrawalGenerator's); River compares salary where the paper compares loan in three places
/// and uses 75k for 100k in the last branch, which makes the class constant for ages 40..59. And a
/// perturbed hvalue is clamped to its own range; River swaps the arguments of that call, which
/// collapses every perturbed hvalue to 0 or (9 - zipcode) * 100k.
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   AgrawalGenerator agrawal({.classification_function = 2}, /*seed=*/42, features, classes);
///   stream::Event event;
///   agrawal.next(event);
///
/// O(1) time per event (balance_classes redraws a geometric number of times, 1/P(class) on
/// average), no allocation. Not thread-safe.

#include <cstdint>
#include <optional>

#include "connectors/synthetic/random_source.h"
#include "connectors/synthetic/synthetic_stream.h"
#include "core/param_reader.h"

namespace streamlearn::connectors {

class AgrawalGenerator final : public SyntheticStream {
 public:
  struct Params {
    /// Which of the ten functions labels the records, 0..9.
    std::int64_t classification_function = 0;
    /// Feature noise in [0, 1]: the fraction of each range a value may move by.
    double perturbation = 0.0;
    /// Alternate the labels 1, 0, 1, ... by redrawing records.
    bool balance_classes = false;
  };

  /// One record, the features in column order.
  struct Record {
    double salary = 0, commission = 0, age = 0, elevel = 0, car = 0, zipcode = 0, hvalue = 0,
           hyears = 0, loan = 0;
  };

  AgrawalGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                   core::ClassSet& classes);
  /// Reads the three parameters; nullopt (with the errors in `reader`) when one is out of range.
  static std::optional<Params> read_params(core::ParamReader& reader);

  /// The label (0 or 1) of classification function `function` (0..9) for a record.
  static int classify(std::int64_t function, const Record& record);

  std::string describe() const override;
  void next(stream::Event& event) override;
  std::unique_ptr<SyntheticStream> clone() const override;
  const Params& params() const { return params_; }

 private:
  Record draw_record();
  double perturb(double value, double low, double high);

  Params params_;
  RandomSource random_;
  core::FeatureId feature_ids_[9];
  core::ClassId class_ids_[2];
  bool next_class_should_be_zero_ = false;
};

}  // namespace streamlearn::connectors
