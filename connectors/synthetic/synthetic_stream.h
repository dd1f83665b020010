#pragma once

/// SyntheticStream: an endless, seeded generator of labelled events: the synthetic data sets of
/// River's `datasets.synth` (SEA, Agrawal, Hyperplane, STAGGER, Sine, RandomRBF ...) and
/// ConceptDriftStream, which joins two of them with a sudden or gradual concept drift.
/// SyntheticStreamRegistry builds one from an expression such as `sea(variant=2, noise=0.1)`.
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   SeaGenerator sea({.variant = 2}, /*seed=*/42, features, classes);
///   stream::Event event;
///   for (int i = 0; i < 1000; ++i) {
///     sea.next(event);  // features x0, x1, x2 and a label "0" or "1"
///     model.learn_one(event.features, event.label);
///   }
///
/// A stream interns its feature names, categorical values and class names into the FeatureSpace
/// and ClassSet given at construction, once; next() then allocates nothing. The same seed gives
/// the same events on every platform (RandomSource); they are not River's exact draws, only the
/// same distributions and concept definitions. A stream and the spaces it writes to are used by
/// one thread at a time.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/class_set.h"
#include "core/feature_space.h"
#include "stream/event.h"

namespace streamlearn::connectors {

class SyntheticStream {
 public:
  /// One feature of the stream, in the order it is written as a CSV column.
  struct Column {
    std::string name;
    core::FeatureId id = 0;
    bool categorical = false;  // values are strings (one-hot for numeric models), else numbers
  };

  virtual ~SyntheticStream() = default;
  SyntheticStream(const SyntheticStream&) = delete;
  SyntheticStream& operator=(const SyntheticStream&) = delete;

  /// The expression that rebuilds the stream (with the same seed), e.g. `sea(variant=2)`.
  virtual std::string describe() const = 0;
  /// Fills `event` (cleared first) with the next features and label.
  virtual void next(stream::Event& event) = 0;
  /// A new stream with the same parameters and seed, at its start, on the same spaces.
  virtual std::unique_ptr<SyntheticStream> clone() const = 0;

  /// Every feature an event can hold, in column order. An event of a ConceptDriftStream over
  /// streams with different features holds only those of the stream it came from.
  const std::vector<Column>& columns() const { return columns_; }
  std::uint64_t seed() const { return seed_; }
  core::FeatureSpace& feature_space() const { return features_; }
  core::ClassSet& class_set() const { return classes_; }

  /// A seed for the `index`-th sub-stream (or random source) of a stream seeded with `seed`:
  /// splitmix64, so nearby seeds and indices give unrelated sequences.
  static std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index);

 protected:
  SyntheticStream(std::uint64_t seed, core::FeatureSpace& features, core::ClassSet& classes)
      : seed_(seed), features_(features), classes_(classes) {}

  /// Declare the columns in order; each returns the feature's id.
  core::FeatureId add_numeric_column(std::string_view name);
  core::FeatureId add_categorical_column(std::string_view name);
  /// Keeps a column of another stream (ConceptDriftStream's union of columns).
  void add_column(const Column& column) { columns_.push_back(column); }

 private:
  std::uint64_t seed_;
  core::FeatureSpace& features_;
  core::ClassSet& classes_;
  std::vector<Column> columns_;
};

}  // namespace streamlearn::connectors
