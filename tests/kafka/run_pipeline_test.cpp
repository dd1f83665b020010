// `streamlearn run` end to end, as users deploy it: the built binary against an embedded broker
// started here, its inputs produced and its output topics read back with real Kafka clients.
// Every check is by event id: each produced event must get a prediction.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "connectors/kafka/embedded_broker.h"
#include "tests/kafka/kafka_test_kit.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

using Json = nlohmann::json;

constexpr int kExitTimeoutMs = 60'000;

class RunPipelineTest : public EmbeddedBrokerTest {
 protected:
  RunPipelineTest() : EmbeddedBrokerTest(3) {}

  /// A pipeline configuration for this broker; `edit` adjusts it.
  std::string write_config(const std::string& name, const std::function<void(Json&)>& edit = {}) {
    Json config = {
        {"pipeline", "e2e"},
        {"model", "standard_scaler | logistic_regression"},
        {"kafka", kafka_section()},
        {"source",
         {{"topics", {"events"}}, {"group_id", "e2e"}, {"commit_interval_ms", 200}}},
        {"schema", {{"target", "label"}, {"key", "key"}, {"id", "id"}, {"time", "ts"}}},
        {"outputs", {{"predictions", "predictions"}, {"dead_letter", "dead-letter"}}},
        // Any free port: tests run in parallel, and some start two pipelines.
        {"metrics", {{"listen", "127.0.0.1:0"}}},
    };
    if (edit) edit(config);
    const std::filesystem::path path = dir_ / (name + ".json");
    std::ofstream(path) << config.dump(2);
    return path.string();
  }

  void produce(const std::vector<SeaEvent>& events, const std::string& topic = "events") {
    auto producer = TestProducer::connect(servers_);
    ASSERT_TRUE(producer) << producer.status().message();
    for (const SeaEvent& event : events) {
      const core::Status status = producer->produce(topic, event.key, event.json);
      ASSERT_TRUE(status) << status.message();
    }
    const core::Status flushed = producer->flush();
    ASSERT_TRUE(flushed) << flushed.message();
  }

  /// The ids of the predictions on the topic, with how many times each was predicted.
  std::map<std::string, int> predicted_ids(std::size_t expected) {
    auto records = read_topic(servers_, "predictions",
                              {.expected_count = expected, .idle_timeout_ms = 5000,
                               .total_timeout_ms = 60'000});
    EXPECT_TRUE(records) << records.status().message();
    std::map<std::string, int> ids;
    if (!records) return ids;
    for (const ConsumedRecord& record : *records) ++ids[Json::parse(record.value).at("id").get<std::string>()];
    return ids;
  }

  /// The final JSON line a `run` printed on stdout.
  static Json summary(const ChildProcess& process) { return summary_line(process.stdout_text()); }

};

TEST_F(RunPipelineTest, CleanRunGivesEveryEventExactlyOnePrediction) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 4));
  constexpr std::size_t kEvents = 20'000;
  const std::vector<SeaEvent> events = sea_events(kEvents, 11);
  ASSERT_NO_FATAL_FAILURE(produce(events));
  auto process = ChildProcess::streamlearn(
      {"run", "--config", write_config("clean"), "--from", "earliest", "--until", "end"}, dir_);
  ASSERT_TRUE(process) << process.status().message();
  ASSERT_EQ(process->wait_for_exit(kExitTimeoutMs), 0) << process->stderr_text();

  const Json result = summary(*process);
  EXPECT_EQ(result["stop"], "finished") << result.dump();
  EXPECT_EQ(result["events"], kEvents);
  EXPECT_EQ(result["predictions"], kEvents);
  EXPECT_EQ(result["rejected"], 0);
  EXPECT_GT(result["accuracy"].get<double>(), 0.9);  // SEA is nearly linearly separable

  const std::map<std::string, int> ids = predicted_ids(kEvents);
  EXPECT_EQ(ids.size(), kEvents);
  for (const SeaEvent& event : events) {
    auto found = ids.find(event.id);
    ASSERT_NE(found, ids.end()) << event.id << " got no prediction";
    EXPECT_EQ(found->second, 1) << event.id;
  }
  // A prediction record carries what the README promises, keyed by the event key.
  auto first = read_topic(servers_, "predictions", {.expected_count = 1});
  ASSERT_TRUE(first && !first->empty());
  const Json prediction = Json::parse(first->front().value);
  for (const char* field : {"id", "key", "event_time", "model_version", "prediction",
                            "probabilities", "source"})
    EXPECT_TRUE(prediction.contains(field)) << field << " in " << prediction.dump();
  EXPECT_EQ(first->front().key, prediction["key"].get<std::string>());
  // Everything processed was committed: a restart would start at the end.
  auto committed = committed_offsets(servers_, "e2e", "events");
  ASSERT_TRUE(committed) << committed.status().message();
  std::int64_t total = 0;
  for (std::int64_t offset : *committed) total += offset > 0 ? offset : 0;
  EXPECT_EQ(total, static_cast<std::int64_t>(kEvents));
}

TEST_F(RunPipelineTest, MalformedEventsLandInTheDeadLetterTopicAndNothingElseIsLost) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  const std::vector<SeaEvent> events = sea_events(1000, 12);
  const std::vector<std::string> malformed = {
      R"({"id":"bad1","ts":1,"x0":1.0,)",                       // broken JSON
      R"({"id":"bad2","ts":1,"x0":NaN,"label":"1"})",             // not finite
      R"({"id":"bad3","ts":1,"x0":{"nested":1},"label":"1"})",    // a nested object
      R"({"id":"bad4","ts":"noon","x0":1.0,"label":"1"})",         // a bad event time
  };
  {
    auto producer = TestProducer::connect(servers_);
    ASSERT_TRUE(producer);
    for (std::size_t i = 0; i < events.size(); ++i) {
      ASSERT_TRUE(producer->produce("events", events[i].key, events[i].json, 0));
      if (i % 250 == 100) {
        ASSERT_TRUE(producer->produce("events", "bad-key", malformed[i / 250], 0));
      }
    }
    ASSERT_TRUE(producer->flush());
  }
  auto process = ChildProcess::streamlearn(
      {"run", "--config", write_config("dead-letter"), "--from", "earliest", "--until", "end"},
      dir_);
  ASSERT_TRUE(process);
  ASSERT_EQ(process->wait_for_exit(kExitTimeoutMs), 0) << process->stderr_text();
  const Json result = summary(*process);
  EXPECT_EQ(result["events"], 1000);
  EXPECT_EQ(result["rejected"], 4);
  EXPECT_EQ(result["dead_letters"], 4);

  auto dead = read_topic(servers_, "dead-letter", {.expected_count = 4});
  ASSERT_TRUE(dead) << dead.status().message();
  ASSERT_EQ(dead->size(), 4u);
  const std::vector<std::string> reasons = {"malformed_record", "non_finite", "bad_field_type",
                                            "bad_event_time"};
  for (std::size_t i = 0; i < 4; ++i) {
    const ConsumedRecord& record = (*dead)[i];
    EXPECT_EQ(record.value, malformed[i]);  // the original bytes
    EXPECT_EQ(record.key, "bad-key");
    std::map<std::string, std::string> headers(record.headers.begin(), record.headers.end());
    EXPECT_EQ(headers["streamlearn.reason"], reasons[i]);
    EXPECT_FALSE(headers["streamlearn.error"].empty());
    EXPECT_EQ(headers["streamlearn.source.topic"], "events");
    EXPECT_EQ(headers["streamlearn.source.partition"], "0");
    // Event i*250+100 is followed by the malformed record, at offset (i*250+100) + 1 + i.
    EXPECT_EQ(headers["streamlearn.source.offset"], std::to_string(i * 250 + 101 + i));
  }
  EXPECT_EQ(predicted_ids(1000).size(), 1000u);
}

TEST_F(RunPipelineTest, SigtermMidStreamThenRestartContinuesFromTheCommittedOffsets) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 2));
  constexpr std::size_t kEvents = 6000;
  const std::vector<SeaEvent> events = sea_events(kEvents, 13);
  ASSERT_NO_FATAL_FAILURE(produce(events));
  const std::string config = write_config("restart");
  {
    // Paced, so that SIGTERM arrives mid-stream.
    auto first = ChildProcess::streamlearn({"run", "--config", config, "--rate", "2000"}, dir_, "first");
    ASSERT_TRUE(first);
    // Stop once it has committed part of the stream.
    std::int64_t committed_before = 0;
    for (int attempt = 0; attempt < 200 && committed_before == 0; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto offsets = committed_offsets(servers_, "e2e", "events");
      ASSERT_TRUE(offsets) << offsets.status().message();
      for (std::int64_t offset : *offsets) committed_before += offset > 0 ? offset : 0;
    }
    ASSERT_GT(committed_before, 0) << first->stderr_text();
    first->terminate();
    ASSERT_EQ(first->wait_for_exit(kExitTimeoutMs), 0) << first->stderr_text();
    const Json result = summary(*first);
    EXPECT_EQ(result["stop"], "requested");
    EXPECT_GT(result["events"].get<int>(), 0);
    EXPECT_LT(result["events"].get<int>(), static_cast<int>(kEvents));
    // A graceful stop commits everything it processed.
    auto committed = committed_offsets(servers_, "e2e", "events");
    ASSERT_TRUE(committed);
    std::int64_t total = 0;
    for (std::int64_t offset : *committed) total += offset > 0 ? offset : 0;
    EXPECT_EQ(total, result["events"].get<std::int64_t>());
  }
  auto second =
      ChildProcess::streamlearn({"run", "--config", config, "--until", "end"}, dir_, "second");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->wait_for_exit(kExitTimeoutMs), 0) << second->stderr_text();
  const std::map<std::string, int> ids = predicted_ids(kEvents);
  std::size_t duplicates = 0;
  for (const SeaEvent& event : events) {
    auto found = ids.find(event.id);
    ASSERT_NE(found, ids.end()) << event.id << " was lost across the restart";
    duplicates += found->second - 1;
  }
  EXPECT_EQ(duplicates, 0u) << "a graceful stop commits all it processed";
}

TEST_F(RunPipelineTest, SigtermThenRestartResumesFromTheCheckpointAndEndsAsAnUninterruptedRun) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));  // one order, so the states can be compared
  constexpr std::size_t kEvents = 8000;
  const std::vector<SeaEvent> events = sea_events(kEvents, 22, {.drift_at = 4000});
  ASSERT_NO_FATAL_FAILURE(produce(events));
  const std::string checkpoints = (dir_ / "checkpoints").string();
  const std::string config = write_config("checkpointed", [&](Json& c) {
    c["monitoring"] = {{"concept_drift", {{"detector", "ddm"}, {"on_drift", "background"}}}};
    c["checkpoints"] = {{"directory", checkpoints}, {"interval", "1s"}, {"every_events", 1000}};
  });
  auto first = ChildProcess::streamlearn({"run", "--config", config, "--rate", "2000"}, dir_,
                                         "first");
  ASSERT_TRUE(first);
  // Stopped once it has checkpointed part of the stream.
  for (int i = 0; i < 600 && !std::filesystem::exists(checkpoints + "/checkpoint-" +
                                                      std::string(19, '0') + "1.slck");
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  first->terminate();
  ASSERT_EQ(first->wait_for_exit(kExitTimeoutMs), 0) << first->stderr_text();
  const Json stopped = summary(*first);
  EXPECT_EQ(stopped["stop"], "requested");
  ASSERT_LT(stopped["events"].get<std::size_t>(), kEvents);
  EXPECT_GE(stopped["checkpoints"]["written"].get<int>(), 2) << stopped.dump();  // + at the stop
  EXPECT_TRUE(stopped["checkpoints"]["restored_from"].is_null());

  auto second =
      ChildProcess::streamlearn({"run", "--config", config, "--until", "end"}, dir_, "second");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->wait_for_exit(kExitTimeoutMs), 0) << second->stderr_text();
  const Json resumed = summary(*second);
  EXPECT_FALSE(resumed["checkpoints"]["restored_from"].is_null()) << resumed.dump();
  EXPECT_EQ(resumed["checkpoints"]["replayed_after_checkpoint"], 0);  // a graceful stop
  EXPECT_NE(second->stderr_text().find("run: resumed from " + checkpoints), std::string::npos)
      << second->stderr_text();

  auto whole = ChildProcess::streamlearn(
      {"run", "--config", config, "--from", "earliest", "--until", "end", "--set",
       "source.group_id=whole", "--set", "checkpoints.directory=" + (dir_ / "whole").string(),
       "--set", "outputs.predictions=predictions-whole"},
      dir_, "whole");
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->wait_for_exit(kExitTimeoutMs), 0) << whole->stderr_text();
  Json expected = summary(*whole);
  Json actual = resumed;
  for (Json* result : {&expected, &actual})
    for (const char* key :
         {"seconds", "records_per_s", "checkpoints", "commits", "failed_commits", "rebalances"})
      result->erase(key);
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(actual["learned"], kEvents);
  // Every event has exactly one prediction: the restart went on where the stop was.
  const std::map<std::string, int> ids = predicted_ids(kEvents);
  for (const SeaEvent& event : events) {
    auto found = ids.find(event.id);
    ASSERT_NE(found, ids.end()) << event.id << " was lost across the restart";
    EXPECT_EQ(found->second, 1) << event.id;
  }
}

TEST_F(RunPipelineTest, ACheckpointOfAnotherModelIsAnError) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  ASSERT_NO_FATAL_FAILURE(produce(sea_events(500, 23)));
  const std::string checkpoints = (dir_ / "checkpoints").string();
  const std::string config = write_config("other-model", [&](Json& c) {
    c["checkpoints"] = {{"directory", checkpoints}};
  });
  const CommandRun first = run_streamlearn(
      "run --quiet --config " + config + " --from earliest --until end", dir_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const CommandRun other = run_streamlearn(
      "run --quiet --config " + config + " --until end --set model=gaussian_nb", dir_);
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_NE(other.err.find("the checkpoint holds the model"), std::string::npos) << other.err;
}

TEST_F(RunPipelineTest, TwoProcessesInOneGroupSplitThePartitionsAndCoverEveryEvent) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 4));
  const std::string config = write_config("group");
  auto a = ChildProcess::streamlearn({"run", "--config", config}, dir_, "a");
  auto b = ChildProcess::streamlearn({"run", "--config", config}, dir_, "b");
  ASSERT_TRUE(a && b);
  // Both join before the data comes, so that both get partitions.
  std::this_thread::sleep_for(std::chrono::seconds(8));
  constexpr std::size_t kEvents = 8000;
  const std::vector<SeaEvent> events = sea_events(kEvents, 14, {.num_keys = 64});
  ASSERT_NO_FATAL_FAILURE(produce(events));
  const std::map<std::string, int> ids = predicted_ids(kEvents);
  a->terminate();
  b->terminate();
  ASSERT_EQ(a->wait_for_exit(kExitTimeoutMs), 0) << a->stderr_text();
  ASSERT_EQ(b->wait_for_exit(kExitTimeoutMs), 0) << b->stderr_text();
  std::size_t duplicates = 0;
  for (const SeaEvent& event : events) {
    auto found = ids.find(event.id);
    ASSERT_NE(found, ids.end()) << event.id << " got no prediction";
    duplicates += found->second - 1;
  }
  const Json result_a = summary(*a);
  const Json result_b = summary(*b);
  EXPECT_GT(result_a["events"].get<int>(), 0) << "process a got no partition";
  EXPECT_GT(result_b["events"].get<int>(), 0) << "process b got no partition";
  EXPECT_EQ(result_a["events"].get<std::size_t>() + result_b["events"].get<std::size_t>(),
            kEvents + duplicates);
  RecordProperty("duplicates", static_cast<int>(duplicates));
}

TEST_F(RunPipelineTest, BrokerOutagesAndRequestErrorsLoseNoEvent) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 3));
  ASSERT_NO_FATAL_FAILURE(create_topic("predictions", 3));
  auto process = ChildProcess::streamlearn({"run", "--config", write_config("faults")}, dir_);
  ASSERT_TRUE(process);
  constexpr std::size_t kBatch = 3000;
  std::vector<SeaEvent> all;
  KafkaFaults faults(*broker_);
  auto produce_batch = [&](std::uint64_t batch) {
    std::vector<SeaEvent> events = sea_events(kBatch, 20 + batch, {.first_id = batch * kBatch});
    produce(events);
    all.insert(all.end(), events.begin(), events.end());
  };
  ASSERT_NO_FATAL_FAILURE(produce_batch(0));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  // A broker goes down for a while (leaders on it are unavailable), then comes back.
  ASSERT_TRUE(faults.broker_down(2));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  ASSERT_TRUE(faults.broker_up(2));
  ASSERT_NO_FATAL_FAILURE(produce_batch(1));
  // Requests of the pipeline fail: fetches, its produces and its commits, with retriable errors.
  faults.push_request_errors(kafka_api::kFetch, {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                                 RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
  faults.push_request_errors(kafka_api::kOffsetCommit,
                             {RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                              RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE});
  faults.push_request_errors(kafka_api::kProduce, {RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
                                                   RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_NO_FATAL_FAILURE(produce_batch(2));
  const std::map<std::string, int> ids = predicted_ids(all.size());
  process->terminate();
  ASSERT_EQ(process->wait_for_exit(kExitTimeoutMs), 0) << process->stderr_text();
  std::size_t duplicates = 0;
  for (const SeaEvent& event : all) {
    auto found = ids.find(event.id);
    ASSERT_NE(found, ids.end()) << event.id << " got no prediction";
    duplicates += found->second - 1;
  }
  std::printf("broker outage + request errors: %zu events, %zu duplicate predictions\n",
              all.size(), duplicates);
  RecordProperty("duplicates", static_cast<int>(duplicates));
}

TEST_F(RunPipelineTest, DelayedLabelsThroughKafkaEqualEvaluateWithTheSameDelay) {
  // Labels come 1,000 events late, as label records on the same (single-partition) topic, so
  // that the pipeline sees them exactly where `evaluate --delay 1000` reveals them.
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  constexpr std::size_t kEvents = 6000;
  constexpr std::size_t kDelay = 1000;
  const std::vector<SeaEvent> events =
      sea_events(kEvents, 15, {.with_label = false, .drift_at = 3000});
  {
    auto producer = TestProducer::connect(servers_);
    ASSERT_TRUE(producer);
    for (std::size_t i = 0; i < kEvents; ++i) {
      if (i >= kDelay) {
        ASSERT_TRUE(producer->produce("events", events[i - kDelay].key, events[i - kDelay].label_json));
      }
      ASSERT_TRUE(producer->produce("events", events[i].key, events[i].json));
    }
    for (std::size_t i = kEvents - kDelay; i < kEvents; ++i) {
      ASSERT_TRUE(producer->produce("events", events[i].key, events[i].label_json));
    }
    ASSERT_TRUE(producer->flush());
  }
  auto process = ChildProcess::streamlearn(
      {"run", "--config", write_config("delayed"), "--from", "earliest", "--until", "end"}, dir_);
  ASSERT_TRUE(process);
  ASSERT_EQ(process->wait_for_exit(kExitTimeoutMs), 0) << process->stderr_text();
  const Json live = summary(*process);
  EXPECT_EQ(live["events"], kEvents);
  EXPECT_EQ(live["labels_matched"], kEvents);
  EXPECT_EQ(live["labels_unmatched"], 0);
  EXPECT_EQ(live["pending"], 0);

  // The same events, each with its label, as a file for evaluate.
  const std::vector<SeaEvent> labelled = sea_events(kEvents, 15, {.drift_at = 3000});
  const std::filesystem::path file = dir_ / "events.jsonl";
  {
    std::ofstream out(file);
    for (const SeaEvent& event : labelled) out << event.json << "\n";
  }
  const CommandRun evaluated = run_streamlearn(
      "evaluate --data " + file.string() +
          " --target label --key key --id id --time ts --delay 1000 --json --model "
          "'standard_scaler | logistic_regression'",
      dir_);
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const Json offline = Json::parse(evaluated.out.substr(evaluated.out.rfind("{\"model")));
  EXPECT_EQ(offline["scored"], live["scored"]);
  EXPECT_DOUBLE_EQ(offline["accuracy"].get<double>(), live["accuracy"].get<double>());
  EXPECT_DOUBLE_EQ(offline["log_loss"].get<double>(), live["log_loss"].get<double>());
}

TEST_F(RunPipelineTest, ReplayGivesTheSamePredictionsAndAlertsAsTheLiveRun) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  const std::string config = write_config("replay", [](Json& c) {
    c["outputs"]["alerts"] = "alerts";
    c["monitoring"] = {{"concept_drift", {{"detector", "ddm"}, {"on_drift", "background"}}}};
  });
  // Live: the pipeline waits for events as they are produced.
  auto live = ChildProcess::streamlearn({"run", "--config", config}, dir_, "live");
  ASSERT_TRUE(live);
  constexpr std::size_t kEvents = 8000;
  const std::vector<SeaEvent> events = sea_events(kEvents, 16, {.drift_at = 4000});
  for (std::size_t batch = 0; batch < 4; ++batch) {
    ASSERT_NO_FATAL_FAILURE(produce(std::vector<SeaEvent>(events.begin() + batch * 2000,
                                                          events.begin() + (batch + 1) * 2000)));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  auto live_predictions = read_topic(servers_, "predictions", {.expected_count = kEvents});
  ASSERT_TRUE(live_predictions);
  ASSERT_EQ(live_predictions->size(), kEvents);
  live->terminate();
  ASSERT_EQ(live->wait_for_exit(kExitTimeoutMs), 0) << live->stderr_text();
  const Json live_result = summary(*live);
  ASSERT_GE(live_result["alerts_fired"].get<int>(), 1) << "the drift should raise an alert";

  // Replay: another group, from the earliest offset to the end, into other output topics.
  auto replay = ChildProcess::streamlearn(
      {"run", "--config", config, "--from", "earliest", "--until", "end", "--set",
       "source.group_id=replay", "--set", "outputs.predictions=predictions-replay", "--set",
       "outputs.alerts=alerts-replay"},
      dir_, "replay");
  ASSERT_TRUE(replay);
  ASSERT_EQ(replay->wait_for_exit(kExitTimeoutMs), 0) << replay->stderr_text();
  auto replayed = read_topic(servers_, "predictions-replay", {.expected_count = kEvents});
  ASSERT_TRUE(replayed);
  ASSERT_EQ(replayed->size(), kEvents);
  for (std::size_t i = 0; i < kEvents; ++i)
    ASSERT_EQ((*replayed)[i].value, (*live_predictions)[i].value) << "prediction " << i;

  auto live_alerts = read_topic(servers_, "alerts");
  auto replay_alerts = read_topic(servers_, "alerts-replay");
  ASSERT_TRUE(live_alerts && replay_alerts);
  ASSERT_EQ(live_alerts->size(), live_result["alerts_fired"].get<std::size_t>());
  ASSERT_EQ(replay_alerts->size(), live_alerts->size());
  for (std::size_t i = 0; i < live_alerts->size(); ++i) {
    Json a = Json::parse((*live_alerts)[i].value);
    Json b = Json::parse((*replay_alerts)[i].value);
    a.erase("wall_time");  // when it was raised, the only difference
    b.erase("wall_time");
    EXPECT_EQ(a, b) << "alert " << i;
  }
}

TEST_F(RunPipelineTest, TransformTwiceAndRunFromTheBrokerGiveByteIdenticalFeatureVectors) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  ASSERT_NO_FATAL_FAILURE(create_topic("features", 1));  // read back in the order written
  constexpr std::size_t kEvents = 6000;
  const std::vector<SeaEvent> events = sea_events(kEvents, 21);
  const std::filesystem::path data = dir_ / "events.jsonl";
  {
    std::ofstream file(data);
    for (const SeaEvent& event : events) file << event.json << '\n';
  }
  // Every window kind, a target aggregate and learned transformers after them.
  const std::string config = write_config("features", [](Json& c) {
    c["features"] = {
        {{"window", {{"size", "200ms"}, {"step", "50ms"}, {"agg", {"mean(x0)", "count()"}}}}},
        {{"window", {{"gap", "20ms"}, {"agg", {"sum(x1)", "last(x1)"}}}}},
        {{"window", {{"events", 5}, {"agg", {"max(x2)", "quantile(x2, q=0.9)"}}}}},
        {{"target_agg", {{"events", 50}}}},  // global: `key` is the event key, not a field
    };
    c["outputs"]["features"] = "features";
  });
  const CommandRun first = run_streamlearn("transform --config " + config + " --data " + data.string(), dir_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const CommandRun second = run_streamlearn("transform --config " + config + " --data " + data.string(), dir_);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(first.out, second.out);
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = first.out.find('\n', start)) != std::string::npos;
       start = end + 1)
    lines.push_back(first.out.substr(start, end - start));
  ASSERT_EQ(lines.size(), kEvents);
  const Json sample = Json::parse(lines[100]);
  for (const char* feature : {"mean(x0)@key_200ms_every_50ms", "count()@key_200ms_every_50ms",
                              "sum(x1)@key_session_20ms", "max(x2)@key_last_5",
                              "quantile(x2, q=0.9)@key_last_5", "mean(target)@key_last_50", "x0"})
    EXPECT_TRUE(sample["features"].contains(feature)) << feature << " in " << lines[100];

  ASSERT_NO_FATAL_FAILURE(produce(events));
  auto process = ChildProcess::streamlearn(
      {"run", "--config", config, "--from", "earliest", "--until", "end"}, dir_);
  ASSERT_TRUE(process) << process.status().message();
  ASSERT_EQ(process->wait_for_exit(kExitTimeoutMs), 0) << process->stderr_text();
  EXPECT_EQ(summary(*process)["features_written"], kEvents);
  auto written = read_topic(servers_, "features", {.expected_count = kEvents});
  ASSERT_TRUE(written) << written.status().message();
  ASSERT_EQ(written->size(), kEvents);
  for (std::size_t i = 0; i < kEvents; ++i)
    ASSERT_EQ((*written)[i].value, lines[i]) << "event " << i;
}

TEST_F(RunPipelineTest, UndeliverablePredictionsStopTheRunWithoutCommittingThem) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events", 1));
  ASSERT_NO_FATAL_FAILURE(create_topic("predictions", 1));
  KafkaFaults faults(*broker_);
  ASSERT_TRUE(faults.set_partition_leader("events", 0, 1));
  ASSERT_TRUE(faults.set_partition_leader("predictions", 0, 3));
  const std::string config = write_config("undeliverable", [](Json& c) {
    c["outputs"]["properties"] = {{"message.timeout.ms", "3000"}};
  });
  auto first = ChildProcess::streamlearn({"run", "--config", config}, dir_, "first");
  ASSERT_TRUE(first);
  const std::vector<SeaEvent> before = sea_events(1000, 17);
  ASSERT_NO_FATAL_FAILURE(produce(before));
  auto delivered = read_topic(servers_, "predictions",
                              {.expected_count = before.size(), .idle_timeout_ms = 10'000});
  ASSERT_TRUE(delivered) << delivered.status().message();
  ASSERT_EQ(delivered->size(), before.size()) << first->stderr_text();

  // The predictions' leader goes down: the next predictions cannot be delivered in time.
  ASSERT_TRUE(faults.broker_down(3));
  const std::vector<SeaEvent> during = sea_events(1000, 18, {.first_id = 1000});
  ASSERT_NO_FATAL_FAILURE(produce(during));
  ASSERT_EQ(first->wait_for_exit(kExitTimeoutMs), 1) << first->stderr_text();
  EXPECT_NE(first->stderr_text().find("could not be delivered"), std::string::npos)
      << first->stderr_text();
  EXPECT_EQ(summary(*first)["stop"], "failed");
  auto committed = committed_offsets(servers_, "e2e", "events");
  ASSERT_TRUE(committed && committed->size() == 1u);
  EXPECT_LE((*committed)[0], 1000) << "offsets of undelivered predictions were committed";

  // Back up: a restart processes them again, and nothing is lost.
  ASSERT_TRUE(faults.broker_up(3));
  auto second =
      ChildProcess::streamlearn({"run", "--config", config, "--until", "end"}, dir_, "second");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->wait_for_exit(kExitTimeoutMs), 0) << second->stderr_text();
  const std::map<std::string, int> ids = predicted_ids(2000);
  for (const std::vector<SeaEvent>* batch : {&before, &during})
    for (const SeaEvent& event : *batch)
      EXPECT_TRUE(ids.count(event.id)) << event.id << " was lost";
}

TEST_F(RunPipelineTest, ATopicPatternSubscribesToEveryMatchingTopic) {
  ASSERT_NO_FATAL_FAILURE(create_topic("events-eu", 2));
  ASSERT_NO_FATAL_FAILURE(create_topic("events-us", 2));
  ASSERT_NO_FATAL_FAILURE(create_topic("audit", 1));
  const std::vector<SeaEvent> eu = sea_events(500, 19);
  const std::vector<SeaEvent> us = sea_events(500, 20, {.first_id = 500});
  ASSERT_NO_FATAL_FAILURE(produce(eu, "events-eu"));
  ASSERT_NO_FATAL_FAILURE(produce(us, "events-us"));
  ASSERT_NO_FATAL_FAILURE(produce(sea_events(100, 21, {.first_id = 1000}), "audit"));
  const std::string config = write_config("pattern", [](Json& c) {
    c["source"].erase("topics");
    c["source"]["topic_pattern"] = "^events-.*";
  });
  auto process = ChildProcess::streamlearn(
      {"run", "--config", config, "--from", "earliest", "--until", "end"}, dir_);
  ASSERT_TRUE(process);
  ASSERT_EQ(process->wait_for_exit(kExitTimeoutMs), 0) << process->stderr_text();
  EXPECT_EQ(summary(*process)["events"], 1000);  // not the audit topic
  const std::map<std::string, int> ids = predicted_ids(1000);
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_FALSE(ids.count("e1000"));
}

}  // namespace
}  // namespace streamlearn::testing
