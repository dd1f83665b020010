// `streamlearn broker` as a user runs it: the built binary, checked with kcat (a real Kafka
// client) for metadata and a produce/consume round trip, and stopped with SIGTERM.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

// Starts `streamlearn broker ARGS`; the shell prints its pid, then execs the broker.
class BrokerProcess {
 public:
  explicit BrokerProcess(const std::string& arguments) {
    const std::string command =
        "sh -c 'echo $$; exec " + streamlearn_binary().string() + " broker " + arguments + "'";
    pipe_ = popen(command.c_str(), "r");
    pid_ = std::stoi(read_line());
    first_line_ = read_line();
  }
  ~BrokerProcess() {
    if (pipe_) stop();
  }
  const std::string& first_line() const { return first_line_; }
  /// SIGTERM, then the exit code.
  int stop() {
    kill(pid_, SIGTERM);
    const int status = pclose(pipe_);
    pipe_ = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string read_line() {
    char buffer[4096];
    return std::fgets(buffer, sizeof(buffer), pipe_) ? std::string(buffer, strcspn(buffer, "\n"))
                                                     : std::string();
  }
  FILE* pipe_ = nullptr;
  int pid_ = 0;
  std::string first_line_;
};

TEST(BrokerCommandTest, ServesKafkaClientsUntilSigterm) {
  BrokerProcess broker("--brokers 2 --topic events:3 --topic alerts");
  const std::string prefix = "bootstrap.servers=";
  ASSERT_EQ(broker.first_line().rfind(prefix, 0), 0u) << broker.first_line();
  const std::string servers = broker.first_line().substr(prefix.size());

  std::string metadata;
  ASSERT_EQ(run_command("kcat -b " + servers + " -L -J 2>/dev/null", &metadata), 0);
  const auto json = nlohmann::json::parse(metadata);
  EXPECT_EQ(json["brokers"].size(), 2u);
  std::map<std::string, std::size_t> partitions;
  for (const auto& topic : json["topics"])
    partitions[topic["topic"].get<std::string>()] = topic["partitions"].size();
  EXPECT_EQ(partitions["events"], 3u);
  EXPECT_EQ(partitions["alerts"], 1u);

  ASSERT_EQ(run_command("printf 'first\\nsecond\\n' | kcat -b " + servers +
                            " -P -t events -p 2 2>/dev/null",
                        nullptr),
            0);
  std::string consumed;
  ASSERT_EQ(run_command("kcat -b " + servers + " -C -t events -p 2 -o beginning -e -q", &consumed),
            0);
  EXPECT_EQ(consumed, "first\nsecond\n");

  EXPECT_EQ(broker.stop(), 0);
}

TEST(BrokerCommandTest, BadTopicSpecIsAnErrorSayingWhatToWrite) {
  const CommandRun run = run_streamlearn("broker --topic events:zero --topic :2", scratch_dir());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("write NAME:PARTITIONS"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("the name is empty"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST(BrokerCommandTest, HelpStatesTheMockClustersLimits) {
  const CommandRun run = run_streamlearn("broker --help", scratch_dir());
  EXPECT_EQ(run.exit_code, 0);
  for (const char* limit : {"memory only", "5 MB", "transactions", "offsetsForTimes"})
    EXPECT_NE(run.out.find(limit), std::string::npos) << limit;
}

}  // namespace
}  // namespace streamlearn::testing
