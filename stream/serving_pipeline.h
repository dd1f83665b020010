#pragma once

/// ServingPipeline: what `streamlearn run` does with each record, independent of where records
/// come from (Kafka, a file) and where results go (PipelineOutput, the monitor's alert sinks):
///
///   decode (a rejected record goes to the dead-letter output with its reason)
///   -> the FeatureStage, if any: window features appended to the event (a late event under
///      late=dead_letter is rejected like a malformed one)
///   -> a label record (from the labels topic, or a record with an id, a label and no features):
///        match the pending prediction by id; the model learns from the features it predicted
///        with, and the metrics and monitors score that prediction; unmatched labels are counted
///   -> an event: predict and publish the prediction; then
///        labelled: learn at once (test-then-train, exactly as `evaluate`);
///        unlabelled with an id: wait in PendingPredictions for its label (bounded, TTL);
///        unlabelled without an id: predicted only.
///
/// An event without an event-time field takes the record's timestamp (Kafka's), so event time is
/// always defined when the source has one; an event without a key field takes the record's key. The event-time clock of the label TTL is the largest
/// event time seen. Given the same records in the same order, the same predictions, model states
/// and alerts follow: that is what makes a replay equal the live run. Not thread-safe.

#include <cstdint>
#include <string>

#include "core/class_set.h"
#include "stream/features/feature_stage.h"
#include "stream/json_event_decoder.h"
#include "stream/pending_predictions.h"
#include "stream/pipeline_output.h"
#include "stream/prequential_evaluator.h"
#include "stream/reject_reason.h"
#include "stream/source_record.h"

namespace streamlearn::stream {

class ServingPipeline {
 public:
  struct Params {
    std::size_t max_pending = 100'000;
    std::int64_t label_ttl_ms = 3'600'000;
    /// Sends every event's learner input to PipelineOutput::features (costs a transform).
    bool emit_features = false;
  };

  struct Counters {
    std::uint64_t records = 0;
    std::uint64_t events = 0;            // decoded events (each got one prediction)
    std::uint64_t labelled_events = 0;   // of them, carrying their label (test-then-train)
    std::uint64_t label_records = 0;     // decoded label records
    std::uint64_t labels_matched = 0;
    std::uint64_t labels_unmatched = 0;  // no pending prediction: expired, evicted or never seen
    std::uint64_t unmatchable_events = 0;  // unlabelled events without an id
  };

  /// The decoder's schema must have target_optional set. All references (and `features`, the
  /// model's window steps, when not null) must outlive this.
  ServingPipeline(Params params, JsonEventDecoder decoder, PrequentialEvaluator& evaluator,
                  PipelineOutput& output, features::FeatureStage* features = nullptr);

  void process(const SourceRecord& record);

  const Counters& counters() const { return counters_; }
  const RejectCounts& rejects() const { return rejects_; }
  const PendingPredictions& pending() const { return pending_; }
  const PrequentialEvaluator& evaluator() const { return evaluator_; }
  /// The model's window steps; null when none were given.
  const features::FeatureStage* features() const { return features_; }

  /// Saves what this pipeline keeps beyond the evaluator and the windows (which save their own):
  /// the pending predictions, the counters, the rejects and the label clock.
  void save(core::StateWriter& out) const;
  /// Restores what save() wrote, once `space` and `classes` are restored (the pending features
  /// and classes are checked against them).
  [[nodiscard]] core::Status load(core::StateReader& in, const core::FeatureSpace& space,
                                  const core::ClassSet& classes);

 private:
  void reject(const SourceRecord& record, RejectReason reason, std::string message);
  void match_label();

  JsonEventDecoder decoder_;
  PrequentialEvaluator& evaluator_;
  PipelineOutput& output_;
  features::FeatureStage* features_;
  bool emit_features_;
  PendingPredictions pending_;
  Event event_;
  Counters counters_;
  RejectCounts rejects_;
  std::int64_t clock_ms_ = Event::kNoTime;
};

}  // namespace streamlearn::stream
