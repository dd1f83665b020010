#include "connectors/kafka/kafka_alert_sink.h"

namespace streamlearn::connectors {
namespace {

constexpr int kFlushTimeoutMs = 30'000;

}  // namespace

KafkaAlertSink::KafkaAlertSink(KafkaProducer& producer, const std::string& topic)
    : producer_(producer), topic_(producer.topic(topic)) {}

void KafkaAlertSink::publish(const monitors::Alert& alert) {
  producer_.produce(topic_, alert.pipeline, monitors::to_json(alert));
  ++published_;
}

core::Status KafkaAlertSink::flush() { return producer_.flush(kFlushTimeoutMs); }

}  // namespace streamlearn::connectors
