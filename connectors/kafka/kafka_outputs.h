#pragma once

/// KafkaOutputs: a ServingPipeline's outputs written to Kafka through one KafkaProducer:
///   - predictions: one record per event on the predictions topic, keyed by the event key (the
///     prediction record schema, stream/prediction_json.h);
///   - dead letters: every rejected record's original bytes and key on the dead-letter topic,
///     with headers naming why and where from: `streamlearn.reason` (the reject reason name),
///     `streamlearn.error` (the message), `streamlearn.source.topic`, `streamlearn.source.partition`,
///     `streamlearn.source.offset`.
/// A topic left empty is not written (its records are counted only). Not thread-safe.

#include <string>

#include "connectors/kafka/kafka_producer.h"
#include "core/class_set.h"
#include "core/feature_space.h"
#include "core/state_io.h"
#include "core/status.h"
#include "stream/pipeline_output.h"

namespace streamlearn::connectors {

class KafkaOutputs : public stream::PipelineOutput {
 public:
  struct Topics {
    std::string predictions{};
    std::string dead_letter{};
    std::string features{};
  };

  /// The producer, classes and feature space must outlive this.
  KafkaOutputs(KafkaProducer& producer, const Topics& topics, const core::ClassSet& classes,
               const core::FeatureSpace& space);

  void prediction(const stream::Event& event, const stream::Prediction& prediction,
                  const stream::SourceRecord& origin) override;
  void features(const stream::Event& event, const core::FeatureVector& x,
                const stream::SourceRecord& origin) override;
  void rejected(const stream::SourceRecord& record, const stream::Rejection& rejection) override;

  std::uint64_t predictions_written() const { return predictions_written_; }
  std::uint64_t dead_letters_written() const { return dead_letters_written_; }
  std::uint64_t features_written() const { return features_written_; }

  /// The counts written so far (versioned), for a checkpoint: a restored run counts on from them.
  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  // Serves delivery reports every kPollEvery records, so that their queue stays short.
  void poll_now_and_then();

  KafkaProducer& producer_;
  const core::ClassSet& classes_;
  const core::FeatureSpace& space_;
  bool write_predictions_;
  bool write_dead_letters_;
  KafkaProducer::TopicId predictions_topic_ = 0;
  KafkaProducer::TopicId dead_letter_topic_ = 0;
  KafkaProducer::TopicId features_topic_ = 0;
  bool write_features_;
  std::string buffer_;
  std::uint64_t predictions_written_ = 0;
  std::uint64_t dead_letters_written_ = 0;
  std::uint64_t features_written_ = 0;
  std::uint64_t since_poll_ = 0;
};

}  // namespace streamlearn::connectors
