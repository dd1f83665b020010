#pragma once

/// KafkaProducer: the one producer a `streamlearn run` writes its outputs with (predictions,
/// alerts, dead letters). Idempotent (enable.idempotence: no duplicates or reordering from
/// retries within a session) with acks=all; librdkafka retries failed sends until
/// delivery.timeout.ms. Nothing is dropped silently: produce() applies back-pressure when the
/// local queue is full (it serves delivery reports and waits), a delivery that finally fails is
/// counted and reported by the next flush(), and the runner then stops without committing the
/// offsets of the records whose outputs were lost, so they are processed again after a restart.
/// Not thread-safe: the pipeline thread produces, polls and flushes.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/kafka/kafka_settings.h"
#include "core/status.h"

struct rd_kafka_s;
struct rd_kafka_topic_s;
struct rd_kafka_message_s;

namespace streamlearn::connectors {

class KafkaProducer {
 public:
  using TopicId = std::uint32_t;
  using Headers = std::vector<std::pair<std::string_view, std::string_view>>;

  struct Counters {
    std::uint64_t produced = 0;
    std::uint64_t delivered = 0;
    std::uint64_t failed = 0;
    std::uint64_t queue_full_waits = 0;
  };

  static core::Result<std::unique_ptr<KafkaProducer>> open(const KafkaConnection& connection,
                                                           const KafkaProperties& properties);
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  /// A handle for producing to `name` (created once, reused per record).
  TopicId topic(const std::string& name);
  /// Queues one record (the bytes are copied). An empty key means no key.
  void produce(TopicId topic, std::string_view key, std::string_view value,
               const Headers& headers = {});
  /// Serves delivery reports without waiting.
  void poll();
  /// Waits until every queued record is delivered or failed, at most `timeout_ms`. An error when
  /// the time ran out or any delivery failed since the last flush (the first failure named).
  [[nodiscard]] core::Status flush(int timeout_ms);

  const Counters& counters() const { return counters_; }
  std::uint64_t in_flight() const { return counters_.produced - counters_.delivered - counters_.failed; }

 private:
  KafkaProducer() = default;
  static void on_delivery(rd_kafka_s* handle, const rd_kafka_message_s* message, void* opaque);

  rd_kafka_s* handle_ = nullptr;
  std::vector<std::pair<std::string, rd_kafka_topic_s*>> topics_;
  Counters counters_;
  std::uint64_t failed_at_last_flush_ = 0;
  std::string first_failure_;
};

}  // namespace streamlearn::connectors
