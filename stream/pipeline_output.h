#pragma once

/// PipelineOutput: where a ServingPipeline sends what it produces per record: each prediction,
/// and each rejected record with its original bytes and reason (the dead-letter output). Alerts
/// go through monitors::AlertSink. Implementations must not block the pipeline thread beyond a
/// bounded time, and never drop silently: what they cannot deliver they surface (count, report,
/// stop the run).

#include "stream/event.h"
#include "stream/prediction.h"
#include "stream/rejection.h"
#include "stream/source_record.h"

namespace streamlearn::stream {

class PipelineOutput {
 public:
  virtual ~PipelineOutput() = default;

  /// The model's prediction for `event`, decoded from `origin`.
  virtual void prediction(const Event& event, const Prediction& prediction,
                          const SourceRecord& origin) = 0;
  /// The features the model's learner sees for `event` (window features included), when the
  /// pipeline is asked to export them (ServingPipeline::Params::emit_features).
  virtual void features(const Event& event, const core::FeatureVector& x,
                        const SourceRecord& origin) {
    (void)event;
    (void)x;
    (void)origin;
  }
  /// `record` was rejected, why, and by what message.
  virtual void rejected(const SourceRecord& record, const Rejection& rejection) = 0;
};

}  // namespace streamlearn::stream
