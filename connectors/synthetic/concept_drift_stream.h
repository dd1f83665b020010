#pragma once

/// ConceptDriftStream: joins two streams with a concept drift, as MOA's ConceptDriftStream
/// (Bifet et al., "New Ensemble Methods For Evolving Data Streams", KDD 2009) and River 0.21's
/// `datasets.synth.ConceptDriftStream`. The t-th event (t = 1, 2, ... as River counts) comes from
/// the drift stream with probability
///
///   p(t) = 1 / (1 + exp(-4 (t - position) / width))
///
/// and from the first stream otherwise: a sigmoid centred on `position` that goes from 0.12 to
/// 0.88 over `width` events (t = position -/+ width / 2), and from 6e-6 to 1 - 6e-6 over 6 widths.
/// width 1 is a sudden drift. Only the stream drawn from advances, as in River, so each sub-stream
/// yields its own sequence unchanged. Drifts compose: the drift stream may itself be a
/// ConceptDriftStream; as in River, it counts only the events drawn from it, so its position is
/// counted from about the outer position.
///
///   core::FeatureSpace features;
///   core::ClassSet classes;
///   ConceptDriftStream drifting(
///       std::make_unique<SeaGenerator>(SeaGenerator::Params{.variant = 0}, 1, features, classes),
///       std::make_unique<SeaGenerator>(SeaGenerator::Params{.variant = 2}, 2, features, classes),
///       {.position = 50'000, .width = 1'000}, /*seed=*/3);
///   stream::Event event;
///   drifting.next(event);
///
/// SyntheticStreamRegistry::build_drift builds one from two expressions and one seed. Both
/// streams must write to the same FeatureSpace and ClassSet, and a feature present in both must
/// have the same kind (check_compatible). The columns are the first stream's, then any the drift
/// stream adds. O(1) time per event plus the sub-stream's, no allocation. Not thread-safe.

#include <cstdint>
#include <memory>

#include "connectors/synthetic/random_source.h"
#include "connectors/synthetic/synthetic_stream.h"
#include "core/status.h"

namespace streamlearn::connectors {

class ConceptDriftStream final : public SyntheticStream {
 public:
  struct Params {
    /// Centre of the change: the event (counting from 1) with probability 0.5 of the new concept.
    std::int64_t position = 5000;
    /// Number of events the change takes (>= 1; 1 = sudden).
    std::int64_t width = 1000;
  };

  /// `seed` drives only the choice between the two streams.
  ConceptDriftStream(std::unique_ptr<SyntheticStream> stream,
                     std::unique_ptr<SyntheticStream> drift_stream, Params params,
                     std::uint64_t seed);

  /// An error naming the feature when a feature is numeric in one stream and categorical in the
  /// other, or when they write to different spaces.
  static core::Status check_compatible(const SyntheticStream& stream,
                                       const SyntheticStream& drift_stream);

  /// p(t) above, for the t-th event (t >= 1).
  static double drift_probability(std::uint64_t t, const Params& params);

  std::string describe() const override;
  void next(stream::Event& event) override;
  std::unique_ptr<SyntheticStream> clone() const override;
  const Params& params() const { return params_; }

  const SyntheticStream& first_stream() const { return *stream_; }
  const SyntheticStream& drift_stream() const { return *drift_stream_; }
  /// Events produced so far, and how many of them came from the drift stream.
  std::uint64_t num_events() const { return num_events_; }
  std::uint64_t num_drift_events() const { return num_drift_events_; }
  /// Whether the last event came from the drift stream.
  bool last_from_drift_stream() const { return last_from_drift_; }

 private:
  std::unique_ptr<SyntheticStream> stream_;
  std::unique_ptr<SyntheticStream> drift_stream_;
  Params params_;
  RandomSource random_;
  std::uint64_t num_events_ = 0;
  std::uint64_t num_drift_events_ = 0;
  bool last_from_drift_ = false;
};

}  // namespace streamlearn::connectors
