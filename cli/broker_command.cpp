#include "cli/broker_command.h"

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/flag_set.h"
#include "connectors/kafka/embedded_broker.h"

namespace streamlearn::cli {
namespace {

constexpr const char* kSummary =
    "Runs an embedded Kafka-protocol cluster on loopback (librdkafka's mock cluster) for local\n"
    "use, demos and tests, until SIGINT or SIGTERM. The first line on stdout is\n"
    "  bootstrap.servers=HOST:PORT,...\n"
    "for any Kafka client. Topics are created with --topic (clients may also auto-create them).\n"
    "\n"
    "Limits, from librdkafka's mock cluster: data is kept in memory only; about 5 MB is retained\n"
    "per partition and older data is dropped silently; transactions are accepted but not\n"
    "enforced; there is no timestamp lookup (offsetsForTimes returns -1); no Admin API. Use a\n"
    "session.timeout.ms of about 6 s in clients, or rebalances look like hangs.\n"
    "Example: streamlearn broker --brokers 3 --topic events:4 --topic predictions:4";

struct TopicSpec {
  std::string name;
  int partitions = 0;
};

/// "NAME:PARTITIONS" (or "NAME", one partition).
core::Result<TopicSpec> parse_topic(const std::string& text) {
  const auto colon = text.rfind(':');
  TopicSpec topic{text.substr(0, colon), 1};
  if (colon != std::string::npos) {
    const std::string count = text.substr(colon + 1);
    std::size_t used = 0;
    try {
      topic.partitions = std::stoi(count, &used);
    } catch (...) {
      used = 0;
    }
    if (used == 0 || used != count.size() || topic.partitions < 1)
      return core::Status::error("--topic '" + text +
                                 "': write NAME:PARTITIONS with PARTITIONS a positive integer, "
                                 "e.g. events:4");
  }
  if (topic.name.empty()) return core::Status::error("--topic '" + text + "': the name is empty");
  return topic;
}

}  // namespace

int broker_command(int argc, char** argv, int first) {
  std::uint64_t brokers = 3;
  std::vector<std::string> topic_texts;
  FlagSet flags("broker", kSummary);
  flags.add_size("brokers", &brokers, "number of brokers (default 3)");
  flags.add_strings("topic", &topic_texts, "NAME:PARTITIONS", "create a topic (repeatable)");
  if (const std::optional<int> exit_code = flags.parse_or_exit(argc, argv, first)) return *exit_code;
  std::vector<TopicSpec> topics;
  std::string errors;
  for (const std::string& text : topic_texts) {
    auto topic = parse_topic(text);
    if (topic)
      topics.push_back(*topic);
    else
      errors += "streamlearn broker: " + topic.status().message() + "\n";
  }
  if (!errors.empty()) {
    std::fputs(errors.c_str(), stderr);
    return 2;
  }

  // Block the stop signals before librdkafka starts its threads, so that they all inherit the
  // mask and sigwait() below is the one place that receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto broker = connectors::EmbeddedBroker::start({.num_brokers = static_cast<int>(
                                                       std::min<std::uint64_t>(brokers, 1000))});
  if (!broker) {
    std::fprintf(stderr, "streamlearn broker: %s\n", broker.status().message().c_str());
    return 1;
  }
  for (const TopicSpec& topic : topics) {
    if (core::Status status = (*broker)->create_topic(topic.name, topic.partitions); !status) {
      std::fprintf(stderr, "streamlearn broker: %s\n", status.message().c_str());
      return 1;
    }
  }
  std::printf("bootstrap.servers=%s\n", (*broker)->bootstrap_servers().c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "broker: %d broker(s) on loopback, %zu topic(s); SIGINT or SIGTERM stops\n",
               (*broker)->num_brokers(), topics.size());
  int received = 0;
  sigwait(&stop_signals, &received);
  std::fprintf(stderr, "broker: stopping (%s)\n", received == SIGINT ? "SIGINT" : "SIGTERM");
  broker->reset();
  return 0;
}

}  // namespace streamlearn::cli
