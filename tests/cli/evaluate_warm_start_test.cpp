// `streamlearn evaluate --warm-start FILE`: a pipeline started from a model another run exported
// (`streamlearn models export`) goes on exactly as that run would have.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "connectors/files/file_source.h"
#include "stream/pipeline_model.h"
#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModel = "standard_scaler | logistic_regression(l2=0.001)";

nlohmann::json last_json_line(const std::string& out) {
  const std::size_t end = out.find_last_not_of('\n');
  const std::size_t newline = out.rfind('\n', end);
  const std::size_t start = newline == std::string::npos ? 0 : newline + 1;
  return nlohmann::json::parse(out.substr(start, end - start + 1));
}

/// A generated stream cut in two files with the same header: the first 3000 events, the rest.
struct Halves {
  fs::path first;
  fs::path second;
};

Halves generated_halves(const fs::path& dir) {
  const fs::path whole = dir / "whole.csv";
  const CommandRun generated = run_streamlearn(
      "generate 'agrawal(classification_function=1)' --n 5000 --seed 21 --output " +
          whole.string(),
      dir);
  EXPECT_EQ(generated.exit_code, 0) << generated.err;
  std::ifstream in(whole);
  std::string header, line;
  std::getline(in, header);
  Halves halves{dir / "first.csv", dir / "second.csv"};
  std::ofstream first(halves.first), second(halves.second);
  first << header << "\n";
  second << header << "\n";
  for (int row = 0; std::getline(in, line); ++row) (row < 3000 ? first : second) << line << "\n";
  return halves;
}

/// The accuracy of test-then-train over `second` of a model that learned `first` before,
/// computed here with the learner directly (no evaluator, no checkpoint, no model file).
double continued_accuracy(const Halves& halves) {
  core::FeatureSpace space;
  core::ClassSet classes;
  auto model = stream::PipelineModel::build(kModel, space);
  EXPECT_TRUE(model) << model.status().message();
  stream::EventSchema schema;
  schema.target = "label";
  schema.target_kind = stream::TargetKind::kClass;
  std::uint64_t scored = 0, correct = 0;
  for (const fs::path& path : {halves.first, halves.second}) {
    auto source = connectors::FileSource::open(path, schema, space, classes);
    EXPECT_TRUE(source) << source.status().message();
    stream::Event event;
    for (connectors::FileSource::Next next;
         (next = (*source)->next(event)) != connectors::FileSource::Next::kEnd;) {
      EXPECT_EQ(next, connectors::FileSource::Next::kEvent);
      if (path == halves.second) {
        ++scored;
        correct += model->learner->predict_one(event.features) == event.label;
      }
      model->learner->learn_one(event.features, event.label);
    }
  }
  EXPECT_EQ(scored, 2000u);
  return static_cast<double>(correct) / static_cast<double>(scored);
}

/// Runs `evaluate` on `data` with kModel and a checkpoint directory `state` (in dir), then exports
/// the serving model from its registry to `name` in dir; returns that file.
fs::path exported_model(const fs::path& data, const fs::path& dir, const std::string& state,
                        const std::string& name) {
  const CommandRun trained =
      run_streamlearn("evaluate --json --quiet --data " + data.string() +
                          " --target label --model '" + kModel + "' --checkpoint-dir " +
                          (dir / state).string(),
                      dir);
  EXPECT_EQ(trained.exit_code, 0) << trained.err;
  const fs::path model_file = dir / name;
  const CommandRun exported =
      run_streamlearn("models export --version current --output " + model_file.string() +
                          " --checkpoint-dir " + (dir / state).string(),
                      dir);
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  return model_file;
}

TEST(EvaluateWarmStartTest, AnExportedModelContinuesItsRunToTheBit) {
  const fs::path dir = scratch_dir();
  const Halves halves = generated_halves(dir);
  const fs::path model_file = exported_model(halves.first, dir, "first-state", "first.slmodel");
  ASSERT_TRUE(fs::exists(model_file));

  const std::string continued = "evaluate --json --quiet --data " + halves.second.string() +
                                " --target label --model '" + kModel + "' --warm-start " +
                                model_file.string() + " --checkpoint-dir " +
                                (dir / "second-state").string();
  const CommandRun second = run_streamlearn(continued, dir);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const nlohmann::json result = last_json_line(second.out);
  EXPECT_EQ(result["scored"], 2000);
  EXPECT_EQ(result["accuracy"].get<double>(), continued_accuracy(halves));

  // Cold, the same run scores differently (the first event has no prediction at all).
  const CommandRun cold = run_streamlearn("evaluate --json --quiet --data " +
                                              halves.second.string() + " --target label --model '" +
                                              kModel + "'",
                                          dir);
  ASSERT_EQ(cold.exit_code, 0) << cold.err;
  EXPECT_NE(last_json_line(cold.out)["accuracy"], result["accuracy"]);

  // The registry of the warm-started run says where version 1 came from.
  std::ifstream metadata_file(dir / "second-state" / "models" /
                              "version-00000000000000000001.json");
  const nlohmann::json metadata = nlohmann::json::parse(metadata_file);
  EXPECT_EQ(metadata["reason"], "warm_start");
  EXPECT_EQ(metadata["warm_start_from"], model_file.string());

  // Started again with the same directory, the checkpoint wins over the model file.
  const CommandRun again = run_streamlearn(continued, dir);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("not applied: the restored checkpoint wins"), std::string::npos)
      << again.err;
  EXPECT_EQ(last_json_line(again.out)["accuracy"], result["accuracy"]);
}

TEST(EvaluateWarmStartTest, AnotherExpressionIsRefusedNamingBoth) {
  const fs::path dir = scratch_dir();
  const Halves halves = generated_halves(dir);
  const fs::path model_file = exported_model(halves.first, dir, "state", "model.slmodel");
  ASSERT_TRUE(fs::exists(model_file));
  const CommandRun refused =
      run_streamlearn("evaluate --data " + halves.second.string() +
                          " --target label --model gaussian_nb --warm-start " + model_file.string(),
                      dir);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find(kModel), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("'gaussian_nb'"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out, "");

  const CommandRun not_a_model =
      run_streamlearn("evaluate --data " + halves.second.string() + " --target label --model '" +
                          kModel + "' --warm-start " + halves.first.string(),
                      dir);
  EXPECT_EQ(not_a_model.exit_code, 2);
  EXPECT_NE(not_a_model.err.find("not a streamlearn model file"), std::string::npos)
      << not_a_model.err;
}

TEST(EvaluateWarmStartTest, TheConfigurationsWarmStartIsValidatedUpFront) {
  const fs::path dir = scratch_dir();
  const Halves halves = generated_halves(dir);
  const fs::path model_file = exported_model(halves.first, dir, "state", "model.slmodel");
  ASSERT_TRUE(fs::exists(model_file));
  const fs::path config = dir / "pipeline.json";
  std::ofstream(config) << R"({"model": ")" << kModel << R"(",
    "kafka": {"bootstrap_servers": "127.0.0.1:9092"},
    "source": {"topics": ["events"], "group_id": "g"},
    "schema": {"format": "json", "target": "label", "target_kind": "class"},
    "outputs": {"predictions": "predictions"}})";
  const std::string validate = "validate --config " + config.string() + " --set warm_start=";
  const CommandRun valid = run_streamlearn(validate + model_file.string(), dir);
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  const CommandRun missing = run_streamlearn(validate + (dir / "nope.slmodel").string(), dir);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("$.warm_start: model file: cannot open"), std::string::npos)
      << missing.err;
  const CommandRun other = run_streamlearn(
      validate + model_file.string() + " --set 'model=gaussian_nb'", dir);
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("$.model builds 'gaussian_nb'"), std::string::npos) << other.err;
}

}  // namespace
}  // namespace streamlearn::testing
