// A file replay killed with SIGKILL at random moments and resumed from its checkpoints ends in
// exactly the state of an uninterrupted replay: the same summary (every event scored and learned
// once, every metric to the last bit, the same drifts and alerts), and the same predictions and
// learning on probe events appended afterwards. A corrupt newest checkpoint is reported and the
// previous one used, to the same end.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/kafka/kafka_test_kit.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

using Json = nlohmann::json;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The summary without what differs from run to run (timings, alert wall times, checkpoints).
Json comparable(Json summary) {
  for (const char* key : {"seconds", "events_per_s", "checkpoints"}) summary.erase(key);
  for (Json& alert : summary["alerts"]) alert.erase("wall_time");
  return summary;
}

class FileReplayRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_dir();
    data_ = (dir_ / "stream.csv").string();
    std::string output;
    const std::string generate = streamlearn_binary().string() +
                                 " generate 'sea(noise=0.1)' --n 300000 --seed 7 --drift-to "
                                 "'sea(variant=2, noise=0.1)' --drift-at 150000 --drift-width 1 "
                                 "--output " +
                                 data_;
    ASSERT_EQ(run_command(generate, &output), 0) << output;
  }

  std::vector<std::string> arguments(const std::filesystem::path& checkpoints) const {
    return {"evaluate",       "--json",
            "--quiet",        "--data",
            data_,            "--target",
            "label",          "--model",
            "window(events=50, agg=[mean(x1), max(x2)]) | standard_scaler | hoeffding_tree",
            "--delay",        "100",
            "--rolling",      "1000",
            "--drift-detector", "adwin",
            "--on-drift",     "background",
            "--monitor-features", "x0,x1",
            "--checkpoint-dir", checkpoints.string(),
            "--checkpoint-events", "20000"};
  }

  /// Runs to the end; returns the JSON summary.
  Json run_to_end(const std::filesystem::path& checkpoints, std::string* errors = nullptr) {
    auto child = ChildProcess::streamlearn(arguments(checkpoints), dir_, "replay");
    EXPECT_TRUE(child) << child.status().message();
    EXPECT_EQ(child->wait_for_exit(300'000), 0) << child->stderr_text();
    if (errors) *errors = child->stderr_text();
    return Json::parse(child->stdout_text());
  }

  std::filesystem::path dir_;
  std::string data_;
};

TEST_F(FileReplayRecoveryTest, KilledAtRandomMomentsAndResumedEndsInTheUninterruptedState) {
  const auto start = std::chrono::steady_clock::now();
  const Json uninterrupted = run_to_end(dir_ / "uninterrupted");
  const double whole_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(uninterrupted["events"], 300000);
  ASSERT_GT(uninterrupted["alerts_fired"].get<int>(), 0);  // the drift happened and was acted on

  // Each run is killed after 5% to 25% of an uninterrupted replay's time (so at least three
  // kills land before the end, however fast the machine), then resumed.
  const std::filesystem::path checkpoints = dir_ / "killed";
  std::mt19937 rng(20261122);
  std::uniform_real_distribution<double> fraction(0.05, 0.25);
  int kills = 0;
  for (int attempt = 0; attempt < 40; ++attempt) {
    auto child = ChildProcess::streamlearn(arguments(checkpoints), dir_, "killed");
    ASSERT_TRUE(child) << child.status().message();
    std::this_thread::sleep_for(std::chrono::microseconds(
        static_cast<std::int64_t>(std::max(5.0, fraction(rng) * whole_ms) * 1000)));
    child->kill();
    const std::optional<int> ended = child->wait_for_exit(60'000);
    ASSERT_TRUE(ended.has_value());
    if (*ended == 0) break;  // it finished before the kill
    ASSERT_EQ(*ended, -9) << child->stderr_text();
    ++kills;
  }
  EXPECT_GE(kills, 3);
  std::string errors;
  const Json killed = run_to_end(checkpoints, &errors);
  EXPECT_EQ(killed["checkpoints"]["resumed"], true) << errors;

  EXPECT_EQ(comparable(killed), comparable(uninterrupted));
  EXPECT_EQ(killed["learned"], uninterrupted["learned"]);  // each labelled event learned once

  // The models themselves: both states predict (and learn) 20,000 probe events appended to the
  // file alike. (The checkpoints differ only in wall-clock times: of the saves, of the alerts.)
  std::string output;
  const std::string probe = (dir_ / "probe.csv").string();
  ASSERT_EQ(run_command(streamlearn_binary().string() + " generate 'sea(variant=3, noise=0.1)' "
                        "--n 20000 --seed 99 --output " + probe, &output), 0) << output;
  {
    std::ifstream rows(probe);
    std::string header;
    std::getline(rows, header);
    std::ofstream(data_, std::ios::app) << rows.rdbuf();
  }
  const Json probed_killed = run_to_end(checkpoints);
  const Json probed_uninterrupted = run_to_end(dir_ / "uninterrupted");
  ASSERT_EQ(probed_killed["events"], 320000);
  EXPECT_EQ(comparable(probed_killed), comparable(probed_uninterrupted));
}

TEST_F(FileReplayRecoveryTest, ACorruptNewestCheckpointIsReportedAndThePreviousOneUsed) {
  const Json uninterrupted = run_to_end(dir_ / "uninterrupted");
  // A replay stopped midway (its checkpoints every 20,000 events), then its newest checkpoint
  // damaged: one flipped byte.
  const std::filesystem::path checkpoints = dir_ / "damaged";
  auto child = ChildProcess::streamlearn(arguments(checkpoints), dir_, "stopped");
  ASSERT_TRUE(child) << child.status().message();
  // Listed, not opened: opening a checkpoint directory removes the temporary file being written.
  const auto checkpoint_files = [&] {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(checkpoints, error))
      if (entry.path().extension() == ".slck") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
  };
  for (int i = 0; i < 2000 && checkpoint_files().size() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  child->kill();
  child->wait_for_exit(60'000);
  const std::vector<std::filesystem::path> files = checkpoint_files();
  ASSERT_GE(files.size(), 2u);
  const std::filesystem::path newest = files.back();
  std::string bytes = read_bytes(newest);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
  std::ofstream(newest, std::ios::binary | std::ios::trunc) << bytes;

  std::string errors;
  const Json resumed = run_to_end(checkpoints, &errors);
  EXPECT_NE(errors.find(newest.string() + ": checksum mismatch"), std::string::npos) << errors;
  EXPECT_NE(errors.find("using the previous checkpoint"), std::string::npos) << errors;
  EXPECT_TRUE(std::filesystem::exists(newest.string() + ".corrupt"));
  EXPECT_EQ(comparable(resumed), comparable(uninterrupted));
}

}  // namespace
}  // namespace streamlearn::testing
