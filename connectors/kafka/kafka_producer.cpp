#include "connectors/kafka/kafka_producer.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <thread>

namespace streamlearn::connectors {

core::Result<std::unique_ptr<KafkaProducer>> KafkaProducer::open(
    const KafkaConnection& connection, const KafkaProperties& properties) {
  if (connection.bootstrap_servers.empty())
    return core::Status::error("kafka producer: no bootstrap servers");
  std::unique_ptr<KafkaProducer> producer(new KafkaProducer());
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  KafkaProperties all = {
      {"bootstrap.servers", connection.bootstrap_servers},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"linger.ms", "5"},
      {"compression.type", "lz4"},
      {"client.id", "streamlearn"},
      {"log_level", "3"},
  };
  all.insert(all.end(), connection.properties.begin(), connection.properties.end());
  all.insert(all.end(), properties.begin(), properties.end());
  char error[512];
  for (const auto& [name, value] : all) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return core::Status::error("kafka producer: property " + name + "=" + value + ": " + error);
    }
  }
  rd_kafka_conf_set_opaque(conf, producer.get());
  rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t* handle, const rd_kafka_message_t* message,
                                       void* opaque) { on_delivery(handle, message, opaque); });
  producer->handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (!producer->handle_)
    return core::Status::error(std::string("kafka producer: cannot create it: ") + error);
  return producer;
}

KafkaProducer::~KafkaProducer() {
  if (!handle_) return;
  // Bounded: what is still queued after this is reported by the runner's last flush, not here.
  rd_kafka_flush(handle_, 5'000);
  for (auto& [name, topic] : topics_) rd_kafka_topic_destroy(topic);
  rd_kafka_destroy(handle_);
}

void KafkaProducer::on_delivery(rd_kafka_s*, const rd_kafka_message_s* message, void* opaque) {
  auto* producer = static_cast<KafkaProducer*>(opaque);
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++producer->counters_.delivered;
    return;
  }
  ++producer->counters_.failed;
  if (producer->first_failure_.empty())
    producer->first_failure_ = std::string(rd_kafka_topic_name(message->rkt)) + ": " +
                               rd_kafka_err2str(message->err);
}

KafkaProducer::TopicId KafkaProducer::topic(const std::string& name) {
  for (TopicId id = 0; id < topics_.size(); ++id)
    if (topics_[id].first == name) return id;
  topics_.emplace_back(name, rd_kafka_topic_new(handle_, name.c_str(), nullptr));
  return static_cast<TopicId>(topics_.size() - 1);
}

void KafkaProducer::produce(TopicId topic, std::string_view key, std::string_view value,
                            const Headers& headers) {
  while (true) {
    rd_kafka_headers_t* record_headers = nullptr;
    if (!headers.empty()) {
      record_headers = rd_kafka_headers_new(headers.size());
      for (const auto& [name, header_value] : headers)
        rd_kafka_header_add(record_headers, name.data(), static_cast<ssize_t>(name.size()),
                            header_value.data(), static_cast<ssize_t>(header_value.size()));
    }
    const rd_kafka_resp_err_t error = rd_kafka_producev(
        handle_, RD_KAFKA_V_RKT(topics_[topic].second), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key.empty() ? nullptr : const_cast<char*>(key.data()), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_HEADERS(record_headers), RD_KAFKA_V_END);
    if (error == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ++counters_.produced;
      return;
    }
    if (record_headers) rd_kafka_headers_destroy(record_headers);  // not taken on failure
    if (error != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      // Not retriable here (a record too large, an unknown partition): a failed delivery.
      ++counters_.produced;
      ++counters_.failed;
      if (first_failure_.empty())
        first_failure_ = topics_[topic].first + ": " + rd_kafka_err2str(error);
      return;
    }
    // Back-pressure: the broker is slower than the pipeline; wait for deliveries.
    ++counters_.queue_full_waits;
    rd_kafka_poll(handle_, 100);
  }
}

void KafkaProducer::poll() { rd_kafka_poll(handle_, 0); }

core::Status KafkaProducer::flush(int timeout_ms) {
  const rd_kafka_resp_err_t flushed = rd_kafka_flush(handle_, timeout_ms);
  if (counters_.failed > failed_at_last_flush_) {
    const std::uint64_t failures = counters_.failed - failed_at_last_flush_;
    failed_at_last_flush_ = counters_.failed;
    std::string message = std::to_string(failures) + " output record" +
                          (failures > 1 ? "s" : "") + " could not be delivered (first: " +
                          first_failure_ + ")";
    first_failure_.clear();
    return core::Status::error(message);
  }
  if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR)
    return core::Status::error(std::to_string(rd_kafka_outq_len(handle_)) +
                               " output records still undelivered after " +
                               std::to_string(timeout_ms) + " ms (is the cluster reachable?)");
  return core::Status::ok();
}

}  // namespace streamlearn::connectors
