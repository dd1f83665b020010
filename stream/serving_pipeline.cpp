#include "stream/serving_pipeline.h"

#include <algorithm>

#include "stream/pipeline_model.h"

namespace streamlearn::stream {

ServingPipeline::ServingPipeline(Params params, JsonEventDecoder decoder,
                                 PrequentialEvaluator& evaluator, PipelineOutput& output,
                                 features::FeatureStage* features)
    : decoder_(std::move(decoder)),
      evaluator_(evaluator),
      output_(output),
      features_(features != nullptr && !features->empty() ? features : nullptr),
      emit_features_(params.emit_features),
      pending_(params.max_pending, params.label_ttl_ms) {}

void ServingPipeline::process(const SourceRecord& record) {
  ++counters_.records;
  if (std::optional<Rejection> rejection = decoder_.decode(record.value, event_)) {
    rejects_.add(rejection->reason);
    output_.rejected(record, *rejection);
    return;
  }
  const bool label_record = record.label_record ||
                            (event_.features.empty() && event_.label.has_value() &&
                             !event_.id.empty());
  if (label_record) {
    if (event_.id.empty()) {
      reject(record, RejectReason::kMissingId,
             "a label record needs an event id to match its prediction");
      return;
    }
    if (!event_.label.has_value()) {
      reject(record, RejectReason::kMissingTarget,
             "a label record needs a label (the target field)");
      return;
    }
    match_label();
    return;
  }
  if (event_.key.empty()) event_.key.assign(record.key);  // the record's key (Kafka's)
  if (event_.event_time_ms == Event::kNoTime) event_.event_time_ms = record.timestamp_ms;
  if (features_) {
    if (std::optional<Rejection> rejection = features_->apply(event_)) {
      rejects_.add(rejection->reason);
      output_.rejected(record, *rejection);
      return;
    }
  }
  ++counters_.events;
  // Only events move the TTL clock: label records often carry another clock (their producer's
  // wall time) than the events' own time field.
  if (event_.event_time_ms != Event::kNoTime && event_.event_time_ms > clock_ms_) {
    clock_ms_ = event_.event_time_ms;
    pending_.expire(clock_ms_);
  }
  const Prediction& prediction = evaluator_.predict(event_);
  output_.prediction(event_, prediction, record);
  if (emit_features_)
    output_.features(event_, PipelineModel::learner_input(evaluator_.model(), event_.features),
                     record);
  if (event_.label.has_value()) {
    ++counters_.labelled_events;
    evaluator_.learn(event_.features, prediction, event_.label);
  } else if (!event_.id.empty()) {
    pending_.add(event_.id, event_.features, prediction);
  } else {
    ++counters_.unmatchable_events;
  }
}

void ServingPipeline::match_label() {
  ++counters_.label_records;
  const PendingPredictions::Entry* entry = pending_.find(event_.id);
  if (entry == nullptr) {
    ++counters_.labels_unmatched;
    return;
  }
  ++counters_.labels_matched;
  evaluator_.learn(entry->features, entry->prediction, event_.label);
  pending_.remove(event_.id);
}

void ServingPipeline::reject(const SourceRecord& record, RejectReason reason,
                             std::string message) {
  rejects_.add(reason);
  output_.rejected(record, Rejection{reason, std::move(message)});
}

namespace {
constexpr std::uint32_t kStateVersion = 1;
}  // namespace

void ServingPipeline::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(counters_);
  rejects_.save(out);
  out.write(clock_ms_);
  pending_.save(out);
}

core::Status ServingPipeline::load(core::StateReader& in, const core::FeatureSpace& space,
                                   const core::ClassSet& classes) {
  Counters counters;
  RejectCounts rejects;
  std::int64_t clock_ms = Event::kNoTime;
  if (!in.expect_version(kStateVersion) || !in.read(counters) || !rejects.load(in) ||
      !in.read(clock_ms))
    return in.status("serving pipeline");
  if (core::Status pending = pending_.load(in, space, classes); !pending) return pending;
  counters_ = counters;
  rejects_ = rejects;
  clock_ms_ = clock_ms;
  return core::Status::ok();
}

}  // namespace streamlearn::stream
