#pragma once

/// The Kafka test kit: what the end-to-end tests of `streamlearn run` (ctest label `kafka`) need
/// around a connectors::EmbeddedBroker started inside the test process.
///
///   KafkaFaults      fault injection into the mock cluster (brokers down/up, request errors,
///                    partition leaders, round-trip delays); the only test code that includes
///                    rdkafka_mock.h, librdkafka's experimental mock API.
///   TestProducer     an idempotent (acks=all) producer for input records, keys and headers.
///   read_topic       reads a whole topic from the beginning, every partition, with no consumer
///                    group; partition_count, partition_leaders and committed_offsets look at
///                    metadata and at a group's commits.
///   ChildProcess     the built `streamlearn` binary (or another program, e.g. `prometheus`) as a
///                    child process (no shell), its stdout and stderr in files, stopped with
///                    SIGTERM or SIGKILL, killed by the destructor.
///   sea_events       deterministic SEA-concept JSON events (and separate label records).
///   EmbeddedBrokerTest  a test fixture with its own broker and scratch directory.
///   summary_line     the JSON summary that ends a process's output.
///
/// These several pieces share one file pair (against the one-class-per-file rule) because they
/// are one tool: a test includes this header and nothing else of Kafka.
///
/// Example:
///   auto broker = connectors::EmbeddedBroker::start({.num_brokers = 3});
///   ASSERT_TRUE((*broker)->create_topic("events", 4));
///   const std::string servers = (*broker)->bootstrap_servers();
///   auto producer = TestProducer::connect(servers);
///   for (const SeaEvent& event : sea_events(1000, /*seed=*/7))
///     ASSERT_TRUE(producer->produce("events", event.key, event.json));
///   ASSERT_TRUE(producer->flush());
///   auto process = ChildProcess::streamlearn({"run", "--config", config.string()}, scratch_dir());
///   auto predictions = read_topic(servers, "predictions", {.expected_count = 1000});
///
/// Caveats of librdkafka 2.0.2's mock cluster that the kit cannot hide:
///  - Request errors pushed with KafkaFaults::push_request_errors are cluster-wide: the next
///    matching request of ANY client (the kit's readers and producers included) takes them. Push
///    them while only the client under test runs, or use push_broker_request_errors.
///  - It answers Metadata v2 at most, so it creates any topic a Metadata request names, with 4
///    partitions, whatever allow.auto.create.topics says: a pipeline that subscribes to or
///    produces into a missing topic creates it. Create topics up front with the partitions meant.
///    The kit's own look-ups ask for all topics and never create one.
///  - Its thread often serves control calls only at its 1 s poll timeout: hold a
///    MockClusterWaker around EmbeddedBroker::create_topic and the broker's destruction
///    (KafkaFaults does so itself). Destruction still takes 1 s now and then (an internal thread's
///    wait).

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace streamlearn::connectors {
class EmbeddedBroker;
}  // namespace streamlearn::connectors

namespace streamlearn::testing {

/// librdkafka properties as name/value pairs, applied in order after the kit's defaults.
using ClientProperties = std::vector<std::pair<std::string, std::string>>;
/// Kafka record headers in order (names may repeat).
using RecordHeaders = std::vector<std::pair<std::string, std::string>>;

/// Kafka protocol request types (ApiKey), for KafkaFaults::push_request_errors.
namespace kafka_api {
inline constexpr std::int16_t kProduce = 0;
inline constexpr std::int16_t kFetch = 1;
inline constexpr std::int16_t kListOffsets = 2;
inline constexpr std::int16_t kMetadata = 3;
inline constexpr std::int16_t kOffsetCommit = 8;
inline constexpr std::int16_t kOffsetFetch = 9;
inline constexpr std::int16_t kFindCoordinator = 10;
inline constexpr std::int16_t kJoinGroup = 11;
inline constexpr std::int16_t kHeartbeat = 12;
inline constexpr std::int16_t kLeaveGroup = 13;
inline constexpr std::int16_t kSyncGroup = 14;
inline constexpr std::int16_t kInitProducerId = 22;
}  // namespace kafka_api

/// Wakes the mock cluster's thread while alive: every 10 ms it opens and closes a loopback
/// connection to each broker of `bootstrap_servers`. librdkafka 2.0.2's mock thread often misses
/// the wake-up of a control call (broker down/up, rtt, topic creation, cluster destruction) and
/// serves it only at its 1 s poll timeout, or on the next client request; with this, such calls
/// take milliseconds. KafkaFaults uses it for every call; a test fixture can hold one while it
/// destroys its EmbeddedBroker (about 1-2 s otherwise).
class MockClusterWaker {
 public:
  explicit MockClusterWaker(const std::string& bootstrap_servers);
  ~MockClusterWaker();
  MockClusterWaker(const MockClusterWaker&) = delete;
  MockClusterWaker& operator=(const MockClusterWaker&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Fault injection into an EmbeddedBroker's mock cluster. Broker ids run from 1 to
/// num_brokers(); -1 means every broker where the mock allows it (down, up, rtt). A bad id is an
/// error naming the valid range. Faults last until undone or until the broker is destroyed; the
/// KafkaFaults object itself holds no state and may be dropped at any time.
class KafkaFaults {
 public:
  explicit KafkaFaults(connectors::EmbeddedBroker& broker) : broker_(broker) {}

  /// Closes the broker's connections and refuses new ones (connection refused). Leadership does
  /// NOT move: partitions it leads are unavailable until broker_up (or set_partition_leader).
  /// A producer's records for them fail with _MSG_TIMED_OUT, noticed at its next reconnect
  /// attempt, so up to a reconnect backoff after message.timeout.ms.
  [[nodiscard]] core::Status broker_down(int broker_id);
  /// Accepts connections again. Clients reconnect on their own at their next attempt: the
  /// reconnect backoff doubles while the broker is down, up to reconnect.backoff.max.ms (librdkafka
  /// default 10 s, so a client may need 10 s to come back; the kit's clients use 1 s).
  [[nodiscard]] core::Status broker_up(int broker_id);
  /// Delays every response of the broker by `rtt_ms` (0 removes the delay).
  [[nodiscard]] core::Status set_rtt(int broker_id, int rtt_ms);
  /// Makes `broker_id` the leader of the partition (-1: leader-less); creates the topic when it
  /// does not exist. Clients learn of it through NOT_LEADER errors and metadata refreshes.
  [[nodiscard]] core::Status set_partition_leader(std::string_view topic, int partition,
                                                  int broker_id);
  /// The next errors.size() requests of type `api_key` (see kafka_api), on any broker and from
  /// any client, fail with these errors in order. RD_KAFKA_RESP_ERR__TRANSPORT disconnects the
  /// client instead. Cluster-wide: see the header's caveat.
  void push_request_errors(std::int16_t api_key, const std::vector<rd_kafka_resp_err_t>& errors);
  /// Drops the errors still pushed for `api_key` on the cluster (not per-broker ones).
  void clear_request_errors(std::int16_t api_key);
  /// An error to answer and the delay before answering, for push_broker_request_errors.
  struct ErrorWithDelay {
    rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR;
    int delay_ms = 0;
  };
  /// Like push_request_errors but for requests to one broker only, each answer delayed; these take
  /// precedence over the cluster-wide errors.
  [[nodiscard]] core::Status push_broker_request_errors(int broker_id, std::int16_t api_key,
                                                        const std::vector<ErrorWithDelay>& errors);
  /// How many of the errors pushed for `broker_id` and `api_key` are not consumed yet.
  [[nodiscard]] core::Result<std::size_t> pending_broker_request_errors(int broker_id,
                                                                        std::int16_t api_key);

 private:
  core::Status check_broker_id(const char* what, int broker_id, bool allow_all) const;

  connectors::EmbeddedBroker& broker_;
};

/// An idempotent producer (enable.idempotence=true, hence acks=all, in-order retries without
/// duplicates) for a test's input records. produce() only queues; flush() waits and reports
/// failed deliveries. Sized for bulk input: about a million records may be queued at once, and
/// 100k small records take well under a second against the embedded broker. Move-only.
class TestProducer {
 public:
  /// Default: linger.ms=5, message.timeout.ms=30000, reconnect.backoff.max.ms=1000 (librdkafka's
  /// 10 s default makes a client take up to 10 s to notice that a broker is back), log_level=3
  /// (errors only); `properties` override these or add any librdkafka property. An unknown
  /// property is an error.
  static core::Result<TestProducer> connect(const std::string& bootstrap_servers,
                                            const ClientProperties& properties = {});
  ~TestProducer();
  TestProducer(TestProducer&& other) noexcept;
  TestProducer& operator=(TestProducer&& other) noexcept;
  TestProducer(const TestProducer&) = delete;
  TestProducer& operator=(const TestProducer&) = delete;

  /// Queues one record; an empty key is sent as no key (null). Waits while the local queue is
  /// full. RD_KAFKA_PARTITION_UA lets the partitioner choose (by key hash when there is a key).
  [[nodiscard]] core::Status produce(std::string_view topic, std::string_view key,
                                     std::string_view value,
                                     std::int32_t partition = RD_KAFKA_PARTITION_UA,
                                     const RecordHeaders& headers = {});
  /// Waits until every queued record is delivered or failed, at most `timeout_ms`. Errors when
  /// records are still in flight at the timeout, when any delivery failed since the previous
  /// flush (the message counts them and names the first error), or when the producer hit a
  /// fatal error (e.g. an idempotence violation).
  [[nodiscard]] core::Status flush(int timeout_ms = 30'000);

  /// Records acknowledged by the cluster since connect().
  std::size_t num_delivered() const;
  /// Records whose delivery failed since connect().
  std::size_t num_failed() const;

 private:
  struct State;
  explicit TestProducer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// One record as read back from a topic. A null key or value reads as "".
struct ConsumedRecord {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string value;
  std::int64_t timestamp_ms = -1;  // -1 when the record has none
  RecordHeaders headers;
};

/// When read_topic stops.
struct ReadOptions {
  /// Done once at least this many records are read AND every partition reported its end, so
  /// records beyond the count (duplicates) are read too. 0: read what the topic holds now.
  std::size_t expected_count = 0;
  /// Give up waiting when nothing arrived for this long (also: while the topic does not exist).
  int idle_timeout_ms = 3'000;
  /// Give up after this long in any case.
  int total_timeout_ms = 20'000;
};

/// Reads `topic` from the beginning of every partition without a consumer group (the legacy
/// simple consumer: only Metadata, ListOffsets and Fetch requests; no FindCoordinator, JoinGroup
/// or OffsetCommit), until done as ReadOptions says or a timeout; a short result is not an error
/// by itself, so compare the count. A topic that does not exist (yet) is waited for up to
/// idle_timeout_ms and then reads as empty; it is never created by the reading. Records come
/// sorted by (partition, offset). Errors when the consumer cannot start, or when fewer than
/// expected_count records arrived and the consumer reported an error (the message names it).
core::Result<std::vector<ConsumedRecord>> read_topic(const std::string& bootstrap_servers,
                                                     std::string_view topic,
                                                     ReadOptions options = {});

/// The number of partitions of `topic`; an error when it does not exist (it is not created).
core::Result<int> partition_count(const std::string& bootstrap_servers, std::string_view topic,
                                  int timeout_ms = 10'000);

/// The leader broker id of each partition of `topic`, indexed by partition (-1: none).
core::Result<std::vector<std::int32_t>> partition_leaders(const std::string& bootstrap_servers,
                                                          std::string_view topic,
                                                          int timeout_ms = 10'000);

/// The offsets `group` committed for each partition of `topic`, indexed by partition;
/// RD_KAFKA_OFFSET_INVALID (-1001) where it has none. Asks as a consumer with that group.id that
/// never subscribes, so it neither joins the group nor disturbs its members.
core::Result<std::vector<std::int64_t>> committed_offsets(const std::string& bootstrap_servers,
                                                          std::string_view group,
                                                          std::string_view topic,
                                                          int timeout_ms = 10'000);

/// A program running as a child process (the built `streamlearn` binary, or another such as
/// Debian's `prometheus`), started with fork/execv (no shell: every argument arrives as given),
/// stdin from /dev/null, stdout and stderr written to `<dir>/<name>.stdout.txt` and
/// `<dir>/<name>.stderr.txt` (truncated first; give processes sharing a dir different names),
/// descriptors other than 0-2 closed, the test's working directory and environment.
/// The child gets SIGKILL when the thread that started it exits (PR_SET_PDEATHSIG), and the
/// destructor kills and reaps it when still running, so a failing or crashing test leaves no
/// orphans. Move-only; not thread-safe.
class ChildProcess {
 public:
  /// Starts `streamlearn <arguments>`. Errors when the binary is missing or cannot be started;
  /// an exec failure in the child shows as exit code 127 with the reason in stderr_text().
  static core::Result<ChildProcess> streamlearn(const std::vector<std::string>& arguments,
                                                const std::filesystem::path& dir,
                                                const std::string& name = "streamlearn");
  /// Starts `program <arguments>` (an absolute path, or a name looked up in PATH).
  static core::Result<ChildProcess> start(const std::filesystem::path& program,
                                          const std::vector<std::string>& arguments,
                                          const std::filesystem::path& dir,
                                          const std::string& name);
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  /// Sends SIGTERM (a graceful stop); nothing once the process was reaped.
  void terminate();
  /// Sends SIGKILL; nothing once the process was reaped.
  void kill();
  /// Sends `signal_number`; nothing once the process was reaped.
  void send_signal(int signal_number);
  /// Waits up to `timeout_ms` for the process to end: its exit code, -N when signal N ended it,
  /// nullopt when it is still running. Once ended, returns the same result at once.
  std::optional<int> wait_for_exit(int timeout_ms);
  /// Whether it is still running (reaps it when it just ended).
  bool running();

  std::string stdout_text() const;
  std::string stderr_text() const;
  std::filesystem::path stdout_path() const { return stdout_path_; }
  std::filesystem::path stderr_path() const { return stderr_path_; }
  /// Polls stdout and stderr until either contains `text`; false after `timeout_ms`, or as soon
  /// as the process ended without printing it.
  bool wait_for_output(std::string_view text, int timeout_ms);

 private:
  ChildProcess(pid_t pid, std::filesystem::path stdout_path, std::filesystem::path stderr_path)
      : pid_(pid), stdout_path_(std::move(stdout_path)), stderr_path_(std::move(stderr_path)) {}
  void reap_if_ended(int options);

  pid_t pid_ = -1;
  std::optional<int> exit_result_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
};

/// What sea_events generates.
struct SeaOptions {
  /// Events carry "label"; when false, the label goes only to SeaEvent::label_json.
  bool with_label = true;
  /// Keys "k0".."k<num_keys-1>", cycling in order.
  std::size_t num_keys = 4;
  /// The id of the first event is "e<first_id>"; the ts of event i is first_ts_ms + i.
  std::uint64_t first_id = 0;
  std::int64_t first_ts_ms = 1'700'000'000'000;
  /// label = x0 + x1 <= threshold ? "1" : "0"; from event index drift_at on, the threshold is
  /// threshold_after_drift (an abrupt concept drift; the default never drifts).
  double threshold = 8.0;
  std::size_t drift_at = std::numeric_limits<std::size_t>::max();
  double threshold_after_drift = 9.5;
};

/// One generated event, with the JSON to produce.
struct SeaEvent {
  std::string id;   // "e17"
  std::string key;  // "k1": also the Kafka record key to produce with
  std::int64_t ts_ms = 0;
  std::array<double, 3> x{};  // uniform in [0, 10), rounded to 2 decimals, as in the JSON
  std::string label;          // "1" or "0"
  /// {"id":"e17","key":"k1","ts":1700000000017,"x0":1.5,"x1":7.25,"x2":3.3,"label":"1"},
  /// without "label" when SeaOptions::with_label is false.
  std::string json;
  /// {"id":"e17","label":"1"}: the separate label record.
  std::string label_json;
};

/// `count` SEA-concept events, the same for the same seed and options (std::mt19937_64; the
/// label is computed from the rounded values, so it agrees with the JSON exactly).
std::vector<SeaEvent> sea_events(std::size_t count, std::uint64_t seed, SeaOptions options = {});

/// The JSON object on the last line of a process's output (the summary `run` ends stdout with and
/// `transform` stderr with); an empty object, and a test failure, when there is none.
nlohmann::json summary_line(std::string output);

/// A test with its own embedded broker of `num_brokers` brokers (started by SetUp; servers_ is its
/// bootstrap list) and a fresh scratch directory dir_. A fixture that does more in SetUp calls
/// this one's first.
class EmbeddedBrokerTest : public ::testing::Test {
 protected:
  explicit EmbeddedBrokerTest(int num_brokers);
  ~EmbeddedBrokerTest() override;

  void SetUp() override;
  /// Creates a topic; a refusal fails the test (wrap the call in ASSERT_NO_FATAL_FAILURE).
  void create_topic(const std::string& name, int partitions);
  /// The `kafka` section of a pipeline configuration for this broker, with the short session
  /// timeout (6 s) and reconnect backoff that keep rebalances and broker restarts quick.
  nlohmann::json kafka_section() const;

  std::unique_ptr<connectors::EmbeddedBroker> broker_;
  std::string servers_;
  std::filesystem::path dir_;

 private:
  int num_brokers_;
};

}  // namespace streamlearn::testing
