#include "connectors/kafka/embedded_broker.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>

namespace streamlearn::connectors {

core::Result<std::unique_ptr<EmbeddedBroker>> EmbeddedBroker::start(Params params) {
  if (params.num_brokers < 1 || params.num_brokers > 32)
    return core::Status::error("embedded broker: the number of brokers must be from 1 to 32, got " +
                               std::to_string(params.num_brokers));
  // The mock cluster lives inside a client handle; a producer that never produces hosts it.
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "3", error, sizeof(error)) != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return core::Status::error(std::string("embedded broker: ") + error);
  }
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (!handle) {
    return core::Status::error(std::string("embedded broker: cannot create the librdkafka "
                                           "handle that hosts the mock cluster: ") + error);
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, params.num_brokers);
  if (!cluster) {
    rd_kafka_destroy(handle);
    return core::Status::error("embedded broker: librdkafka could not start its mock cluster "
                               "(are loopback sockets available?)");
  }
  return std::unique_ptr<EmbeddedBroker>(new EmbeddedBroker(params, handle, cluster));
}

EmbeddedBroker::~EmbeddedBroker() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(handle_);
}

std::string EmbeddedBroker::bootstrap_servers() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

core::Status EmbeddedBroker::create_topic(std::string_view name, int num_partitions) {
  if (name.empty()) return core::Status::error("embedded broker: a topic needs a name");
  if (num_partitions < 1 || num_partitions > 10'000)
    return core::Status::error("embedded broker: topic '" + std::string(name) +
                               "' needs from 1 to 10000 partitions, got " +
                               std::to_string(num_partitions));
  const int replication = std::min(3, params_.num_brokers);
  const rd_kafka_resp_err_t result = rd_kafka_mock_topic_create(
      cluster_, std::string(name).c_str(), num_partitions, replication);
  if (result != RD_KAFKA_RESP_ERR_NO_ERROR)
    return core::Status::error("embedded broker: cannot create topic '" + std::string(name) +
                               "': " + rd_kafka_err2str(result));
  return core::Status::ok();
}

}  // namespace streamlearn::connectors
