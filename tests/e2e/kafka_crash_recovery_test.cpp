// `streamlearn run` with checkpoints, killed with SIGKILL at random moments while a producer
// thread feeds it a drifting labelled stream, and restarted each time, ends in exactly the state
// of an uninterrupted run: the same summary (every event learned once, every metric to the last
// bit, the same drifts and alerts), and byte-identical predictions on probe events produced
// afterwards. Outputs are at-least-once: every event has a prediction, and the repeated ones are
// of records at or after the offset of a checkpoint a restart resumed from. A corrupt newest
// checkpoint is reported and the previous one used, to the same end.
//
// One partition, so that the record order (and so the model state) is the same in every run.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "connectors/files/checkpoint_directory.h"
#include "connectors/kafka/embedded_broker.h"
#include "stream/pipeline_state.h"
#include "tests/kafka/kafka_test_kit.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

using Json = nlohmann::json;

constexpr int kExitTimeoutMs = 120'000;
constexpr std::size_t kEvents = 80'000;
constexpr std::size_t kLabelDelay = 100;  // a late label record comes this many events later
constexpr std::size_t kDriftAt = 40'000;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The summary without what differs from process to process (how it stopped, timings, the
/// consumer's own counts of commits and rebalances, the checkpoints).
Json comparable(Json summary) {
  for (const char* key :
       {"stop", "seconds", "records_per_s", "checkpoints", "commits", "failed_commits",
        "rebalances"})
    summary.erase(key);
  return summary;
}

/// The final JSON line a `run` printed on stdout.
Json summary_of(const ChildProcess& process) { return summary_line(process.stdout_text()); }

/// The checkpoint files of `dir`, oldest first (listed, never opened as a directory: that would
/// remove a temporary file being written).
std::vector<std::filesystem::path> checkpoint_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error))
    if (entry.path().extension() == ".slck") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// The offset of partition events/0 in the newest valid checkpoint of `dir` (what a restart
/// resumes from); 0 when there is none.
std::int64_t resume_offset(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files = checkpoint_files(dir);
  for (auto file = files.rbegin(); file != files.rend(); ++file) {
    auto payload = connectors::CheckpointDirectory::decode(read_bytes(*file));
    if (!payload) continue;
    auto header = stream::PipelineState::header(*payload);
    if (!header) continue;
    // KafkaSource's position: version, count, then (topic, partition, next offset) each.
    core::StateReader in(header->position);
    std::uint32_t version = 0;
    std::uint64_t count = 0;
    if (!in.read(version) || !in.read(count)) continue;
    for (std::uint64_t i = 0; i < count; ++i) {
      std::string topic;
      std::int32_t partition = 0;
      std::int64_t offset = 0;
      if (!in.read_string(topic) || !in.read(partition) || !in.read(offset)) break;
      if (topic == "events" && partition == 0) return offset;
    }
    return 0;
  }
  return 0;
}

class KafkaCrashRecoveryTest : public EmbeddedBrokerTest {
 protected:
  KafkaCrashRecoveryTest() : EmbeddedBrokerTest(1) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(EmbeddedBrokerTest::SetUp());
    for (const char* topic : {"events", "predictions", "predictions-whole", "alerts",
                              "alerts-whole", "probe-killed", "probe-whole"})
      ASSERT_NO_FATAL_FAILURE(create_topic(topic, 1));
    // A drifting stream; every fourth event comes without its label, whose label record follows
    // kLabelDelay events later on the same partition (a delayed label).
    const std::vector<SeaEvent> labelled = sea_events(kEvents, 31, {.drift_at = kDriftAt});
    const std::vector<SeaEvent> unlabelled =
        sea_events(kEvents, 31, {.with_label = false, .drift_at = kDriftAt});
    for (std::size_t i = 0; i < kEvents; ++i) {
      if (i >= kLabelDelay && (i - kLabelDelay) % 4 == 0)
        records_.emplace_back(labelled[i - kLabelDelay].key, labelled[i - kLabelDelay].label_json);
      records_.emplace_back(labelled[i].key, i % 4 == 0 ? unlabelled[i].json : labelled[i].json);
    }
    for (std::size_t i = kEvents - kLabelDelay; i < kEvents; ++i)
      if (i % 4 == 0) records_.emplace_back(labelled[i].key, labelled[i].label_json);
    for (const SeaEvent& event : labelled) ids_.push_back(event.id);
    config_ = write_config();
  }

  std::string write_config() const {
    const Json config = {
        {"pipeline", "crash"},
        {"features", {{{"window", {{"events", 50}, {"agg", {"mean(x1)", "max(x2)"}}}}}}},
        {"model", "standard_scaler | hoeffding_tree"},
        {"kafka", kafka_section()},
        {"source", {{"topics", {"events"}}, {"group_id", "crash"}, {"commit_interval_ms", 200}}},
        {"schema", {{"target", "label"}, {"key", "key"}, {"id", "id"}, {"time", "ts"}}},
        {"outputs", {{"predictions", "predictions"}, {"alerts", "alerts"}}},
        {"metrics", {{"listen", "off"}}},
        {"monitoring", {{"concept_drift", {{"detector", "ddm"}, {"on_drift", "background"}}}}},
        {"checkpoints",
         {{"directory", (dir_ / "killed").string()}, {"interval", "0s"}, {"every_events", 3000}}},
    };
    const std::filesystem::path path = dir_ / "pipeline.json";
    std::ofstream(path) << config.dump(2);
    return path.string();
  }

  /// The uninterrupted run's arguments: its own group, checkpoints and outputs.
  std::vector<std::string> whole_arguments(const std::string& predictions,
                                           bool until_end = true) const {
    std::vector<std::string> arguments = {"run", "--config", config_, "--quiet", "--from",
                                          "earliest"};
    if (until_end) arguments.insert(arguments.end(), {"--until", "end"});
    arguments.insert(arguments.end(), {"--set", "source.group_id=whole", "--set",
            "checkpoints.directory=" + (dir_ / "whole").string(), "--set",
            "outputs.predictions=" + predictions, "--set", "outputs.alerts=alerts-whole"});
    return arguments;
  }

  Json run_to_end(std::vector<std::string> arguments, const std::string& name,
                  std::string* errors = nullptr) {
    auto child = ChildProcess::streamlearn(arguments, dir_, name);
    EXPECT_TRUE(child) << child.status().message();
    if (!child) return Json::object();
    EXPECT_EQ(child->wait_for_exit(kExitTimeoutMs), 0) << child->stderr_text();
    if (errors) *errors = child->stderr_text();
    return summary_of(*child);
  }

  void produce(const std::vector<std::pair<std::string, std::string>>& records) {
    auto producer = TestProducer::connect(servers_);
    ASSERT_TRUE(producer) << producer.status().message();
    for (const auto& [key, value] : records)
      ASSERT_TRUE(producer->produce("events", key, value, 0));
    const core::Status flushed = producer->flush();
    ASSERT_TRUE(flushed) << flushed.message();
  }

  std::vector<std::pair<std::string, std::string>> records_;  // key, value
  std::vector<std::string> ids_;
  std::string config_;
};

TEST_F(KafkaCrashRecoveryTest, KilledAtRandomMomentsWhileProducedEndsInTheUninterruptedState) {
  // The producer feeds the stream in five segments, each released when the pipeline of the next
  // round is started, so that every kill lands while there is work; it produces in small chunks,
  // concurrently with the pipeline.
  constexpr int kSegments = 5;
  std::atomic<int> released{0};
  std::atomic<bool> producer_failed{false};
  std::thread producer_thread([&] {
    auto producer = TestProducer::connect(servers_);
    if (!producer) {
      producer_failed = true;
      return;
    }
    const std::size_t per_segment = (records_.size() + kSegments - 1) / kSegments;
    for (int segment = 0; segment < kSegments; ++segment) {
      while (released.load() <= segment) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      const std::size_t end = std::min(records_.size(), (segment + 1) * per_segment);
      for (std::size_t i = segment * per_segment; i < end; ++i) {
        if (!producer->produce("events", records_[i].first, records_[i].second, 0))
          producer_failed = true;
        if (i % 2000 == 1999) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    if (!producer->flush()) producer_failed = true;
  });

  // The uninterrupted run reads the stream as it is produced too: the embedded broker keeps only
  // the newest ~5 MB of a partition, so a replay from the earliest offset afterwards would miss
  // the beginning.
  auto whole_child = ChildProcess::streamlearn(whole_arguments("predictions-whole", false), dir_,
                                               "whole");
  ASSERT_TRUE(whole_child) << whole_child.status().message();
  const std::filesystem::path killed_dir = dir_ / "killed";
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<int> delay_ms(0, 400);
  std::vector<std::int64_t> resumed_at;  // the checkpoint offset each restart resumes from
  int kills = 0;
  for (int round = 0; round < kSegments - 1; ++round) {
    resumed_at.push_back(resume_offset(killed_dir));
    const std::size_t files_before = checkpoint_files(killed_dir).size();
    const std::string newest_before =
        files_before == 0 ? "" : checkpoint_files(killed_dir).back().string();
    auto child = ChildProcess::streamlearn({"run", "--config", config_, "--quiet"}, dir_,
                                           "killed-" + std::to_string(round));
    ASSERT_TRUE(child) << child.status().message();
    released = round + 1;
    // Killed at a random moment after this process wrote a checkpoint of its own (so each round
    // makes progress, however loaded the machine).
    bool wrote = false;
    for (int i = 0; i < 6000 && !wrote && child->running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      const std::vector<std::filesystem::path> files = checkpoint_files(killed_dir);
      wrote = !files.empty() && files.back().string() != newest_before;
    }
    ASSERT_TRUE(wrote) << child->stderr_text();
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    child->kill();
    ASSERT_EQ(child->wait_for_exit(60'000), -9) << child->stderr_text();
    ++kills;
  }
  released = kSegments;
  producer_thread.join();
  ASSERT_FALSE(producer_failed.load());
  EXPECT_GE(kills, 3);

  resumed_at.push_back(resume_offset(killed_dir));
  std::string errors;
  const Json killed = run_to_end({"run", "--config", config_, "--quiet", "--until", "end"},
                                 "killed-last", &errors);
  // Stopped once it has processed (and committed) every record: its state is then final.
  bool caught_up = false;
  for (int i = 0; i < 1200 && !caught_up && whole_child->running(); ++i) {
    auto committed = committed_offsets(servers_, "whole", "events");
    caught_up = committed && !committed->empty() &&
                (*committed)[0] == static_cast<std::int64_t>(records_.size());
    if (!caught_up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(caught_up) << whole_child->stderr_text();
  whole_child->terminate();
  ASSERT_EQ(whole_child->wait_for_exit(kExitTimeoutMs), 0) << whole_child->stderr_text();
  const Json whole = summary_of(*whole_child);
  ASSERT_EQ(whole["events"], kEvents);
  ASSERT_GT(whole["alerts_fired"].get<int>(), 0) << "the drift should raise an alert";
  EXPECT_FALSE(killed["checkpoints"]["restored_from"].is_null()) << errors;

  // (a) The same state: every metric, count, drift and alert count to the last bit; each
  // labelled event learned exactly once.
  EXPECT_EQ(comparable(killed), comparable(whole));
  EXPECT_EQ(killed["learned"], kEvents);
  EXPECT_EQ(whole["learned"], kEvents);
  EXPECT_EQ(killed["labels_matched"], kEvents / 4);

  // (b) Every event has a prediction; an offset predicted more than once was processed again by
  // restarts that resumed at or before it, and the known duplicates the restarts reported are
  // among the observed ones.
  auto predictions = read_topic(servers_, "predictions",
                                {.expected_count = kEvents, .idle_timeout_ms = 5000,
                                 .total_timeout_ms = 60'000});
  ASSERT_TRUE(predictions) << predictions.status().message();
  std::map<std::string, int> by_id;
  std::map<std::int64_t, int> by_offset;
  for (const ConsumedRecord& record : *predictions) {
    const Json prediction = Json::parse(record.value);
    ++by_id[prediction.at("id").get<std::string>()];
    ++by_offset[prediction.at("source").at("offset").get<std::int64_t>()];
  }
  for (const std::string& id : ids_) ASSERT_TRUE(by_id.count(id)) << id << " got no prediction";
  std::uint64_t duplicates = 0;
  for (const auto& [offset, count] : by_offset) {
    const auto restarts_at_or_before = std::count_if(
        resumed_at.begin() + 1, resumed_at.end(), [&](std::int64_t at) { return at <= offset; });
    ASSERT_LE(count, 1 + restarts_at_or_before) << "offset " << offset;
    duplicates += static_cast<std::uint64_t>(count - 1);
  }
  EXPECT_EQ(predictions->size(), kEvents + duplicates);
  // Each process's summary reports its own restore's known duplicates; the last one's is in
  // the summary, the killed ones' died with them: their sum is at most what was observed.
  EXPECT_LE(killed["checkpoints"]["replayed_after_checkpoint"].get<std::uint64_t>(), duplicates);
  std::printf("kafka crash recovery: %d kills, resumed at offsets", kills);
  for (std::int64_t at : resumed_at) std::printf(" %lld", static_cast<long long>(at));
  std::printf("; %llu duplicate predictions\n", static_cast<unsigned long long>(duplicates));

  // (c) The models themselves: both pipelines, resumed from their checkpoints, predict probe
  // events alike, byte for byte (the records name the same source offsets).
  constexpr std::size_t kProbes = 5000;
  std::vector<std::pair<std::string, std::string>> probes;
  for (const SeaEvent& event : sea_events(kProbes, 99,
                                           {.first_id = kEvents,
                                            .first_ts_ms = 1'700'000'000'000 + 2 * kEvents,
                                            .threshold = 7.0}))
    probes.emplace_back(event.key, event.json);
  ASSERT_NO_FATAL_FAILURE(produce(probes));
  const Json probed_killed = run_to_end(
      {"run", "--config", config_, "--quiet", "--until", "end", "--set",
       "outputs.predictions=probe-killed"},
      "probe-killed");
  const Json probed_whole = run_to_end(whole_arguments("probe-whole"), "probe-whole");
  EXPECT_EQ(probed_killed["events"], kEvents + kProbes);
  EXPECT_EQ(comparable(probed_killed), comparable(probed_whole));
  auto killed_probes = read_topic(servers_, "probe-killed", {.expected_count = kProbes});
  auto whole_probes = read_topic(servers_, "probe-whole", {.expected_count = kProbes});
  ASSERT_TRUE(killed_probes && whole_probes);
  ASSERT_EQ(killed_probes->size(), kProbes);
  ASSERT_EQ(whole_probes->size(), kProbes);
  for (std::size_t i = 0; i < kProbes; ++i)
    ASSERT_EQ((*killed_probes)[i].value, (*whole_probes)[i].value) << "probe " << i;
}

TEST_F(KafkaCrashRecoveryTest, ACorruptNewestCheckpointIsReportedAndThePreviousOneUsed) {
  const std::vector<std::pair<std::string, std::string>> part(records_.begin(),
                                                               records_.begin() + 30'000);
  ASSERT_NO_FATAL_FAILURE(produce(part));
  const std::filesystem::path killed_dir = dir_ / "killed";
  // Paced, so that it is killed midway, once it has written three checkpoints.
  auto child = ChildProcess::streamlearn({"run", "--config", config_, "--quiet", "--rate", "8000"},
                                         dir_, "stopped");
  ASSERT_TRUE(child) << child.status().message();
  for (int i = 0; i < 6000 && checkpoint_files(killed_dir).size() < 3 && child->running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  child->kill();
  child->wait_for_exit(60'000);
  const std::vector<std::filesystem::path> files = checkpoint_files(killed_dir);
  ASSERT_GE(files.size(), 2u) << child->stderr_text();
  const std::filesystem::path newest = files.back();
  std::string bytes = read_bytes(newest);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
  std::ofstream(newest, std::ios::binary | std::ios::trunc) << bytes;

  std::string errors;
  const Json resumed = run_to_end({"run", "--config", config_, "--until", "end"}, "resumed",
                                  &errors);
  EXPECT_NE(errors.find(newest.string() + ": checksum mismatch"), std::string::npos) << errors;
  EXPECT_NE(errors.find("using the previous checkpoint"), std::string::npos) << errors;
  EXPECT_TRUE(std::filesystem::exists(newest.string() + ".corrupt"));
  EXPECT_EQ(resumed["checkpoints"]["restored_from"], files[files.size() - 2].string());
  const Json whole = run_to_end(whole_arguments("predictions-whole"), "whole");
  ASSERT_EQ(whole["events"], resumed["events"]);
  EXPECT_EQ(comparable(resumed), comparable(whole));
}

}  // namespace
}  // namespace streamlearn::testing
