// `streamlearn validate` as a user runs it: the built binary on the shipped example, on a file
// with errors and with --set overrides.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

// The repository root from this file's path (CMake compiles it by its absolute path): SL_SOURCE_DIR
// is defined for the config tests only.
std::string shipped_example() {
  const std::filesystem::path root = std::filesystem::path(__FILE__).parent_path() / "../..";
  return std::filesystem::weakly_canonical(root / "deploy/examples/pipeline.json").string();
}

TEST(ValidateCommandTest, ValidFilePrintsASummaryAndExitsZero) {
  const auto dir = scratch_dir();
  const CommandRun run = run_streamlearn("validate --config " + shipped_example(), dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "configuration " + shipped_example() +
                         " is valid: pipeline sea-demo, model standard_scaler | "
                         "logistic_regression(l2=0.001), topics events (labels from labels), "
                         "outputs predictions=predictions alerts=alerts "
                         "dead_letter=events.dead-letter\n");
  EXPECT_EQ(run.err, "");
}

TEST(ValidateCommandTest, OverridesChangeWhatIsValidated) {
  const auto dir = scratch_dir();
  const CommandRun run = run_streamlearn(
      "validate --config " + shipped_example() +
          " --set outputs.alerts=null --set source.topics.0=clicks --set 'pipeline=\"night\"'",
      dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("pipeline night,"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("topics clicks (labels from labels)"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("alerts="), std::string::npos) << run.out;
}

TEST(ValidateCommandTest, InvalidFilePrintsEveryErrorAndExitsTwo) {
  const auto dir = scratch_dir();
  const auto path = dir / "broken.json";
  std::ofstream(path) << R"({"model": "linear_regression",
    "kafka": {"bootstrap_servers": "127.0.0.1:9092"},
    "source": {"topics": ["events"], "group_id": "g", "rate": "fast"},
    "schema": {"target": "price", "target_kind": "class"},
    "outputs": {"predictions": "events"}})";
  const CommandRun run =
      run_streamlearn("validate --config " + path.string() + " --set source.until=tomorrow", dir);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  for (const char* expected :
       {"streamlearn validate: ", "broken.json: invalid configuration (4 errors):",
        "$.source.until: 'tomorrow' is not a stop condition", "$.source.rate: must be a number",
        "$.schema.target_kind: is \"class\" but the model is a regression model",
        "$.outputs.predictions: topic 'events' is also a source topic"})
    EXPECT_NE(run.err.find(expected), std::string::npos) << expected << "\nin:\n" << run.err;
}

TEST(ValidateCommandTest, MissingFileAndMissingFlagExitTwo) {
  const auto dir = scratch_dir();
  const CommandRun missing =
      run_streamlearn("validate --config " + (dir / "absent.json").string(), dir);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read configuration"), std::string::npos) << missing.err;
  const CommandRun no_flag = run_streamlearn("validate", dir);
  EXPECT_EQ(no_flag.exit_code, 2);
  EXPECT_NE(no_flag.err.find("--config"), std::string::npos) << no_flag.err;
}

}  // namespace
}  // namespace streamlearn::testing
