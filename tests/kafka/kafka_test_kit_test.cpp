// The Kafka test kit proves each of its pieces against an embedded broker: what it produces reads
// back intact, the faults it injects have the effect the end-to-end tests rely on, and the
// processes it starts report their exit and output.

#include "tests/kafka/kafka_test_kit.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "connectors/kafka/embedded_broker.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class KafkaTestKitTest : public ::testing::Test {
 protected:
  void start_broker(int num_brokers) {
    auto started = connectors::EmbeddedBroker::start({.num_brokers = num_brokers});
    ASSERT_TRUE(started) << started.status().message();
    broker_ = std::move(*started);
    servers_ = broker_->bootstrap_servers();
  }
  void TearDown() override {
    // Without the waker, destroying the mock cluster often takes 1-2 s (see MockClusterWaker).
    if (!broker_) return;
    const MockClusterWaker waker(servers_);
    broker_.reset();
  }
  void create_topic(const std::string& name, int num_partitions) {
    const MockClusterWaker waker(servers_);
    const core::Status status = broker_->create_topic(name, num_partitions);
    ASSERT_TRUE(status) << status.message();
  }

  std::unique_ptr<connectors::EmbeddedBroker> broker_;
  std::string servers_;
};

TEST_F(KafkaTestKitTest, ProducedRecordsReadBackWithKeysValuesAndHeaders) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  ASSERT_NO_FATAL_FAILURE(create_topic("input", 1));
  auto producer = TestProducer::connect(servers_);
  ASSERT_TRUE(producer) << producer.status().message();
  constexpr int kCount = 500;
  for (int i = 0; i < kCount; ++i) {
    const std::string n = std::to_string(i);
    const RecordHeaders headers =
        i % 2 == 0 ? RecordHeaders{{"trace", "t" + n}, {"repeat", "a"}, {"repeat", ""}}
                   : RecordHeaders{};
    const core::Status status = producer->produce("input", "key" + n, "value " + n, 0, headers);
    ASSERT_TRUE(status) << status.message();
  }
  const core::Status keyless = producer->produce("input", "", "no key");
  ASSERT_TRUE(keyless) << keyless.message();
  const core::Status flushed = producer->flush();
  ASSERT_TRUE(flushed) << flushed.message();
  EXPECT_EQ(producer->num_delivered(), kCount + 1u);
  EXPECT_EQ(producer->num_failed(), 0u);

  auto records = read_topic(servers_, "input", {.expected_count = kCount + 1});
  ASSERT_TRUE(records) << records.status().message();
  ASSERT_EQ(records->size(), kCount + 1u);
  for (int i = 0; i < kCount; ++i) {
    const ConsumedRecord& record = (*records)[i];
    const std::string n = std::to_string(i);
    EXPECT_EQ(record.topic, "input");
    EXPECT_EQ(record.partition, 0);
    EXPECT_EQ(record.offset, i);
    EXPECT_EQ(record.key, "key" + n);
    EXPECT_EQ(record.value, "value " + n);
    EXPECT_GT(record.timestamp_ms, 1'600'000'000'000);
    if (i % 2 == 0)
      EXPECT_EQ(record.headers,
                (RecordHeaders{{"trace", "t" + n}, {"repeat", "a"}, {"repeat", ""}}));
    else
      EXPECT_TRUE(record.headers.empty());
  }
  EXPECT_EQ(records->back().key, "");
  EXPECT_EQ(records->back().value, "no key");
}

TEST_F(KafkaTestKitTest, ReadTopicFindsRecordsInEveryPartition) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  ASSERT_NO_FATAL_FAILURE(create_topic("spread", 4));
  auto count = partition_count(servers_, "spread");
  ASSERT_TRUE(count) << count.status().message();
  EXPECT_EQ(*count, 4);

  auto producer = TestProducer::connect(servers_);
  ASSERT_TRUE(producer) << producer.status().message();
  // Explicit partitions (1, 2, 3 and 4 records), then keyed records the partitioner spreads.
  std::map<std::int32_t, int> explicit_counts;
  for (std::int32_t partition = 0; partition < 4; ++partition) {
    for (int i = 0; i <= partition; ++i) {
      ASSERT_TRUE(producer->produce("spread", "", "p" + std::to_string(partition), partition));
      ++explicit_counts[partition];
    }
  }
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE(producer->produce("spread", "k" + std::to_string(i), "keyed"));
  const core::Status flushed = producer->flush();
  ASSERT_TRUE(flushed) << flushed.message();

  auto records = read_topic(servers_, "spread", {.expected_count = 210});
  ASSERT_TRUE(records) << records.status().message();
  ASSERT_EQ(records->size(), 210u);
  std::map<std::int32_t, std::int64_t> next_offset;
  std::map<std::int32_t, int> explicit_seen;
  for (const ConsumedRecord& record : *records) {
    // Sorted by partition, then offset, with no gaps.
    EXPECT_EQ(record.offset, next_offset[record.partition]++) << record.partition;
    if (record.value != "keyed") {
      EXPECT_EQ(record.value, "p" + std::to_string(record.partition));
      ++explicit_seen[record.partition];
    }
  }
  EXPECT_EQ(explicit_seen, explicit_counts);
  ASSERT_EQ(next_offset.size(), 4u);
  for (const auto& [partition, end] : next_offset) EXPECT_GT(end, explicit_counts[partition]);
}

TEST_F(KafkaTestKitTest, MissingTopicReadsAsEmptyAfterTheIdleTimeoutAndIsNotCreated) {
  ASSERT_NO_FATAL_FAILURE(start_broker(1));
  const Clock::time_point start = Clock::now();
  auto records = read_topic(servers_, "absent", {.idle_timeout_ms = 500});
  ASSERT_TRUE(records) << records.status().message();
  EXPECT_TRUE(records->empty());
  EXPECT_LT(seconds_since(start), 5.0);

  auto count = partition_count(servers_, "absent");
  ASSERT_FALSE(count);
  EXPECT_NE(count.status().message().find("does not exist"), std::string::npos)
      << count.status().message();
  EXPECT_FALSE(committed_offsets(servers_, "group", "absent"));
}

TEST_F(KafkaTestKitTest, EmptyTopicReadsAsEmptyWithoutWaitingForTheIdleTimeout) {
  ASSERT_NO_FATAL_FAILURE(start_broker(1));
  ASSERT_NO_FATAL_FAILURE(create_topic("empty", 3));
  const Clock::time_point start = Clock::now();
  auto records = read_topic(servers_, "empty", {.idle_timeout_ms = 15'000});
  ASSERT_TRUE(records) << records.status().message();
  EXPECT_TRUE(records->empty());
  // Every partition reported its end: no need to sit out the idle timeout.
  EXPECT_LT(seconds_since(start), 10.0);
}

TEST_F(KafkaTestKitTest, ProducesAndReadsBackOneHundredThousandSeaEvents) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 4));
  constexpr std::size_t kCount = 100'000;
  const std::vector<SeaEvent> events = sea_events(kCount, /*seed=*/42);
  auto producer = TestProducer::connect(servers_);
  ASSERT_TRUE(producer) << producer.status().message();
  const Clock::time_point start = Clock::now();
  for (const SeaEvent& event : events)
    ASSERT_TRUE(producer->produce("events", event.key, event.json));
  const core::Status flushed = producer->flush();
  ASSERT_TRUE(flushed) << flushed.message();
  const double produce_seconds = seconds_since(start);

  const Clock::time_point read_start = Clock::now();
  auto records = read_topic(servers_, "events", {.expected_count = kCount});
  ASSERT_TRUE(records) << records.status().message();
  const double read_seconds = seconds_since(read_start);
  std::cout << "[ info ] produced " << kCount << " events in " << produce_seconds
            << " s, read them back in " << read_seconds << " s\n";
  RecordProperty("produce_seconds", std::to_string(produce_seconds));
  RecordProperty("read_seconds", std::to_string(read_seconds));

  ASSERT_EQ(records->size(), kCount);
  std::map<std::string, std::string> value_by_id;
  for (const SeaEvent& event : events) value_by_id[event.id] = event.json;
  std::set<std::string> seen;
  std::map<std::string, std::int32_t> partition_of_key;
  for (const ConsumedRecord& record : *records) {
    const std::string id = nlohmann::json::parse(record.value)["id"].get<std::string>();
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
    EXPECT_EQ(record.value, value_by_id[id]);
    // A key always lands on the same partition.
    auto [it, inserted] = partition_of_key.try_emplace(record.key, record.partition);
    EXPECT_EQ(it->second, record.partition) << record.key;
  }
  EXPECT_EQ(seen.size(), kCount);
}

TEST_F(KafkaTestKitTest, BrokerDownFailsDeliveryAndBrokerUpLetsALaterOneSucceed) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  ASSERT_NO_FATAL_FAILURE(create_topic("orders", 1));
  auto leaders = partition_leaders(servers_, "orders");
  ASSERT_TRUE(leaders) << leaders.status().message();
  ASSERT_EQ(leaders->size(), 1u);
  const int leader = (*leaders)[0];
  ASSERT_GE(leader, 1);

  auto producer = TestProducer::connect(servers_, {{"message.timeout.ms", "1500"}});
  ASSERT_TRUE(producer) << producer.status().message();
  ASSERT_TRUE(producer->produce("orders", "k", "before"));
  ASSERT_TRUE(producer->flush(5'000));

  KafkaFaults faults(*broker_);
  ASSERT_TRUE(faults.broker_down(leader));
  Clock::time_point start = Clock::now();
  ASSERT_TRUE(producer->produce("orders", "k", "while down"));
  const core::Status failed = producer->flush(10'000);
  ASSERT_FALSE(failed);
  std::cout << "[ info ] with the leader down, flush failed after " << seconds_since(start)
            << " s: " << failed.message() << "\n";
  EXPECT_NE(failed.message().find("1 record(s) failed"), std::string::npos) << failed.message();
  EXPECT_NE(failed.message().find("_MSG_TIMED_OUT"), std::string::npos) << failed.message();
  EXPECT_EQ(producer->num_failed(), 1u);

  ASSERT_TRUE(faults.broker_up(leader));
  // The producer reconnects on its own after its reconnect backoff (which grew while the broker
  // was down); an attempt may time out like the one above until then.
  start = Clock::now();
  int attempts = 0;
  core::Status delivered = core::Status::error("no attempt");
  while (!delivered && seconds_since(start) < 15.0) {
    ++attempts;
    ASSERT_TRUE(producer->produce("orders", "k", "after"));
    delivered = producer->flush(10'000);
  }
  ASSERT_TRUE(delivered) << delivered.message();
  // With the kit's reconnect.backoff.max.ms of 1 s; librdkafka's default (10 s) takes up to 10 s.
  EXPECT_LT(seconds_since(start), 6.0);
  std::cout << "[ info ] after broker_up, a record was delivered within " << seconds_since(start)
            << " s, at attempt " << attempts << "\n";

  auto records = read_topic(servers_, "orders", {.expected_count = 2});
  ASSERT_TRUE(records) << records.status().message();
  ASSERT_GE(records->size(), 2u);
  EXPECT_EQ(records->front().value, "before");
  for (std::size_t i = 1; i < records->size(); ++i) EXPECT_EQ((*records)[i].value, "after");
}

TEST_F(KafkaTestKitTest, BadBrokerIdsAreErrorsNamingTheValidRange) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  KafkaFaults faults(*broker_);
  for (int id : {0, 4, -2}) {
    const core::Status status = faults.broker_down(id);
    ASSERT_FALSE(status) << id;
    EXPECT_NE(status.message().find("ids are 1..3"), std::string::npos) << status.message();
  }
  EXPECT_FALSE(faults.set_partition_leader("t", 0, 9));
  EXPECT_FALSE(faults.push_broker_request_errors(-1, kafka_api::kProduce, {{}}));
  EXPECT_FALSE(faults.set_rtt(1, -5));
  // -1 means every broker where the mock allows it.
  EXPECT_TRUE(faults.broker_down(-1));
  EXPECT_TRUE(faults.broker_up(-1));
}

TEST_F(KafkaTestKitTest, FaultCallsTakeEffectPromptlyWithoutClientTraffic) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  KafkaFaults faults(*broker_);
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(faults.broker_down(2));
    ASSERT_TRUE(faults.broker_up(2));
  }
  // Without MockClusterWaker about a third of these calls wait out the mock's 1 s poll.
  EXPECT_LT(seconds_since(start), 2.0);
}

TEST_F(KafkaTestKitTest, PushedProduceErrorsReachAProducerThatDoesNotRetry) {
  ASSERT_NO_FATAL_FAILURE(start_broker(1));
  ASSERT_NO_FATAL_FAILURE(create_topic("plain", 1));
  auto producer = TestProducer::connect(
      servers_, {{"enable.idempotence", "false"}, {"acks", "1"}, {"retries", "0"}});
  ASSERT_TRUE(producer) << producer.status().message();
  // Connect first, so that the pushed error meets the record's Produce request.
  ASSERT_TRUE(producer->produce("plain", "", "warm-up"));
  ASSERT_TRUE(producer->flush());
  KafkaFaults faults(*broker_);
  faults.push_request_errors(kafka_api::kProduce, {RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS});
  ASSERT_TRUE(producer->produce("plain", "", "refused"));
  const core::Status status = producer->flush();
  ASSERT_FALSE(status);
  EXPECT_NE(status.message().find("NOT_ENOUGH_REPLICAS"), std::string::npos) << status.message();
  // One error was pushed: the next record goes through.
  ASSERT_TRUE(producer->produce("plain", "", "accepted"));
  const core::Status next = producer->flush();
  EXPECT_TRUE(next) << next.message();
}

TEST_F(KafkaTestKitTest, RetriableProduceErrorsStillDeliverEverythingOnceAndInOrder) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  ASSERT_NO_FATAL_FAILURE(create_topic("retried", 2));
  auto producer = TestProducer::connect(servers_);
  ASSERT_TRUE(producer) << producer.status().message();
  ASSERT_TRUE(producer->produce("retried", "", "warm-up", 0));
  ASSERT_TRUE(producer->produce("retried", "", "warm-up", 1));
  ASSERT_TRUE(producer->flush());

  KafkaFaults faults(*broker_);
  faults.push_request_errors(
      kafka_api::kProduce,
      {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
       RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
       RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
  // Also on one broker, each answer delayed, and countable: proof that the faults were met.
  auto leaders = partition_leaders(servers_, "retried");
  ASSERT_TRUE(leaders) << leaders.status().message();
  const int leader = (*leaders)[0];
  ASSERT_TRUE(faults.push_broker_request_errors(
      leader, kafka_api::kProduce,
      {{RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, 50}, {RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, 50}}));
  auto pending = faults.pending_broker_request_errors(leader, kafka_api::kProduce);
  ASSERT_TRUE(pending) << pending.status().message();
  EXPECT_EQ(*pending, 2u);

  constexpr int kCount = 3'000;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(producer->produce("retried", "", std::to_string(i), i % 2));
    // Small batches, so that there are many Produce requests to fail.
    if (i % 100 == 99) {
      ASSERT_TRUE(producer->flush());
    }
  }
  const core::Status flushed = producer->flush();
  ASSERT_TRUE(flushed) << flushed.message();
  EXPECT_EQ(producer->num_failed(), 0u);
  pending = faults.pending_broker_request_errors(leader, kafka_api::kProduce);
  ASSERT_TRUE(pending) << pending.status().message();
  EXPECT_EQ(*pending, 0u);

  auto records = read_topic(servers_, "retried", {.expected_count = kCount + 2});
  ASSERT_TRUE(records) << records.status().message();
  ASSERT_EQ(records->size(), kCount + 2u);  // no record lost, none twice
  std::map<std::int32_t, int> last;
  for (const ConsumedRecord& record : *records) {
    if (record.value == "warm-up") continue;
    const int value = std::stoi(record.value);
    EXPECT_EQ(value % 2, record.partition);
    auto [it, inserted] = last.try_emplace(record.partition, value);
    if (!inserted) {
      EXPECT_EQ(value, it->second + 2) << "out of order on partition " << record.partition;
      it->second = value;
    }
  }
}

TEST_F(KafkaTestKitTest, SetPartitionLeaderMovesLeadershipAndClientsFollow) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  ASSERT_NO_FATAL_FAILURE(create_topic("moving", 1));
  auto before = partition_leaders(servers_, "moving");
  ASSERT_TRUE(before) << before.status().message();
  const int new_leader = (*before)[0] % 3 + 1;

  auto producer = TestProducer::connect(servers_);
  ASSERT_TRUE(producer) << producer.status().message();
  ASSERT_TRUE(producer->produce("moving", "", "first"));
  ASSERT_TRUE(producer->flush());

  KafkaFaults faults(*broker_);
  ASSERT_TRUE(faults.set_partition_leader("moving", 0, new_leader));
  auto after = partition_leaders(servers_, "moving");
  ASSERT_TRUE(after) << after.status().message();
  EXPECT_EQ((*after)[0], new_leader);

  // The producer still talks to the old leader, is told NOT_LEADER, and follows.
  ASSERT_TRUE(producer->produce("moving", "", "second"));
  const core::Status flushed = producer->flush();
  ASSERT_TRUE(flushed) << flushed.message();
  auto records = read_topic(servers_, "moving", {.expected_count = 2});
  ASSERT_TRUE(records) << records.status().message();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].value, "second");
}

TEST_F(KafkaTestKitTest, SetRttDelaysEveryAnswer) {
  ASSERT_NO_FATAL_FAILURE(start_broker(1));
  ASSERT_NO_FATAL_FAILURE(create_topic("slow", 1));
  auto producer = TestProducer::connect(servers_, {{"linger.ms", "0"}});
  ASSERT_TRUE(producer) << producer.status().message();
  ASSERT_TRUE(producer->produce("slow", "", "warm-up"));
  ASSERT_TRUE(producer->flush());

  KafkaFaults faults(*broker_);
  ASSERT_TRUE(faults.set_rtt(1, 400));
  Clock::time_point start = Clock::now();
  ASSERT_TRUE(producer->produce("slow", "", "delayed"));
  ASSERT_TRUE(producer->flush());
  const double delayed_seconds = seconds_since(start);
  EXPECT_GE(delayed_seconds, 0.35);

  ASSERT_TRUE(faults.set_rtt(1, 0));
  start = Clock::now();
  ASSERT_TRUE(producer->produce("slow", "", "prompt"));
  ASSERT_TRUE(producer->flush());
  std::cout << "[ info ] produce round trip with rtt 400 ms: " << delayed_seconds
            << " s, with rtt 0: " << seconds_since(start) << " s\n";
}

TEST_F(KafkaTestKitTest, CommittedOffsetsAreInvalidUntilAGroupMemberCommits) {
  ASSERT_NO_FATAL_FAILURE(start_broker(3));
  ASSERT_NO_FATAL_FAILURE(create_topic("consumed", 2));
  auto none = committed_offsets(servers_, "readers", "consumed");
  ASSERT_TRUE(none) << none.status().message();
  EXPECT_EQ(*none, (std::vector<std::int64_t>{RD_KAFKA_OFFSET_INVALID, RD_KAFKA_OFFSET_INVALID}));

  auto producer = TestProducer::connect(servers_);
  ASSERT_TRUE(producer) << producer.status().message();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(producer->produce("consumed", "", "a", 0));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(producer->produce("consumed", "", "b", 1));
  ASSERT_TRUE(producer->flush());

  // A group member as a pipeline runs one: subscribe, consume everything, commit.
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [name, value] : ClientProperties{{"bootstrap.servers", servers_},
                                                    {"group.id", "readers"},
                                                    {"session.timeout.ms", "6000"},
                                                    {"auto.offset.reset", "earliest"},
                                                    {"enable.auto.commit", "false"},
                                                    {"log_level", "3"}})
    ASSERT_EQ(rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)),
              RD_KAFKA_CONF_OK)
        << error;
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  ASSERT_NE(consumer, nullptr) << error;
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, "consumed", RD_KAFKA_PARTITION_UA);
  EXPECT_EQ(rd_kafka_subscribe(consumer, topics), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(topics);
  const Clock::time_point start = Clock::now();
  int consumed = 0;
  while (consumed < 8 && seconds_since(start) < 15.0) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 100);
    if (!message) continue;
    if (!message->err) ++consumed;
    rd_kafka_message_destroy(message);
  }
  std::cout << "[ info ] the group member joined and consumed " << consumed << " records in "
            << seconds_since(start) << " s\n";
  EXPECT_EQ(consumed, 8);
  EXPECT_EQ(rd_kafka_commit(consumer, nullptr, /*async=*/0), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);

  auto committed = committed_offsets(servers_, "readers", "consumed");
  ASSERT_TRUE(committed) << committed.status().message();
  EXPECT_EQ(*committed, (std::vector<std::int64_t>{5, 3}));
  // Another group's offsets are its own.
  auto other = committed_offsets(servers_, "others", "consumed");
  ASSERT_TRUE(other) << other.status().message();
  EXPECT_EQ(*other, (std::vector<std::int64_t>{RD_KAFKA_OFFSET_INVALID, RD_KAFKA_OFFSET_INVALID}));
}

TEST_F(KafkaTestKitTest, ChildProcessRunsTheBrokerCommandUntilSigtermThenExitsZero) {
  const std::filesystem::path dir = scratch_dir();
  auto process = ChildProcess::streamlearn({"broker", "--brokers", "1", "--topic", "seen:2"}, dir);
  ASSERT_TRUE(process) << process.status().message();
  EXPECT_GT(process->pid(), 0);
  ASSERT_TRUE(process->wait_for_output("bootstrap.servers=", 10'000)) << process->stderr_text();
  const std::string out = process->stdout_text();
  ASSERT_EQ(out.rfind("bootstrap.servers=", 0), 0u) << out;
  EXPECT_EQ(process->stdout_path(), dir / "streamlearn.stdout.txt");

  // The child's broker serves this process's clients.
  const std::string servers = out.substr(18, out.find('\n') - 18);
  auto count = partition_count(servers, "seen");
  ASSERT_TRUE(count) << count.status().message();
  EXPECT_EQ(*count, 2);

  EXPECT_FALSE(process->wait_for_exit(100).has_value());
  EXPECT_TRUE(process->running());
  process->terminate();
  EXPECT_EQ(process->wait_for_exit(10'000), std::optional<int>(0));
  EXPECT_FALSE(process->running());
  EXPECT_NE(process->stderr_text().find("stopping (SIGTERM)"), std::string::npos)
      << process->stderr_text();
}

TEST_F(KafkaTestKitTest, ChildProcessKilledBySigkillReportsTheSignal) {
  auto process = ChildProcess::streamlearn({"broker", "--brokers", "1"}, scratch_dir(), "victim");
  ASSERT_TRUE(process) << process.status().message();
  ASSERT_TRUE(process->wait_for_output("bootstrap.servers=", 10'000)) << process->stderr_text();
  process->kill();
  EXPECT_EQ(process->wait_for_exit(10'000), std::optional<int>(-SIGKILL));
  // Signalling an ended process does nothing (its pid may be reused).
  process->terminate();
  EXPECT_EQ(process->wait_for_exit(0), std::optional<int>(-SIGKILL));
  EXPECT_EQ(process->stderr_text().find("stopping"), std::string::npos);
}

TEST_F(KafkaTestKitTest, ChildProcessPassesArgumentsVerbatimAndKeepsExitCodeAndStderr) {
  // No shell: the space and the quote reach the command as they are.
  auto process = ChildProcess::streamlearn({"broker", "--topic", "it's here:zero", "--topic", ":2"},
                                        scratch_dir());
  ASSERT_TRUE(process) << process.status().message();
  EXPECT_EQ(process->wait_for_exit(10'000), std::optional<int>(2));
  const std::string err = process->stderr_text();
  EXPECT_NE(err.find("--topic 'it's here:zero': write NAME:PARTITIONS"), std::string::npos) << err;
  EXPECT_NE(err.find("the name is empty"), std::string::npos) << err;
  EXPECT_EQ(process->stdout_text(), "");
  // It ended without printing this: wait_for_output does not sit out its timeout.
  const Clock::time_point start = Clock::now();
  EXPECT_FALSE(process->wait_for_output("bootstrap.servers=", 10'000));
  EXPECT_LT(seconds_since(start), 5.0);
}

TEST_F(KafkaTestKitTest, ChildProcessDestructorKillsARunningProcess) {
  pid_t pid = 0;
  {
    auto process = ChildProcess::streamlearn({"broker", "--brokers", "1"}, scratch_dir());
    ASSERT_TRUE(process) << process.status().message();
    ASSERT_TRUE(process->wait_for_output("bootstrap.servers=", 10'000));
    pid = process->pid();
    ASSERT_EQ(::kill(pid, 0), 0);
    // A moved-from process owns nothing: only the new owner kills.
    ChildProcess owner = std::move(*process);
    EXPECT_EQ(owner.pid(), pid);
  }
  // Killed and reaped: no such process any more (not even a zombie).
  errno = 0;
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST_F(KafkaTestKitTest, SeaEventsAreDeterministicAndFollowTheSeaConcept) {
  const std::vector<SeaEvent> events = sea_events(1'000, /*seed=*/7);
  ASSERT_EQ(events.size(), 1'000u);
  const std::vector<SeaEvent> again = sea_events(1'000, /*seed=*/7);
  const std::vector<SeaEvent> other = sea_events(1'000, /*seed=*/8);
  int differ = 0;
  int positives = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const SeaEvent& event = events[i];
    EXPECT_EQ(event.json, again[i].json);
    differ += event.json != other[i].json;
    const auto json = nlohmann::json::parse(event.json);
    EXPECT_EQ(json["id"], "e" + std::to_string(i));
    EXPECT_EQ(json["key"], "k" + std::to_string(i % 4));
    EXPECT_EQ(json["ts"].get<std::int64_t>(), 1'700'000'000'000 + static_cast<std::int64_t>(i));
    const double x0 = json["x0"].get<double>();
    const double x1 = json["x1"].get<double>();
    EXPECT_EQ(x0, event.x[0]);
    EXPECT_EQ(json["x2"].get<double>(), event.x[2]);
    for (const char* name : {"x0", "x1", "x2"}) {
      EXPECT_GE(json[name].get<double>(), 0.0);
      EXPECT_LT(json[name].get<double>(), 10.0);
    }
    EXPECT_EQ(json["label"], x0 + x1 <= 8.0 ? "1" : "0") << event.json;
    EXPECT_EQ(event.label, json["label"]);
    positives += event.label == "1";
    EXPECT_EQ(nlohmann::json::parse(event.label_json),
              (nlohmann::json{{"id", event.id}, {"label", event.label}}));
  }
  EXPECT_GT(differ, 990);
  // P(x0 + x1 <= 8) = 0.32 for uniform [0, 10) features.
  EXPECT_NEAR(positives / 1000.0, 0.32, 0.05);
}

TEST_F(KafkaTestKitTest, SeaEventsCanLeaveOutTheLabelAndDrift) {
  const std::vector<SeaEvent> events = sea_events(
      2'000, /*seed=*/3,
      {.with_label = false, .num_keys = 2, .first_id = 100, .first_ts_ms = 5, .drift_at = 1'000});
  ASSERT_EQ(events.size(), 2'000u);
  EXPECT_EQ(events[0].json.find("label"), std::string::npos);
  EXPECT_EQ(events[0].id, "e100");
  EXPECT_EQ(events[3].key, "k1");
  EXPECT_EQ(events[3].ts_ms, 8);
  int before = 0;
  int after = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto json = nlohmann::json::parse(events[i].json);
    EXPECT_FALSE(json.contains("label"));
    const double sum = json["x0"].get<double>() + json["x1"].get<double>();
    EXPECT_EQ(events[i].label, sum <= (i < 1'000 ? 8.0 : 9.5) ? "1" : "0");
    (i < 1'000 ? before : after) += events[i].label == "1";
  }
  // The concept changed: P(x0 + x1 <= 9.5) = 0.45 against 0.32 before.
  EXPECT_GT(after - before, 60);
}

}  // namespace
}  // namespace streamlearn::testing
