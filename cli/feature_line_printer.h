#pragma once

/// FeatureLinePrinter: the PipelineOutput of `streamlearn transform` reading Kafka. Each event's
/// learner input becomes one JSON line on `lines` (stdout), the very bytes `run` writes to its
/// outputs.features topic (stream/feature_json.h); each rejected record one line on `messages`
/// (stderr) naming where it came from (topic/partition@offset), the message and the reason.
/// Predictions are not printed: a transform shows what the learner sees, not what it says.
/// Lines go through stdio's buffer; the caller flushes when the source is idle, so that a live
/// transform shows each line soon after its record arrives. Not thread-safe.

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/feature_space.h"
#include "stream/pipeline_output.h"

namespace streamlearn::cli {

class FeatureLinePrinter : public stream::PipelineOutput {
 public:
  /// The streams and the feature space must outlive this.
  FeatureLinePrinter(std::FILE* lines, std::FILE* messages, const core::FeatureSpace& space)
      : lines_(lines), messages_(messages), space_(space) {}

  void prediction(const stream::Event& event, const stream::Prediction& prediction,
                  const stream::SourceRecord& origin) override;
  void features(const stream::Event& event, const core::FeatureVector& x,
                const stream::SourceRecord& origin) override;
  void rejected(const stream::SourceRecord& record, const stream::Rejection& rejection) override;

  /// Writes out the buffered lines; false when writing any line so far failed (a full disk).
  [[nodiscard]] bool flush();

  std::uint64_t lines_written() const { return lines_written_; }

 private:
  std::FILE* lines_;
  std::FILE* messages_;
  const core::FeatureSpace& space_;
  std::string line_;  // reused for every event
  std::uint64_t lines_written_ = 0;
};

}  // namespace streamlearn::cli
