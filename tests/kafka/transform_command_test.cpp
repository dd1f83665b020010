// `streamlearn transform` reading Kafka (no --data), end to end: the built binary against an
// embedded broker started here. Its stdout is compared byte for byte with what the file mode prints
// for the same events and with what `run` writes to its features topic, and the consumer groups
// are read back to check that a transform moves no offsets.

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/kafka/embedded_broker.h"
#include "tests/kafka/kafka_test_kit.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

using Json = nlohmann::json;

constexpr int kExitTimeoutMs = 60'000;

// The feature target_agg(events=50) adds: present once a label was learned. (Global: with
// `by=key` it would look for a feature named "key", which the schema makes the event key.)
constexpr const char* kTargetFeature = "mean(target)@key_last_50";

class TransformCommandTest : public EmbeddedBrokerTest {
 protected:
  TransformCommandTest() : EmbeddedBrokerTest(1) {}

  /// A pipeline configuration for this broker with window steps, a target aggregate and a learned
  /// transformer after them (each moves with the events or the labels); `edit` adjusts it.
  std::string write_config(const std::string& name, const std::function<void(Json&)>& edit = {}) {
    Json config = {
        {"pipeline", "transform"},
        {"model", "standard_scaler | logistic_regression"},
        {"features",
         {{{"window", {{"size", "200ms"}, {"step", "50ms"}, {"agg", {"mean(x0)", "count()"}}}}},
          {{"window", {{"gap", "20ms"}, {"agg", {"sum(x1)", "last(x1)"}}}}},
          {{"target_agg", {{"events", 50}}}}}},
        {"kafka", kafka_section()},
        {"source", {{"topics", {"events"}}, {"group_id", "e2e"}, {"commit_interval_ms", 200}}},
        {"schema", {{"target", "label"}, {"key", "key"}, {"id", "id"}, {"time", "ts"}}},
        {"outputs", {{"predictions", "predictions"}}},
        {"metrics", {{"listen", "127.0.0.1:0"}}},
    };
    if (edit) edit(config);
    const std::filesystem::path path = dir_ / (name + ".json");
    std::ofstream(path) << config.dump(2);
    return path.string();
  }

  /// Produces the records in order into partition 0 of `events`, keyed as given.
  void produce(const std::vector<std::pair<std::string, std::string>>& keyed_records) {
    auto producer = TestProducer::connect(servers_);
    ASSERT_TRUE(producer) << producer.status().message();
    for (const auto& [key, value] : keyed_records) {
      const core::Status status = producer->produce("events", key, value, 0);
      ASSERT_TRUE(status) << status.message();
    }
    const core::Status flushed = producer->flush();
    ASSERT_TRUE(flushed) << flushed.message();
  }

  static std::vector<std::pair<std::string, std::string>> records_of(
      const std::vector<SeaEvent>& events) {
    std::vector<std::pair<std::string, std::string>> records;
    for (const SeaEvent& event : events) records.emplace_back(event.key, event.json);
    return records;
  }

  /// The JSON summary that ends a transform's stderr.
  static Json summary(const ChildProcess& process) { return summary_line(process.stderr_text()); }

  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
         start = end + 1)
      lines.push_back(text.substr(start, end - start));
    return lines;
  }

  /// Every offset `group` committed on `events` (none: all RD_KAFKA_OFFSET_INVALID).
  std::vector<std::int64_t> committed(const std::string& group) {
    auto offsets = committed_offsets(servers_, group, "events");
    EXPECT_TRUE(offsets) << offsets.status().message();
    return offsets ? *offsets : std::vector<std::int64_t>{};
  }
};

TEST_F(TransformCommandTest, FromTheBrokerPrintsByteForByteWhatTheFileModePrints) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  constexpr std::size_t kEvents = 4000;
  std::vector<std::pair<std::string, std::string>> records = records_of(sea_events(kEvents, 31));
  // Two malformed records: on stderr in both modes, on stdout in neither.
  records.insert(records.begin() + 1000, {"k0", R"({"id":"bad1","ts":1,"x0":1.0,)"});
  records.insert(records.begin() + 3000, {"k1", R"({"id":"bad2","ts":1,"x0":NaN,"label":"1"})"});
  const std::filesystem::path data = dir_ / "events.jsonl";
  {
    std::ofstream file(data);
    for (const auto& record : records) file << record.second << '\n';
  }
  ASSERT_NO_FATAL_FAILURE(produce(records));
  const std::string config = write_config("file-and-kafka");

  const CommandRun from_file =
      run_streamlearn("transform --config " + config + " --data " + data.string(), dir_);
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  ASSERT_EQ(lines_of(from_file.out).size(), kEvents);

  auto process = ChildProcess::streamlearn(
      {"transform", "--config", config, "--from", "earliest", "--until", "end"}, dir_);
  ASSERT_TRUE(process) << process.status().message();
  ASSERT_EQ(process->wait_for_exit(kExitTimeoutMs), 0) << process->stderr_text();
  const std::string from_kafka = process->stdout_text();
  if (from_kafka != from_file.out) {
    // Name the first line that differs rather than dumping megabytes.
    const std::vector<std::string> kafka_lines = lines_of(from_kafka);
    const std::vector<std::string> file_lines = lines_of(from_file.out);
    ASSERT_EQ(kafka_lines.size(), file_lines.size());
    for (std::size_t i = 0; i < file_lines.size(); ++i)
      ASSERT_EQ(kafka_lines[i], file_lines[i]) << "line " << i;
    FAIL() << "the outputs differ beyond their lines";
  }
  EXPECT_NE(lines_of(from_kafka).back().find(kTargetFeature), std::string::npos)
      << "the labels were not learned: " << lines_of(from_kafka).back();

  const Json result = summary(*process);
  EXPECT_EQ(result["stop"], "finished") << result.dump();
  EXPECT_EQ(result["records"], kEvents + 2);
  EXPECT_EQ(result["events"], kEvents);
  EXPECT_EQ(result["labelled_events"], kEvents);
  EXPECT_EQ(result["rejected"], 2);
  EXPECT_EQ(result["rejected_by_reason"], Json::parse(R"({"malformed_record":1,"non_finite":1})"));
  EXPECT_NE(process->stderr_text().find("events/0@1000: "), std::string::npos)
      << process->stderr_text();
  // Read-only: neither the pipeline's group nor the transform's own one has an offset now.
  for (const std::string& group : {std::string("e2e"), result["group_id"].get<std::string>()})
    for (std::int64_t offset : committed(group))
      EXPECT_EQ(offset, RD_KAFKA_OFFSET_INVALID) << "group " << group << " has a commit";
}

TEST_F(TransformCommandTest, DelayedLabelsFromTheBrokerMoveTheFeaturesExactlyAsInTheRun) {
  // Labels come 300 events late as label records (an id and a label) on the one partition, so
  // that the order of events and labels is the same for every reader.
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  ASSERT_NO_FATAL_FAILURE(create_topic("features", 1));
  constexpr std::size_t kEvents = 3000;
  constexpr std::size_t kDelay = 300;
  const std::vector<SeaEvent> events = sea_events(kEvents, 32, {.with_label = false});
  std::vector<std::pair<std::string, std::string>> records;
  for (std::size_t i = 0; i < kEvents; ++i) {
    if (i >= kDelay) records.emplace_back(events[i - kDelay].key, events[i - kDelay].label_json);
    records.emplace_back(events[i].key, events[i].json);
  }
  for (std::size_t i = kEvents - kDelay; i < kEvents; ++i)
    records.emplace_back(events[i].key, events[i].label_json);
  ASSERT_NO_FATAL_FAILURE(produce(records));
  const std::string config =
      write_config("delayed", [](Json& c) { c["outputs"]["features"] = "features"; });

  auto run = ChildProcess::streamlearn(
      {"run", "--config", config, "--from", "earliest", "--until", "end"}, dir_, "run");
  ASSERT_TRUE(run) << run.status().message();
  ASSERT_EQ(run->wait_for_exit(kExitTimeoutMs), 0) << run->stderr_text();
  auto written = read_topic(servers_, "features", {.expected_count = kEvents});
  ASSERT_TRUE(written) << written.status().message();
  ASSERT_EQ(written->size(), kEvents);

  auto transform = ChildProcess::streamlearn(
      {"transform", "--config", config, "--from", "earliest", "--until", "end"}, dir_, "transform");
  ASSERT_TRUE(transform) << transform.status().message();
  ASSERT_EQ(transform->wait_for_exit(kExitTimeoutMs), 0) << transform->stderr_text();
  const std::vector<std::string> lines = lines_of(transform->stdout_text());
  ASSERT_EQ(lines.size(), kEvents);
  for (std::size_t i = 0; i < kEvents; ++i)
    ASSERT_EQ(lines[i], (*written)[i].value) << "event " << i;
  // The delayed labels reached the target aggregate: without them it would have no value.
  EXPECT_NE(lines.back().find(kTargetFeature), std::string::npos) << lines.back();
  const Json result = summary(*transform);
  EXPECT_EQ(result["labels_matched"], kEvents) << result.dump();
  EXPECT_EQ(result["labels_unmatched"], 0);
  EXPECT_EQ(result["pending"], 0);
}

TEST_F(TransformCommandTest, FromCommittedStartsWhereThePipelineGroupStandsAndMovesNoOffset) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  const std::string config = write_config("committed");
  ASSERT_NO_FATAL_FAILURE(produce(records_of(sea_events(1000, 33))));
  auto run = ChildProcess::streamlearn(
      {"run", "--config", config, "--from", "earliest", "--until", "end"}, dir_, "run");
  ASSERT_TRUE(run) << run.status().message();
  ASSERT_EQ(run->wait_for_exit(kExitTimeoutMs), 0) << run->stderr_text();
  ASSERT_EQ(committed("e2e"), std::vector<std::int64_t>{1000});

  // New events after the pipeline's position; the configuration's source.from is committed.
  ASSERT_NO_FATAL_FAILURE(produce(records_of(sea_events(500, 34, {.first_id = 1000}))));
  auto transform = ChildProcess::streamlearn({"transform", "--config", config, "--until", "end"},
                                             dir_, "transform");
  ASSERT_TRUE(transform) << transform.status().message();
  ASSERT_EQ(transform->wait_for_exit(kExitTimeoutMs), 0) << transform->stderr_text();
  const std::vector<std::string> lines = lines_of(transform->stdout_text());
  ASSERT_EQ(lines.size(), 500u) << transform->stderr_text();
  EXPECT_EQ(Json::parse(lines.front())["id"], "e1000");
  EXPECT_EQ(Json::parse(lines.back())["id"], "e1499");
  EXPECT_EQ(committed("e2e"), std::vector<std::int64_t>{1000}) << "the pipeline's offset moved";
  const std::string own_group = summary(*transform)["group_id"].get<std::string>();
  EXPECT_EQ(own_group.rfind("e2e.transform-", 0), 0u) << own_group;
  EXPECT_EQ(committed(own_group), std::vector<std::int64_t>{RD_KAFKA_OFFSET_INVALID});
}

TEST_F(TransformCommandTest, SigintStopsALiveTransformAfterItsLinesAndTheSummary) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  // No --until: it waits for more events until a signal.
  auto transform = ChildProcess::streamlearn(
      {"transform", "--config", write_config("live"), "--from", "earliest"}, dir_);
  ASSERT_TRUE(transform) << transform.status().message();
  ASSERT_NO_FATAL_FAILURE(produce(records_of(sea_events(200, 35))));
  // Lines are flushed whenever the source is idle, so a live reader sees them.
  ASSERT_TRUE(transform->wait_for_output(R"("id":"e199")", 30'000)) << transform->stderr_text();
  transform->send_signal(SIGINT);
  ASSERT_EQ(transform->wait_for_exit(kExitTimeoutMs), 0) << transform->stderr_text();
  EXPECT_EQ(lines_of(transform->stdout_text()).size(), 200u);
  const Json result = summary(*transform);
  EXPECT_EQ(result["stop"], "requested") << result.dump();
  EXPECT_EQ(result["events"], 200);
}

TEST_F(TransformCommandTest, AfterARebalanceItResumesWhereItWasSinceItCommitsNothing) {
  // A topic that matches the pattern later makes the (eager) group reassign every partition; a
  // reader without commits must not then start the old ones again from `from`.
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  const std::string config = write_config("rebalance", [](Json& c) {
    c["source"].erase("topics");
    c["source"]["topic_pattern"] = "^events.*";
    c["kafka"]["properties"]["topic.metadata.refresh.interval.ms"] = "500";
  });
  auto transform =
      ChildProcess::streamlearn({"transform", "--config", config, "--from", "earliest"}, dir_);
  ASSERT_TRUE(transform) << transform.status().message();
  ASSERT_NO_FATAL_FAILURE(produce(records_of(sea_events(100, 37))));
  ASSERT_TRUE(transform->wait_for_output(R"("id":"e99")", 30'000)) << transform->stderr_text();

  ASSERT_NO_FATAL_FAILURE(create_topic("events-more", 1));
  auto producer = TestProducer::connect(servers_);
  ASSERT_TRUE(producer) << producer.status().message();
  for (const SeaEvent& event : sea_events(100, 38, {.first_id = 100}))
    ASSERT_TRUE(producer->produce("events-more", event.key, event.json, 0));
  ASSERT_TRUE(producer->flush());
  // On failure the summary (in stderr) says whether the rebalance came.
  const bool printed_all = transform->wait_for_output(R"("id":"e199")", 45'000);
  transform->send_signal(SIGINT);
  ASSERT_EQ(transform->wait_for_exit(kExitTimeoutMs), 0) << transform->stderr_text();
  EXPECT_TRUE(printed_all) << transform->stderr_text();

  const Json result = summary(*transform);
  EXPECT_GE(result["rebalances"].get<int>(), 2) << "no rebalance happened: " << result.dump();
  std::map<std::string, int> printed;
  for (const std::string& line : lines_of(transform->stdout_text()))
    ++printed[Json::parse(line)["id"].get<std::string>()];
  EXPECT_EQ(printed.size(), 200u);
  for (const auto& [id, times] : printed) EXPECT_EQ(times, 1) << id << " printed again";
}

TEST_F(TransformCommandTest, DataWithFromOrUntilIsAnErrorThatSaysWhatToDo) {
  const std::string config = write_config("mixed");
  const std::filesystem::path data = dir_ / "events.jsonl";
  std::ofstream(data) << sea_events(1, 36).front().json << '\n';
  for (const std::string flag : {"--from earliest", "--until end"}) {
    const CommandRun mixed = run_streamlearn(
        "transform --config " + config + " --data " + data.string() + " " + flag, dir_);
    EXPECT_EQ(mixed.exit_code, 2) << flag;
    EXPECT_TRUE(mixed.out.empty()) << mixed.out;
    EXPECT_NE(mixed.err.find("drop --from/--until, or drop --data"), std::string::npos)
        << mixed.err;
  }
}

}  // namespace
}  // namespace streamlearn::testing
