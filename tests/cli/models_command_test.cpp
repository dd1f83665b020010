// `streamlearn models list|show|export|rollback` over the registry that `evaluate --checkpoint-dir`
// records: a version per drift reset or background swap, its metadata and snapshot, and a rollback
// applied exactly once (also when a crash comes before or after the checkpoint that holds it).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "connectors/files/model_file.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModel = "standard_scaler | logistic_regression";

nlohmann::json last_json_line(const std::string& out) {
  const std::size_t end = out.find_last_not_of('\n');
  const std::size_t newline = out.rfind('\n', end);
  const std::size_t start = newline == std::string::npos ? 0 : newline + 1;
  return nlohmann::json::parse(out.substr(start, end - start + 1));
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_bytes(path)); }

std::string padded(std::uint64_t version) {
  std::string digits = std::to_string(version);
  return std::string(20 - digits.size(), '0') + digits;
}

fs::path metadata_file(const fs::path& checkpoints, std::uint64_t version) {
  return checkpoints / "models" / ("version-" + padded(version) + ".json");
}

fs::path snapshot_file(const fs::path& checkpoints, std::uint64_t version) {
  return checkpoints / "models" / ("version-" + padded(version) + ".slmodel");
}

/// A seeded SEA stream whose concept changes suddenly at event 3000, then again at 6000.
fs::path drifting_stream(const fs::path& dir) {
  const fs::path path = dir / "drifting.csv";
  const CommandRun run = run_streamlearn(
      "generate 'sea(variant=0, noise=0.0)' --n 9000 --seed 11 --drift-to "
      "\"concept_drift(stream=sea(variant=3), drift_stream=sea(variant=2), position=3000, "
      "width=1)\" --drift-at 3000 --drift-width 1 --output " + path.string(),
      dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return path;
}

CommandRun evaluate(const fs::path& data, const fs::path& checkpoints, const std::string& on_drift,
                    const fs::path& dir) {
  return run_streamlearn("evaluate --json --quiet --data " + data.string() +
                             " --target label --model '" + kModel +
                             "' --rolling 500 --drift-detector ddm --on-drift " + on_drift +
                             " --checkpoint-dir " + checkpoints.string() +
                             " --checkpoint-events 1000",
                         dir);
}

std::size_t count_versions(const fs::path& checkpoints) {
  std::size_t count = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(checkpoints / "models"))
    count += entry.path().extension() == ".json" &&
             entry.path().filename().string().starts_with("version-");
  return count;
}

TEST(ModelsCommandTest, APromotedChallengerIsAVersionOfItsOwnExpression) {
  const fs::path dir = scratch_dir();
  const fs::path data = drifting_stream(dir);
  const fs::path state = dir / "state";
  const CommandRun run = run_streamlearn(
      "evaluate --json --quiet --data " + data.string() + " --target label --model '" + kModel +
          "' --challenger gaussian_nb --challenger-margin 1 --promote-at 2000 --checkpoint-dir " +
          state.string(),
      dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(last_json_line(run.out)["model_version"], 2);
  const nlohmann::json champion = read_json(metadata_file(state, 1));
  const nlohmann::json promoted = read_json(metadata_file(state, 2));
  EXPECT_EQ(champion["model"], kModel);
  EXPECT_EQ(promoted["reason"], "promotion");
  EXPECT_EQ(promoted["model"], "gaussian_nb") << "the version is the challenger's model";
  auto snapshot = connectors::ModelFile::read(snapshot_file(state, 1).string());
  ASSERT_TRUE(snapshot) << snapshot.status().message();
  EXPECT_EQ(snapshot->expression, kModel);
  auto current = connectors::ModelFile::read((state / "models" / "current.slmodel").string());
  ASSERT_TRUE(current) << current.status().message();
  EXPECT_EQ(current->expression, "gaussian_nb");
  EXPECT_EQ(current->model_version, 2u);
}

TEST(ModelsCommandTest, EveryResetIsAVersionWithMetadataAndTheRetiredOnesHaveSnapshots) {
  const fs::path dir = scratch_dir();
  const fs::path data = drifting_stream(dir);
  const CommandRun run = evaluate(data, dir / "state", "reset", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json result = last_json_line(run.out);
  const auto versions = result["model_version"].get<std::uint64_t>();
  const auto drifts = result["drifts"].get<std::vector<std::uint64_t>>();
  ASSERT_GE(versions, 3u) << "the stream drifts twice: a version per drift";
  ASSERT_EQ(drifts.size(), versions - 1);
  ASSERT_EQ(count_versions(dir / "state"), versions);
  for (std::uint64_t version = 1; version <= versions; ++version) {
    const nlohmann::json metadata = read_json(metadata_file(dir / "state", version));
    EXPECT_EQ(metadata["version"], version);
    EXPECT_EQ(metadata["model"], kModel);
    EXPECT_TRUE(metadata["metrics_at_creation"].contains("rolling_accuracy")) << metadata;
    EXPECT_EQ(metadata["created"].get<std::string>().size(), 24u) << metadata;  // ISO 8601, ms
    if (version == 1) {
      EXPECT_EQ(metadata["reason"], "start");
      EXPECT_TRUE(metadata["parent"].is_null());
      EXPECT_EQ(metadata["created_at_events"], 0);
    } else {
      EXPECT_EQ(metadata["reason"], "reset");
      EXPECT_EQ(metadata["parent"], version - 1);
      // The drift alert that reset the model came at the event the version began after.
      EXPECT_EQ(metadata["created_at_events"].get<std::uint64_t>(), drifts[version - 2] + 1)
          << metadata;
      const nlohmann::json parent = read_json(metadata_file(dir / "state", version - 1));
      EXPECT_EQ(parent["retired_at_events"], metadata["created_at_events"]);
      EXPECT_EQ(parent["metrics_at_retirement"], metadata["metrics_at_creation"]);
    }
    const bool serving = version == versions;
    EXPECT_EQ(metadata["status"], serving ? "serving" : "retired") << metadata;
    EXPECT_EQ(fs::exists(snapshot_file(dir / "state", version)), !serving) << version;
    if (!serving) {
      auto snapshot = connectors::ModelFile::read(snapshot_file(dir / "state", version).string());
      ASSERT_TRUE(snapshot) << snapshot.status().message();
      EXPECT_EQ(snapshot->model_version, version);
      EXPECT_EQ(snapshot->expression, kModel);
      EXPECT_EQ(snapshot->events, metadata["retired_at_events"].get<std::uint64_t>());
    }
  }
  auto current = connectors::ModelFile::read((dir / "state" / "models" / "current.slmodel").string());
  ASSERT_TRUE(current) << current.status().message();
  EXPECT_EQ(current->model_version, versions);
  EXPECT_EQ(current->events, 9000u);
}

TEST(ModelsCommandTest, BackgroundSwapsAreVersionsToo) {
  const fs::path dir = scratch_dir();
  const fs::path data = drifting_stream(dir);
  const CommandRun run = evaluate(data, dir / "state", "background", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto versions = last_json_line(run.out)["model_version"].get<std::uint64_t>();
  ASSERT_GE(versions, 2u);
  std::size_t swaps = 0;
  for (std::uint64_t version = 2; version <= versions; ++version) {
    const std::string reason = read_json(metadata_file(dir / "state", version))["reason"];
    EXPECT_TRUE(reason == "swap" || reason == "reset") << reason;
    swaps += reason == "swap";
  }
  EXPECT_GE(swaps, 1u) << "ddm has a warning zone: a background model was trained and swapped in";
}

TEST(ModelsCommandTest, ListShowAndExportReadTheRegistry) {
  const fs::path dir = scratch_dir();
  const fs::path data = drifting_stream(dir);
  ASSERT_EQ(evaluate(data, dir / "state", "reset", dir).exit_code, 0);
  const std::size_t versions = count_versions(dir / "state");
  const std::string state = " --checkpoint-dir " + (dir / "state").string();

  const CommandRun list = run_streamlearn("models list" + state, dir);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("rolling_accuracy@created"), std::string::npos) << list.out;
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = list.out.find('\n', start)) != std::string::npos;
       start = end + 1)
    lines.push_back(list.out.substr(start, end - start));
  ASSERT_EQ(lines.size(), versions + 1) << list.out;
  EXPECT_EQ(lines[1].rfind("1 ", 0), 0u) << lines[1];
  EXPECT_NE(lines[1].find("start"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("retired"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("reset"), std::string::npos) << lines[2];
  EXPECT_NE(lines.back().find("serving"), std::string::npos) << lines.back();

  const CommandRun show = run_streamlearn("models show --version 2" + state, dir);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out), read_json(metadata_file(dir / "state", 2)));

  const CommandRun unknown = run_streamlearn("models show --version 99" + state, dir);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no version 99"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("the versions are 1, 2"), std::string::npos) << unknown.err;

  const CommandRun no_registry =
      run_streamlearn("models list --checkpoint-dir " + dir.string(), dir);
  EXPECT_EQ(no_registry.exit_code, 1);
  EXPECT_NE(no_registry.err.find("no model registry in"), std::string::npos) << no_registry.err;

  const CommandRun exported = run_streamlearn(
      "models export --version 1 --output " + (dir / "one.slmodel").string() + state, dir);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto one = connectors::ModelFile::read((dir / "one.slmodel").string());
  auto snapshot = connectors::ModelFile::read(snapshot_file(dir / "state", 1).string());
  ASSERT_TRUE(one) << one.status().message();
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(one->learner, snapshot->learner);
  EXPECT_EQ(one->names, snapshot->names);
  EXPECT_EQ(one->model_version, 1u);

  const CommandRun current = run_streamlearn(
      "models export --version current --output " + (dir / "current.slmodel").string() + state,
      dir);
  ASSERT_EQ(current.exit_code, 0) << current.err;
  const CommandRun serving = run_streamlearn("models export --version " +
                                                 std::to_string(versions) + " --output " +
                                                 (dir / "serving.slmodel").string() + state,
                                             dir);
  ASSERT_EQ(serving.exit_code, 0) << serving.err;
  auto current_model = connectors::ModelFile::read((dir / "current.slmodel").string());
  ASSERT_TRUE(current_model);
  EXPECT_EQ(current_model->model_version, versions);
  EXPECT_NE(current_model->learner, one->learner);
  EXPECT_EQ(read_bytes(dir / "serving.slmodel"), read_bytes(dir / "current.slmodel"));
}

TEST(ModelsCommandTest, ACorruptSnapshotIsDetectedAndNamed) {
  const fs::path dir = scratch_dir();
  const fs::path data = drifting_stream(dir);
  ASSERT_EQ(evaluate(data, dir / "state", "reset", dir).exit_code, 0);
  const fs::path snapshot = snapshot_file(dir / "state", 1);
  std::string bytes = read_bytes(snapshot);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
  std::ofstream(snapshot, std::ios::binary | std::ios::trunc) << bytes;
  const std::string state = " --checkpoint-dir " + (dir / "state").string();

  const CommandRun exported = run_streamlearn(
      "models export --version 1 --output " + (dir / "one.slmodel").string() + state, dir);
  EXPECT_EQ(exported.exit_code, 1);
  EXPECT_NE(exported.err.find("checksum mismatch"), std::string::npos) << exported.err;
  EXPECT_NE(exported.err.find(snapshot.filename().string()), std::string::npos) << exported.err;
  EXPECT_FALSE(fs::exists(dir / "one.slmodel"));
  const CommandRun rollback = run_streamlearn("models rollback --version 1" + state, dir);
  EXPECT_EQ(rollback.exit_code, 1);
  EXPECT_NE(rollback.err.find("checksum mismatch"), std::string::npos) << rollback.err;
  EXPECT_FALSE(fs::exists(dir / "state" / "models" / "rollback-request.json"));
}

/// The log loss of evaluating `probe` with the model in `model_file`, learning nothing new before.
double probe_log_loss(const fs::path& probe, const fs::path& model_file, const fs::path& dir) {
  const CommandRun run =
      run_streamlearn("evaluate --json --quiet --data " + probe.string() +
                          " --target label --model '" + kModel + "' --warm-start " +
                          model_file.string(),
                      dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return last_json_line(run.out)["log_loss"].get<double>();
}

TEST(ModelsCommandTest, RollbackIsAppliedExactlyOnceAndServesTheRolledBackModel) {
  const fs::path dir = scratch_dir();
  const fs::path data = drifting_stream(dir);
  const fs::path state = dir / "state";
  ASSERT_EQ(evaluate(data, state, "reset", dir).exit_code, 0);
  const std::size_t versions = count_versions(state);
  ASSERT_GE(versions, 2u);
  const std::string flags = " --checkpoint-dir " + state.string();

  const CommandRun serving_one =
      run_streamlearn("models rollback --version " + std::to_string(versions) + flags, dir);
  EXPECT_EQ(serving_one.exit_code, 1);
  EXPECT_NE(serving_one.err.find("is the serving one"), std::string::npos) << serving_one.err;
  const CommandRun requested = run_streamlearn("models rollback --version 1" + flags, dir);
  ASSERT_EQ(requested.exit_code, 0) << requested.err;
  const fs::path request = state / "models" / "rollback-request.json";
  ASSERT_TRUE(fs::exists(request));
  const CommandRun second = run_streamlearn("models rollback --version 1" + flags, dir);
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("is pending"), std::string::npos) << second.err;
  fs::copy(state, dir / "before", fs::copy_options::recursive);

  // The stopped pipeline applies it when it starts (resumed at the end of its file).
  const CommandRun applied = evaluate(data, state, "reset", dir);
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_NE(applied.err.find("rolled back to version 1: now version " +
                             std::to_string(versions + 1)),
            std::string::npos)
      << applied.err;
  EXPECT_FALSE(fs::exists(request));
  ASSERT_EQ(count_versions(state), versions + 1);
  const nlohmann::json rolled_back = read_json(metadata_file(state, versions + 1));
  EXPECT_EQ(rolled_back["reason"], "rollback");
  EXPECT_EQ(rolled_back["rollback_of"], 1);
  EXPECT_EQ(rolled_back["parent"], versions);
  EXPECT_EQ(read_json(metadata_file(state, versions))["status"], "retired");
  auto current = connectors::ModelFile::read((state / "models" / "current.slmodel").string());
  auto one = connectors::ModelFile::read(snapshot_file(state, 1).string());
  ASSERT_TRUE(current);
  ASSERT_TRUE(one);
  EXPECT_EQ(current->model_version, versions + 1);
  EXPECT_EQ(current->learner, one->learner);

  // Started again: nothing more to apply.
  ASSERT_EQ(evaluate(data, state, "reset", dir).exit_code, 0);
  EXPECT_EQ(count_versions(state), versions + 1);

  // A crash after the checkpoint that holds the rollback, before the request was removed.
  fs::copy_file(dir / "before" / "models" / "rollback-request.json", request);
  ASSERT_EQ(evaluate(data, state, "reset", dir).exit_code, 0);
  EXPECT_EQ(count_versions(state), versions + 1);
  EXPECT_FALSE(fs::exists(request));

  // A crash after the rollback was recorded, before a checkpoint held it: applied again, once.
  const fs::path crashed = dir / "before";
  fs::copy_file(metadata_file(state, versions + 1), metadata_file(crashed, versions + 1));
  fs::copy_file(snapshot_file(state, versions), snapshot_file(crashed, versions));
  const CommandRun replayed = evaluate(data, crashed, "reset", dir);
  ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
  EXPECT_EQ(count_versions(crashed), versions + 1);
  EXPECT_EQ(read_json(metadata_file(crashed, versions + 1))["rollback_of"], 1);
  EXPECT_FALSE(fs::exists(crashed / "models" / "rollback-request.json"));

  // The rolled back model predicts as version 1 did (and not as the version it replaced).
  const fs::path probe = dir / "probe.csv";
  ASSERT_EQ(run_streamlearn("generate 'sea(variant=0)' --n 500 --seed 5 --output " +
                                probe.string(),
                            dir)
                .exit_code,
            0);
  const std::string to = " --output ";
  ASSERT_EQ(run_streamlearn("models export --version current" + to + (dir / "now.slmodel").string() +
                                flags, dir).exit_code, 0);
  ASSERT_EQ(run_streamlearn("models export --version 1" + to + (dir / "one.slmodel").string() +
                                flags, dir).exit_code, 0);
  ASSERT_EQ(run_streamlearn("models export --version " + std::to_string(versions) + to +
                                (dir / "last.slmodel").string() + flags, dir).exit_code, 0);
  const double now = probe_log_loss(probe, dir / "now.slmodel", dir);
  EXPECT_EQ(now, probe_log_loss(probe, dir / "one.slmodel", dir));
  EXPECT_NE(now, probe_log_loss(probe, dir / "last.slmodel", dir));
}

TEST(ModelsCommandTest, LearnersListsTheCatalogue) {
  const CommandRun run = run_streamlearn("learners", scratch_dir());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("logistic_regression"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[transformer]"), std::string::npos) << run.out;
  const CommandRun models = run_streamlearn("models", scratch_dir());
  EXPECT_EQ(models.exit_code, 2);
  EXPECT_NE(models.err.find("list|show|export|rollback"), std::string::npos) << models.err;
}

}  // namespace
}  // namespace streamlearn::testing
