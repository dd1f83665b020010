#pragma once

/// KafkaAlertSink: alert records (the documented alert JSON, monitors::to_json) on an alerts
/// topic, keyed by the pipeline name so that one pipeline's alerts stay in order on one
/// partition. publish() only queues in the shared KafkaProducer; flush() waits for delivery, and
/// a failed delivery is reported there (and stops the run before its offsets are committed).

#include <string>

#include "connectors/kafka/kafka_producer.h"
#include "monitors/alerts/alert_sink.h"

namespace streamlearn::connectors {

class KafkaAlertSink : public monitors::AlertSink {
 public:
  /// The producer must outlive this.
  KafkaAlertSink(KafkaProducer& producer, const std::string& topic);

  void publish(const monitors::Alert& alert) override;
  [[nodiscard]] core::Status flush() override;

  std::uint64_t published() const { return published_; }

 private:
  KafkaProducer& producer_;
  KafkaProducer::TopicId topic_;
  std::uint64_t published_ = 0;
};

}  // namespace streamlearn::connectors
