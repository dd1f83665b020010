#pragma once

/// EmbeddedBroker: a Kafka-protocol cluster on loopback for local use, demos and tests, built on
/// librdkafka's mock cluster (rdkafka_mock.h). Clients connect to bootstrap_servers() as to any
/// Kafka cluster: produce, consume, consumer groups, rebalances and commits work.
///
/// Limits (librdkafka's mock, not ours): data lives in memory only; about 5 MB is retained per
/// partition and older data is dropped silently; transactions are accepted but not enforced;
/// offsetsForTimes returns -1 (no timestamp lookup); there is no Admin API, so topics are
/// created here (create_topic). With the default 45 s session.timeout.ms, a rebalance looks like
/// a hang: clients should use about 6 s against it.
///
/// The mock API is experimental; it is touched only here and in the tests' fault-injection
/// helper. Thread-safe as librdkafka's mock cluster is (it runs on its own threads).
///
/// Example:
///   auto broker = EmbeddedBroker::start({.num_brokers = 3});
///   (*broker)->create_topic("events", 4);
///   std::string servers = (*broker)->bootstrap_servers();  // "127.0.0.1:40357,..."

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace streamlearn::connectors {

class EmbeddedBroker {
 public:
  struct Params {
    int num_brokers = 3;
  };

  static core::Result<std::unique_ptr<EmbeddedBroker>> start(Params params);
  ~EmbeddedBroker();
  EmbeddedBroker(const EmbeddedBroker&) = delete;
  EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

  /// "host:port,host:port,...", for bootstrap.servers.
  std::string bootstrap_servers() const;
  /// Creates a topic with `num_partitions` partitions, replicated on min(3, brokers) brokers.
  [[nodiscard]] core::Status create_topic(std::string_view name, int num_partitions);

  int num_brokers() const { return params_.num_brokers; }
  /// The mock cluster, for the tests' fault-injection helper only.
  rd_kafka_mock_cluster_s* mock_cluster() const { return cluster_; }

 private:
  EmbeddedBroker(Params params, rd_kafka_s* handle, rd_kafka_mock_cluster_s* cluster)
      : params_(params), handle_(handle), cluster_(cluster) {}

  Params params_;
  rd_kafka_s* handle_;
  rd_kafka_mock_cluster_s* cluster_;
};

}  // namespace streamlearn::connectors
