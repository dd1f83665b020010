#include "connectors/kafka/kafka_outputs.h"

#include "stream/feature_json.h"
#include "stream/prediction_json.h"

namespace streamlearn::connectors {
namespace {

// Delivery reports are served every this many records, so that their queue stays short.
constexpr std::uint64_t kPollEvery = 1024;
constexpr std::uint32_t kStateVersion = 1;

}  // namespace

KafkaOutputs::KafkaOutputs(KafkaProducer& producer, const Topics& topics,
                           const core::ClassSet& classes, const core::FeatureSpace& space)
    : producer_(producer),
      classes_(classes),
      space_(space),
      write_predictions_(!topics.predictions.empty()),
      write_dead_letters_(!topics.dead_letter.empty()),
      write_features_(!topics.features.empty()) {
  if (write_predictions_) predictions_topic_ = producer_.topic(topics.predictions);
  if (write_dead_letters_) dead_letter_topic_ = producer_.topic(topics.dead_letter);
  if (write_features_) features_topic_ = producer_.topic(topics.features);
}

void KafkaOutputs::features(const stream::Event& event, const core::FeatureVector& x,
                            const stream::SourceRecord& /*origin*/) {
  if (!write_features_) return;
  stream::write_features_json(event, x, space_, buffer_);
  producer_.produce(features_topic_, event.key, buffer_);
  ++features_written_;
  poll_now_and_then();
}

void KafkaOutputs::prediction(const stream::Event& event, const stream::Prediction& prediction,
                              const stream::SourceRecord& origin) {
  if (!write_predictions_) return;
  stream::write_prediction_json(event, prediction, origin, classes_, buffer_);
  producer_.produce(predictions_topic_, event.key, buffer_);
  ++predictions_written_;
  poll_now_and_then();
}

void KafkaOutputs::poll_now_and_then() {
  if (++since_poll_ == kPollEvery) {
    since_poll_ = 0;
    producer_.poll();
  }
}

void KafkaOutputs::rejected(const stream::SourceRecord& record,
                            const stream::Rejection& rejection) {
  if (!write_dead_letters_) return;
  const std::string partition = std::to_string(record.partition);
  const std::string offset = std::to_string(record.offset);
  producer_.produce(dead_letter_topic_, record.key, record.value,
                    {{"streamlearn.reason", stream::reject_reason_name(rejection.reason)},
                     {"streamlearn.error", rejection.message},
                     {"streamlearn.source.topic", record.topic},
                     {"streamlearn.source.partition", partition},
                     {"streamlearn.source.offset", offset}});
  ++dead_letters_written_;
}

void KafkaOutputs::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(predictions_written_);
  out.write(dead_letters_written_);
  out.write(features_written_);
}

core::Status KafkaOutputs::load(core::StateReader& in) {
  std::uint64_t predictions = 0, dead_letters = 0, features = 0;
  if (!in.expect_version(kStateVersion) || !in.read(predictions) || !in.read(dead_letters) ||
      !in.read(features))
    return in.status("output counts");
  predictions_written_ = predictions;
  dead_letters_written_ = dead_letters;
  features_written_ = features;
  return core::Status::ok();
}

}  // namespace streamlearn::connectors
