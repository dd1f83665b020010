#include "tests/kafka/kafka_test_kit.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <system_error>
#include <thread>

#include "connectors/kafka/embedded_broker.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

using Clock = std::chrono::steady_clock;

int elapsed_ms(Clock::time_point since) {
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

std::string error_text(rd_kafka_resp_err_t error) {
  return std::string(rd_kafka_err2name(error)) + ": " + rd_kafka_err2str(error);
}

// A librdkafka configuration with the kit's defaults, then `properties`, applied in order.
core::Result<rd_kafka_conf_t*> make_conf(const char* client, const ClientProperties& defaults,
                                         const ClientProperties& properties) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  for (const ClientProperties* list : {&defaults, &properties}) {
    for (const auto& [name, value] : *list) {
      if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)) !=
          RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return core::Status::error(std::string(client) + ": property " + name + "=" + value + ": " +
                                   error);
      }
    }
  }
  return conf;
}

// Owns an rd_kafka_t; closes a consumer that has a group before destroying it.
struct ClientHandle {
  rd_kafka_t* handle = nullptr;
  bool close_consumer = false;

  ClientHandle() = default;
  ClientHandle(const ClientHandle&) = delete;
  ClientHandle& operator=(const ClientHandle&) = delete;
  ~ClientHandle() {
    if (!handle) return;
    if (close_consumer) rd_kafka_consumer_close(handle);
    rd_kafka_destroy(handle);
  }
};

// Creates a consumer that never subscribes: for metadata, committed offsets and the legacy
// per-partition fetches of read_topic. Topics are never created on its behalf.
core::Status new_consumer(const char* client, const std::string& servers,
                          const ClientProperties& properties, ClientHandle* out) {
  const ClientProperties defaults = {{"bootstrap.servers", servers},
                                     {"log_level", "3"},
                                     {"reconnect.backoff.max.ms", "1000"},
                                     {"allow.auto.create.topics", "false"},
                                     {"enable.auto.commit", "false"}};
  auto conf = make_conf(client, defaults, properties);
  if (!conf) return conf.status();
  char error[512];
  out->handle = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, error, sizeof(error));
  if (!out->handle) {
    rd_kafka_conf_destroy(*conf);
    return core::Status::error(std::string(client) + ": cannot create the consumer: " + error);
  }
  return core::Status::ok();
}

// What the metadata says of one topic: nullopt when it does not exist, else the leader of each
// partition. It asks for all topics: the mock answers Metadata v2 at most, and then creates any
// topic a request names, whatever allow.auto.create.topics says.
core::Result<std::optional<std::vector<std::int32_t>>> topic_leaders(rd_kafka_t* handle,
                                                                     std::string_view topic,
                                                                     int timeout_ms) {
  const Clock::time_point start = Clock::now();
  while (true) {
    const struct rd_kafka_metadata* metadata = nullptr;
    rd_kafka_resp_err_t error = rd_kafka_metadata(handle, /*all_topics=*/1, nullptr, &metadata,
                                                  std::max(100, timeout_ms - elapsed_ms(start)));
    if (!error) {
      std::optional<std::vector<std::int32_t>> leaders;
      for (int t = 0; t < metadata->topic_cnt; ++t) {
        const auto& entry = metadata->topics[t];
        if (topic != entry.topic) continue;
        error = entry.err;
        if (error) break;
        leaders.emplace(entry.partition_cnt, -1);
        for (int i = 0; i < entry.partition_cnt; ++i) {
          const auto& partition = entry.partitions[i];
          if (partition.id >= 0 && partition.id < entry.partition_cnt)
            (*leaders)[partition.id] = partition.leader;
        }
      }
      rd_kafka_metadata_destroy(metadata);
      if (!error) return leaders;
    }
    // No broker reachable yet, or the topic's leader not available: ask again.
    if (elapsed_ms(start) >= timeout_ms)
      return core::Status::error("metadata of topic '" + std::string(topic) + "': no answer in " +
                                 std::to_string(timeout_ms) + " ms (" + error_text(error) + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string read_file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void append_number(std::string* out, double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, error == std::errc() ? end : buffer);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// MockClusterWaker

struct MockClusterWaker::State {
  std::vector<sockaddr_in> brokers;
  std::mutex mutex;
  std::condition_variable stopped;
  bool stop = false;  // guarded by mutex
  std::thread thread;
};

MockClusterWaker::MockClusterWaker(const std::string& bootstrap_servers)
    : state_(std::make_unique<State>()) {
  std::size_t begin = 0;
  while (begin < bootstrap_servers.size()) {
    std::size_t end = bootstrap_servers.find(',', begin);
    if (end == std::string::npos) end = bootstrap_servers.size();
    const std::string server = bootstrap_servers.substr(begin, end - begin);
    begin = end + 1;
    const std::size_t colon = server.rfind(':');
    if (colon == std::string::npos) continue;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    int port = 0;
    const char* port_text = server.c_str() + colon + 1;
    if (std::from_chars(port_text, server.c_str() + server.size(), port).ec != std::errc() ||
        inet_pton(AF_INET, server.substr(0, colon).c_str(), &address.sin_addr) != 1)
      continue;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    state_->brokers.push_back(address);
  }
  state_->thread = std::thread([state = state_.get()] {
    while (true) {
      for (const sockaddr_in& address : state->brokers) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        // Refused (a broker that is down) is fine: another broker's listener wakes the thread.
        [[maybe_unused]] const int connected =
            ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
        ::close(fd);
      }
      std::unique_lock lock(state->mutex);
      if (state->stopped.wait_for(lock, std::chrono::milliseconds(10),
                                  [state] { return state->stop; }))
        return;
    }
  });
}

MockClusterWaker::~MockClusterWaker() {
  {
    const std::lock_guard lock(state_->mutex);
    state_->stop = true;
  }
  state_->stopped.notify_all();
  state_->thread.join();
}

// ---------------------------------------------------------------------------------------------
// KafkaFaults

core::Status KafkaFaults::check_broker_id(const char* what, int broker_id, bool allow_all) const {
  if ((broker_id >= 1 && broker_id <= broker_.num_brokers()) || (allow_all && broker_id == -1))
    return core::Status::ok();
  return core::Status::error(std::string("KafkaFaults::") + what + ": no broker " +
                             std::to_string(broker_id) + "; the ids are 1.." +
                             std::to_string(broker_.num_brokers()) +
                             (allow_all ? " (or -1 for all)" : ""));
}

namespace {

core::Status mock_result(const char* what, rd_kafka_resp_err_t error) {
  if (!error) return core::Status::ok();
  return core::Status::error(std::string("KafkaFaults::") + what +
                             ": the mock cluster refused: " + error_text(error));
}

}  // namespace

core::Status KafkaFaults::broker_down(int broker_id) {
  SL_RETURN_IF_ERROR(check_broker_id("broker_down", broker_id, true));
  const MockClusterWaker waker(broker_.bootstrap_servers());
  return mock_result("broker_down",
                     rd_kafka_mock_broker_set_down(broker_.mock_cluster(), broker_id));
}

core::Status KafkaFaults::broker_up(int broker_id) {
  SL_RETURN_IF_ERROR(check_broker_id("broker_up", broker_id, true));
  const MockClusterWaker waker(broker_.bootstrap_servers());
  return mock_result("broker_up", rd_kafka_mock_broker_set_up(broker_.mock_cluster(), broker_id));
}

core::Status KafkaFaults::set_rtt(int broker_id, int rtt_ms) {
  SL_RETURN_IF_ERROR(check_broker_id("set_rtt", broker_id, true));
  if (rtt_ms < 0) return core::Status::error("KafkaFaults::set_rtt: rtt_ms must be >= 0");
  const MockClusterWaker waker(broker_.bootstrap_servers());
  return mock_result("set_rtt",
                     rd_kafka_mock_broker_set_rtt(broker_.mock_cluster(), broker_id, rtt_ms));
}

core::Status KafkaFaults::set_partition_leader(std::string_view topic, int partition,
                                               int broker_id) {
  SL_RETURN_IF_ERROR(check_broker_id("set_partition_leader", broker_id, true));
  if (topic.empty()) return core::Status::error("KafkaFaults::set_partition_leader: no topic");
  const MockClusterWaker waker(broker_.bootstrap_servers());
  return mock_result("set_partition_leader",
                     rd_kafka_mock_partition_set_leader(
                         broker_.mock_cluster(), std::string(topic).c_str(), partition, broker_id));
}

void KafkaFaults::push_request_errors(std::int16_t api_key,
                                      const std::vector<rd_kafka_resp_err_t>& errors) {
  if (errors.empty()) return;
  const MockClusterWaker waker(broker_.bootstrap_servers());
  rd_kafka_mock_push_request_errors_array(broker_.mock_cluster(), api_key, errors.size(),
                                          errors.data());
}

void KafkaFaults::clear_request_errors(std::int16_t api_key) {
  const MockClusterWaker waker(broker_.bootstrap_servers());
  rd_kafka_mock_clear_request_errors(broker_.mock_cluster(), api_key);
}

core::Status KafkaFaults::push_broker_request_errors(int broker_id, std::int16_t api_key,
                                                     const std::vector<ErrorWithDelay>& errors) {
  SL_RETURN_IF_ERROR(check_broker_id("push_broker_request_errors", broker_id, false));
  const MockClusterWaker waker(broker_.bootstrap_servers());
  // The mock takes these only as variadic (error, rtt) pairs; one call per pair keeps the order.
  for (const ErrorWithDelay& entry : errors) {
    SL_RETURN_IF_ERROR(mock_result(
        "push_broker_request_errors",
        rd_kafka_mock_broker_push_request_error_rtts(broker_.mock_cluster(), broker_id, api_key, 1,
                                                     entry.error, entry.delay_ms)));
  }
  return core::Status::ok();
}

core::Result<std::size_t> KafkaFaults::pending_broker_request_errors(int broker_id,
                                                                     std::int16_t api_key) {
  SL_RETURN_IF_ERROR(check_broker_id("pending_broker_request_errors", broker_id, false));
  const MockClusterWaker waker(broker_.bootstrap_servers());
  std::size_t count = 0;
  SL_RETURN_IF_ERROR(mock_result(
      "pending_broker_request_errors",
      rd_kafka_mock_broker_error_stack_cnt(broker_.mock_cluster(), broker_id, api_key, &count)));
  return count;
}

// ---------------------------------------------------------------------------------------------
// TestProducer

struct TestProducer::State {
  rd_kafka_t* handle = nullptr;
  // Delivery reports run inside rd_kafka_poll/rd_kafka_flush on the caller's thread, so these
  // need no lock.
  std::size_t num_delivered = 0;
  std::size_t num_failed = 0;
  std::size_t failed_since_flush = 0;
  std::string first_failure;

  ~State() {
    if (!handle) return;
    // Records still queued (a test that failed early, a broker left down) must not hold up the
    // destruction: drop them, serve their reports, then destroy.
    rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(handle, 0);
    rd_kafka_destroy(handle);
  }

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* state = static_cast<State*>(opaque);
    if (!message->err) {
      ++state->num_delivered;
      return;
    }
    ++state->num_failed;
    if (state->failed_since_flush++ == 0) {
      state->first_failure = std::string(rd_kafka_topic_name(message->rkt)) + " [" +
                             std::to_string(message->partition) + "]: " + error_text(message->err);
    }
  }
};

TestProducer::TestProducer(std::unique_ptr<State> state) : state_(std::move(state)) {}
TestProducer::~TestProducer() = default;
TestProducer::TestProducer(TestProducer&& other) noexcept = default;
TestProducer& TestProducer::operator=(TestProducer&& other) noexcept = default;

core::Result<TestProducer> TestProducer::connect(const std::string& bootstrap_servers,
                                                 const ClientProperties& properties) {
  const ClientProperties defaults = {{"bootstrap.servers", bootstrap_servers},
                                     {"enable.idempotence", "true"},
                                     {"acks", "all"},
                                     {"linger.ms", "5"},
                                     {"message.timeout.ms", "30000"},
                                     {"queue.buffering.max.messages", "1000000"},
                                     {"queue.buffering.max.kbytes", "1048576"},
                                     {"reconnect.backoff.max.ms", "1000"},
                                     {"log_level", "3"}};
  auto conf = make_conf("TestProducer", defaults, properties);
  if (!conf) return conf.status();
  auto state = std::make_unique<State>();
  rd_kafka_conf_set_dr_msg_cb(*conf, &State::on_delivery);
  rd_kafka_conf_set_opaque(*conf, state.get());
  char error[512];
  state->handle = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, error, sizeof(error));
  if (!state->handle) {
    rd_kafka_conf_destroy(*conf);
    return core::Status::error(std::string("TestProducer: cannot create the producer: ") + error);
  }
  return TestProducer(std::move(state));
}

core::Status TestProducer::produce(std::string_view topic, std::string_view key,
                                   std::string_view value, std::int32_t partition,
                                   const RecordHeaders& headers) {
  const std::string topic_name(topic);
  std::vector<rd_kafka_vu_t> fields(5 + headers.size());
  fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
  fields[0].u.cstr = topic_name.c_str();
  fields[1].vtype = RD_KAFKA_VTYPE_PARTITION;
  fields[1].u.i32 = partition;
  fields[2].vtype = RD_KAFKA_VTYPE_KEY;
  fields[2].u.mem = {key.empty() ? nullptr : const_cast<char*>(key.data()), key.size()};
  fields[3].vtype = RD_KAFKA_VTYPE_VALUE;
  fields[3].u.mem = {const_cast<char*>(value.data()), value.size()};
  fields[4].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  fields[4].u.i = RD_KAFKA_MSG_F_COPY;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    rd_kafka_vu_t& field = fields[5 + i];
    field.vtype = RD_KAFKA_VTYPE_HEADER;
    field.u.header.name = headers[i].first.c_str();
    field.u.header.val = headers[i].second.data();
    field.u.header.size = static_cast<ssize_t>(headers[i].second.size());
  }
  while (true) {
    rd_kafka_error_t* error = rd_kafka_produceva(state_->handle, fields.data(), fields.size());
    if (!error) break;
    const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
    const std::string text = rd_kafka_error_string(error);
    rd_kafka_error_destroy(error);
    if (code != RD_KAFKA_RESP_ERR__QUEUE_FULL)
      return core::Status::error("TestProducer: cannot produce to '" + topic_name + "': " + text);
    // The local queue is full: serve delivery reports until there is room.
    rd_kafka_poll(state_->handle, 10);
  }
  rd_kafka_poll(state_->handle, 0);
  return core::Status::ok();
}

core::Status TestProducer::flush(int timeout_ms) {
  const rd_kafka_resp_err_t result = rd_kafka_flush(state_->handle, timeout_ms);
  std::string problems;
  char fatal[512];
  if (const rd_kafka_resp_err_t fatal_error =
          rd_kafka_fatal_error(state_->handle, fatal, sizeof(fatal)))
    problems +=
        "fatal producer error " + std::string(rd_kafka_err2name(fatal_error)) + ": " + fatal + "; ";
  if (result == RD_KAFKA_RESP_ERR__TIMED_OUT)
    problems += std::to_string(rd_kafka_outq_len(state_->handle)) +
                " record(s) still in flight after " + std::to_string(timeout_ms) + " ms; ";
  if (state_->failed_since_flush > 0) {
    problems += std::to_string(state_->failed_since_flush) +
                " record(s) failed since the last flush, first " + state_->first_failure + "; ";
    state_->failed_since_flush = 0;
    state_->first_failure.clear();
  }
  if (problems.empty()) return core::Status::ok();
  problems.resize(problems.size() - 2);
  return core::Status::error("TestProducer::flush: " + problems);
}

std::size_t TestProducer::num_delivered() const { return state_->num_delivered; }
std::size_t TestProducer::num_failed() const { return state_->num_failed; }

// ---------------------------------------------------------------------------------------------
// Reading topics

core::Result<std::vector<ConsumedRecord>> read_topic(const std::string& bootstrap_servers,
                                                     std::string_view topic, ReadOptions options) {
  const Clock::time_point start = Clock::now();
  ClientHandle client;
  SL_RETURN_IF_ERROR(new_consumer("read_topic", bootstrap_servers,
                                  {{"enable.partition.eof", "true"}, {"fetch.wait.max.ms", "50"}},
                                  &client));
  // Wait for the topic within the idle (and total) limit: the pipeline may create it later.
  std::vector<std::int32_t> leaders;
  while (true) {
    const int wait_ms = std::min(options.idle_timeout_ms, options.total_timeout_ms);
    auto found = topic_leaders(client.handle, topic, std::max(100, wait_ms - elapsed_ms(start)));
    if (!found) return found.status();
    if (found->has_value()) {
      leaders = **found;
      break;
    }
    if (elapsed_ms(start) >= wait_ms) return std::vector<ConsumedRecord>();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  rd_kafka_topic_t* topic_handle =
      rd_kafka_topic_new(client.handle, std::string(topic).c_str(), nullptr);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(client.handle);
  const auto num_partitions = static_cast<std::int32_t>(leaders.size());
  std::vector<bool> at_end(leaders.size(), false);
  std::vector<ConsumedRecord> records;
  std::string first_error;
  std::int32_t started = 0;
  for (; started < num_partitions; ++started) {
    if (rd_kafka_consume_start_queue(topic_handle, started, RD_KAFKA_OFFSET_BEGINNING, queue) !=
        0) {
      first_error = "cannot start partition " + std::to_string(started) + ": " +
                    error_text(rd_kafka_last_error());
      break;
    }
  }
  Clock::time_point last_arrival = Clock::now();
  while (started == num_partitions) {
    const bool all_at_end = std::all_of(at_end.begin(), at_end.end(), [](bool end) { return end; });
    if (all_at_end && records.size() >= options.expected_count) break;
    if (elapsed_ms(last_arrival) >= options.idle_timeout_ms) break;
    if (elapsed_ms(start) >= options.total_timeout_ms) break;
    rd_kafka_message_t* message = rd_kafka_consume_queue(queue, 50);
    if (!message) continue;
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (message->partition >= 0 && message->partition < num_partitions)
        at_end[message->partition] = true;
    } else if (message->err) {
      // Consumer errors are mostly transient (a broker down for a while); keep reading and
      // report the first one only when the expected records did not all arrive.
      if (first_error.empty())
        first_error =
            "partition " + std::to_string(message->partition) + ": " + error_text(message->err);
    } else {
      last_arrival = Clock::now();
      if (message->partition >= 0 && message->partition < num_partitions)
        at_end[message->partition] = false;
      ConsumedRecord& record = records.emplace_back();
      record.topic = topic;
      record.partition = message->partition;
      record.offset = message->offset;
      if (message->key) record.key.assign(static_cast<const char*>(message->key), message->key_len);
      if (message->payload)
        record.value.assign(static_cast<const char*>(message->payload), message->len);
      rd_kafka_timestamp_type_t type;
      record.timestamp_ms = rd_kafka_message_timestamp(message, &type);
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name = nullptr;
        const void* value = nullptr;
        std::size_t size = 0;
        for (std::size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                                RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
          record.headers.emplace_back(
              name, value ? std::string(static_cast<const char*>(value), size) : std::string());
      }
    }
    rd_kafka_message_destroy(message);
  }
  for (std::int32_t partition = 0; partition < started; ++partition)
    rd_kafka_consume_stop(topic_handle, partition);
  rd_kafka_queue_destroy(queue);
  rd_kafka_topic_destroy(topic_handle);

  if (started < num_partitions)
    return core::Status::error("read_topic '" + std::string(topic) + "': " + first_error);
  if (records.size() < options.expected_count && !first_error.empty())
    return core::Status::error(
        "read_topic '" + std::string(topic) + "': read " + std::to_string(records.size()) + " of " +
        std::to_string(options.expected_count) + " records; first consumer error: " + first_error);
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return std::pair(a.partition, a.offset) < std::pair(b.partition, b.offset);
  });
  return records;
}

core::Result<std::vector<std::int32_t>> partition_leaders(const std::string& bootstrap_servers,
                                                          std::string_view topic, int timeout_ms) {
  ClientHandle client;
  SL_RETURN_IF_ERROR(new_consumer("partition_leaders", bootstrap_servers, {}, &client));
  auto found = topic_leaders(client.handle, topic, timeout_ms);
  if (!found) return found.status();
  if (!found->has_value())
    return core::Status::error("topic '" + std::string(topic) + "' does not exist");
  return std::move(**found);
}

core::Result<int> partition_count(const std::string& bootstrap_servers, std::string_view topic,
                                  int timeout_ms) {
  auto leaders = partition_leaders(bootstrap_servers, topic, timeout_ms);
  if (!leaders) return leaders.status();
  return static_cast<int>(leaders->size());
}

core::Result<std::vector<std::int64_t>> committed_offsets(const std::string& bootstrap_servers,
                                                          std::string_view group,
                                                          std::string_view topic, int timeout_ms) {
  const Clock::time_point start = Clock::now();
  ClientHandle client;
  SL_RETURN_IF_ERROR(new_consumer("committed_offsets", bootstrap_servers,
                                  {{"group.id", std::string(group)}}, &client));
  client.close_consumer = true;
  auto found = topic_leaders(client.handle, topic, timeout_ms);
  if (!found) return found.status();
  if (!found->has_value())
    return core::Status::error("committed_offsets: topic '" + std::string(topic) +
                               "' does not exist");
  const auto num_partitions = static_cast<std::int32_t>((*found)->size());
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(num_partitions);
  const std::string topic_name(topic);
  for (std::int32_t partition = 0; partition < num_partitions; ++partition)
    rd_kafka_topic_partition_list_add(list, topic_name.c_str(), partition);
  const rd_kafka_resp_err_t error =
      rd_kafka_committed(client.handle, list, std::max(100, timeout_ms - elapsed_ms(start)));
  std::vector<std::int64_t> offsets(num_partitions, RD_KAFKA_OFFSET_INVALID);
  std::string partition_errors;
  for (int i = 0; i < list->cnt; ++i) {
    const rd_kafka_topic_partition_t& entry = list->elems[i];
    if (entry.err)
      partition_errors +=
          " partition " + std::to_string(entry.partition) + ": " + error_text(entry.err) + ";";
    else
      offsets[entry.partition] = entry.offset;
  }
  rd_kafka_topic_partition_list_destroy(list);
  if (error)
    return core::Status::error("committed_offsets of group '" + std::string(group) + "' on '" +
                               topic_name + "': " + error_text(error));
  if (!partition_errors.empty())
    return core::Status::error("committed_offsets of group '" + std::string(group) + "' on '" +
                               topic_name + "':" + partition_errors);
  return offsets;
}

// ---------------------------------------------------------------------------------------------
// ChildProcess

namespace {

// Owns a file descriptor of the parent.
struct FileDescriptor {
  int fd = -1;
  explicit FileDescriptor(int descriptor) : fd(descriptor) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

core::Result<ChildProcess> ChildProcess::streamlearn(const std::vector<std::string>& arguments,
                                                     const std::filesystem::path& dir,
                                                     const std::string& name) {
  const std::filesystem::path binary = streamlearn_binary();
  if (::access(binary.c_str(), X_OK) != 0)
    return core::Status::error("ChildProcess: " + binary.string() +
                               " is not an executable file (build the `streamlearn` target)");
  return start(binary, arguments, dir, name);
}

core::Result<ChildProcess> ChildProcess::start(const std::filesystem::path& program,
                                               const std::vector<std::string>& arguments,
                                               const std::filesystem::path& dir,
                                               const std::string& name) {
  std::filesystem::path binary = program;
  if (!program.has_parent_path()) {  // a name: look it up in PATH
    const char* path = std::getenv("PATH");
    std::string_view directories = path ? path : "/usr/bin:/bin";
    while (!directories.empty()) {
      const std::size_t colon = directories.find(':');
      const std::filesystem::path candidate =
          std::filesystem::path(directories.substr(0, colon)) / program;
      if (::access(candidate.c_str(), X_OK) == 0) {
        binary = candidate;
        break;
      }
      directories = colon == std::string_view::npos ? "" : directories.substr(colon + 1);
    }
  }
  if (::access(binary.c_str(), X_OK) != 0)
    return core::Status::error("ChildProcess: " + program.string() + " is not an executable file");
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  const std::filesystem::path stdout_path = dir / (name + ".stdout.txt");
  const std::filesystem::path stderr_path = dir / (name + ".stderr.txt");
  const int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  FileDescriptor input(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  FileDescriptor output(::open(stdout_path.c_str(), flags, 0644));
  FileDescriptor errors(::open(stderr_path.c_str(), flags, 0644));
  if (input.fd < 0 || output.fd < 0 || errors.fd < 0)
    return core::Status::error("ChildProcess: cannot open the output files in " + dir.string() +
                               ": " + std::strerror(errno));

  // Everything the child needs is built before fork(): after it, in a process with other
  // threads, only async-signal-safe calls are allowed.
  const std::string binary_text = binary.string();
  std::vector<std::string> words = arguments;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary_text.c_str()));
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const std::string exec_failure = "ChildProcess: execv " + binary_text + " failed\n";
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0)
    return core::Status::error(std::string("ChildProcess: fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    ::dup2(input.fd, 0);
    ::dup2(output.fd, 1);
    ::dup2(errors.fd, 2);
    ::close_range(3, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    [[maybe_unused]] const ssize_t written = ::write(2, exec_failure.data(), exec_failure.size());
    ::_exit(127);
  }
  return ChildProcess(pid, stdout_path, stderr_path);
}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0 || exit_result_) return;
  ::kill(pid_, SIGKILL);
  reap_if_ended(0);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exit_result_(other.exit_result_),
      stdout_path_(std::move(other.stdout_path_)),
      stderr_path_(std::move(other.stderr_path_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this == &other) return *this;
  if (pid_ > 0 && !exit_result_) {
    ::kill(pid_, SIGKILL);
    reap_if_ended(0);
  }
  pid_ = std::exchange(other.pid_, -1);
  exit_result_ = other.exit_result_;
  stdout_path_ = std::move(other.stdout_path_);
  stderr_path_ = std::move(other.stderr_path_);
  return *this;
}

void ChildProcess::reap_if_ended(int options) {
  if (pid_ <= 0 || exit_result_) return;
  int status = 0;
  pid_t result;
  do {
    result = ::waitpid(pid_, &status, options);
  } while (result < 0 && errno == EINTR);
  if (result != pid_) return;
  if (WIFEXITED(status))
    exit_result_ = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    exit_result_ = -WTERMSIG(status);
}

void ChildProcess::send_signal(int signal_number) {
  reap_if_ended(WNOHANG);
  // Once reaped, the pid may belong to another process: never signal it.
  if (pid_ > 0 && !exit_result_) ::kill(pid_, signal_number);
}

void ChildProcess::terminate() { send_signal(SIGTERM); }
void ChildProcess::kill() { send_signal(SIGKILL); }

bool ChildProcess::running() {
  reap_if_ended(WNOHANG);
  return pid_ > 0 && !exit_result_;
}

std::optional<int> ChildProcess::wait_for_exit(int timeout_ms) {
  const Clock::time_point start = Clock::now();
  while (true) {
    reap_if_ended(WNOHANG);
    if (exit_result_ || pid_ <= 0 || elapsed_ms(start) >= timeout_ms) return exit_result_;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string ChildProcess::stdout_text() const { return read_file_text(stdout_path_); }
std::string ChildProcess::stderr_text() const { return read_file_text(stderr_path_); }

bool ChildProcess::wait_for_output(std::string_view text, int timeout_ms) {
  const Clock::time_point start = Clock::now();
  while (true) {
    // Check whether it ended before reading, so that output printed just before the end counts.
    const bool ended = !running();
    if (stdout_text().find(text) != std::string::npos) return true;
    if (stderr_text().find(text) != std::string::npos) return true;
    if (ended || elapsed_ms(start) >= timeout_ms) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// ---------------------------------------------------------------------------------------------
// Events

std::vector<SeaEvent> sea_events(std::size_t count, std::uint64_t seed, SeaOptions options) {
  std::mt19937_64 engine(seed);
  std::vector<SeaEvent> events;
  events.reserve(count);
  const std::size_t num_keys = std::max<std::size_t>(1, options.num_keys);
  for (std::size_t i = 0; i < count; ++i) {
    SeaEvent& event = events.emplace_back();
    event.id = "e" + std::to_string(options.first_id + i);
    event.key = "k" + std::to_string(i % num_keys);
    event.ts_ms = options.first_ts_ms + static_cast<std::int64_t>(i);
    // Hundredths drawn as integers, so that the JSON holds the exact value the label used.
    for (double& x : event.x) x = static_cast<double>(engine() % 1000) / 100.0;
    const double threshold =
        i < options.drift_at ? options.threshold : options.threshold_after_drift;
    event.label = event.x[0] + event.x[1] <= threshold ? "1" : "0";
    std::string& json = event.json;
    json = "{\"id\":\"" + event.id + "\",\"key\":\"" + event.key +
           "\",\"ts\":" + std::to_string(event.ts_ms);
    for (std::size_t feature = 0; feature < event.x.size(); ++feature) {
      json += ",\"x" + std::to_string(feature) + "\":";
      append_number(&json, event.x[feature]);
    }
    if (options.with_label) json += ",\"label\":\"" + event.label + "\"";
    json += '}';
    event.label_json = "{\"id\":\"" + event.id + "\",\"label\":\"" + event.label + "\"}";
  }
  return events;
}

nlohmann::json summary_line(std::string output) {
  while (!output.empty() && output.back() == '\n') output.pop_back();
  const std::size_t line = output.rfind('\n');
  nlohmann::json result = nlohmann::json::parse(
      line == std::string::npos ? output : output.substr(line + 1), nullptr, false);
  EXPECT_TRUE(result.is_object()) << "no summary line in: " << output;
  return result.is_object() ? result : nlohmann::json::object();
}

EmbeddedBrokerTest::EmbeddedBrokerTest(int num_brokers) : num_brokers_(num_brokers) {}
EmbeddedBrokerTest::~EmbeddedBrokerTest() = default;

void EmbeddedBrokerTest::SetUp() {
  auto started = connectors::EmbeddedBroker::start({.num_brokers = num_brokers_});
  ASSERT_TRUE(started) << started.status().message();
  broker_ = std::move(*started);
  servers_ = broker_->bootstrap_servers();
  dir_ = scratch_dir();
}

nlohmann::json EmbeddedBrokerTest::kafka_section() const {
  return {{"bootstrap_servers", servers_},
          {"properties",
           {{"session.timeout.ms", "6000"},
            {"heartbeat.interval.ms", "500"},
            {"reconnect.backoff.max.ms", "1000"}}}};
}

void EmbeddedBrokerTest::create_topic(const std::string& name, int partitions) {
  const core::Status status = broker_->create_topic(name, partitions);
  ASSERT_TRUE(status) << status.message();
}

}  // namespace streamlearn::testing
