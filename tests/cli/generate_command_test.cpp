// `streamlearn generate` as a user runs it: the built binary, its output read back as text, as
// JSON and by `streamlearn evaluate`.

#include <gtest/gtest.h>

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

struct CommandRun {
  int exit_code;
  std::string out;
  std::string err;
};

// The running test's scratch folder, emptied on the test's first call only (scratch_dir() empties
// it on every call).
std::filesystem::path test_dir() {
  static std::string prepared_for;
  static std::filesystem::path dir;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string name = std::string(info->test_suite_name()) + "." + info->name();
  if (name != prepared_for) {
    dir = scratch_dir();
    prepared_for = name;
  }
  return dir;
}

// Runs `streamlearn <arguments>` (a shell fragment), capturing stdout and stderr apart.
CommandRun run_streamlearn(const std::string& arguments) {
  const auto err_file = test_dir() / "stderr.txt";
  CommandRun run;
  run.exit_code = run_command(
      streamlearn_binary().string() + " " + arguments + " 2>" + err_file.string(), &run.out);
  std::ifstream err(err_file);
  run.err.assign(std::istreambuf_iterator<char>(err), {});
  return run;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<double> numbers_of(const std::string& row) {
  std::vector<double> numbers;
  const char* begin = row.data();
  const char* const end = row.data() + row.size();
  while (begin < end) {
    double value = 0;
    const auto result = std::from_chars(begin, end, value);
    EXPECT_EQ(result.ec, std::errc()) << row;
    numbers.push_back(value);
    begin = result.ptr + 1;  // past the comma
  }
  return numbers;
}

nlohmann::json last_json_line(const std::string& out) {
  const auto lines = lines_of(out);
  return lines.empty() ? nlohmann::json() : nlohmann::json::parse(lines.back());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(GenerateCommandTest, WritesCsvWithAHeaderRowAndOneRowPerEvent) {
  const CommandRun run = run_streamlearn("generate 'sea(variant=0)' --n 1000 --seed 42");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const auto lines = lines_of(run.out);
  ASSERT_EQ(lines.size(), 1001u);
  EXPECT_EQ(lines[0], "x0,x1,x2,label");
  int positives = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto row = numbers_of(lines[i]);
    ASSERT_EQ(row.size(), 4u) << lines[i];
    ASSERT_EQ(row[3], row[0] + row[1] > 8 ? 1 : 0) << lines[i];  // SEA variant 0, no noise
    positives += row[3] == 1;
  }
  EXPECT_NEAR(positives, 680, 60);  // P(x0 + x1 > 8) = 0.68
}

TEST(GenerateCommandTest, SameSeedWritesTheSameBytesAndAnotherSeedOthers) {
  const CommandRun a = run_streamlearn("generate 'agrawal(perturbation=0.1)' --n 300 --seed 7");
  const CommandRun b = run_streamlearn("generate 'agrawal(perturbation=0.1)' --n 300 --seed 7");
  const CommandRun c = run_streamlearn("generate 'agrawal(perturbation=0.1)' --n 300 --seed 8");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_EQ(lines_of(a.out)[0],
            "salary,commission,age,elevel,car,zipcode,hvalue,hyears,loan,label");
}

TEST(GenerateCommandTest, JsonLinesHasNumbersAsNumbersAndCategoriesAsStrings) {
  const CommandRun run = run_streamlearn("generate stagger --n 50 --format jsonl");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = lines_of(run.out);
  ASSERT_EQ(lines.size(), 50u);
  for (const std::string& line : lines) {
    const auto record = nlohmann::json::parse(line);
    ASSERT_EQ(record.size(), 4u) << line;
    ASSERT_TRUE(record["size"].is_string()) << line;
    ASSERT_TRUE(record["color"].is_string()) << line;
    ASSERT_TRUE(record["shape"].is_string()) << line;
    const std::string size = record["size"], color = record["color"];
    // STAGGER concept 0: small and red.
    ASSERT_EQ(record["label"], size == "small" && color == "red" ? "1" : "0") << line;
  }
  const CommandRun numbers =
      run_streamlearn("generate 'hyperplane(n_features=3)' --n 5 --format jsonl");
  ASSERT_EQ(numbers.exit_code, 0) << numbers.err;
  const auto record = nlohmann::json::parse(lines_of(numbers.out)[0]);
  EXPECT_TRUE(record["x0"].is_number_float()) << record;
  EXPECT_TRUE(record["label"].is_string()) << record;
}

TEST(GenerateCommandTest, OutputFileExtensionPicksTheFormatAndASummaryGoesToStderr) {
  const auto dir = test_dir();
  const auto path = dir / "sine.jsonl";
  const CommandRun run =
      run_streamlearn("generate 'sine(has_noise=true)' --n 20 --seed 3 --output " + path.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("20 events of sine(has_noise=true) (seed 3) written to"),
            std::string::npos)
      << run.err;
  const auto lines = lines_of(read_file(path));
  ASSERT_EQ(lines.size(), 20u);
  EXPECT_EQ(nlohmann::json::parse(lines[0]).size(), 5u);  // x0 .. x3 and the label
  // --format wins over the extension.
  const auto csv_path = dir / "forced.jsonl";
  ASSERT_EQ(
      run_streamlearn("generate sine --n 2 --format csv --output " + csv_path.string()).exit_code,
      0);
  EXPECT_EQ(lines_of(read_file(csv_path))[0], "x0,x1,label");
}

TEST(GenerateCommandTest, DriftFlagsSwitchTheConceptAroundTheGivenEvent) {
  // SEA threshold 8, then 7 from about event 500 (a sudden drift).
  const CommandRun run = run_streamlearn(
      "generate 'sea(variant=0)' --n 1000 --seed 5 --drift-to 'sea(variant=2)' --drift-at 500 "
      "--drift-width 1");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = lines_of(run.out);
  ASSERT_EQ(lines.size(), 1001u);
  int telling_before = 0, telling_after = 0;
  for (std::size_t t = 1; t < lines.size(); ++t) {  // t: the event number, from 1
    const auto row = numbers_of(lines[t]);
    const double sum = row[0] + row[1];
    const bool telling = sum > 7 && sum <= 8;  // labelled 0 before the drift and 1 after
    if (t <= 497) {
      ASSERT_EQ(row[3], sum > 8 ? 1 : 0) << "event " << t << ": " << lines[t];
      telling_before += telling;
    } else if (t >= 503) {
      ASSERT_EQ(row[3], sum > 7 ? 1 : 0) << "event " << t << ": " << lines[t];
      telling_after += telling;
    }
  }
  EXPECT_GT(telling_before, 20);
  EXPECT_GT(telling_after, 20);
}

TEST(GenerateCommandTest, EvaluateReadsTheCsvAndJsonLinesOutputAlike) {
  const auto dir = test_dir();
  const std::string stream =
      "generate 'agrawal(classification_function=0)' --n 20000 --seed 42 --drift-to "
      "'agrawal(classification_function=2)' --drift-at 10000 --drift-width 500 --output ";
  ASSERT_EQ(run_streamlearn(stream + (dir / "agrawal.csv").string()).exit_code, 0);
  ASSERT_EQ(run_streamlearn(stream + (dir / "agrawal.jsonl").string()).exit_code, 0);
  nlohmann::json results[2];
  int i = 0;
  for (const char* name : {"agrawal.csv", "agrawal.jsonl"}) {
    const CommandRun run = run_streamlearn("evaluate --data " + (dir / name).string() +
                                           " --target label --model hoeffding_tree --json --quiet");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    results[i++] = last_json_line(run.out);
  }
  for (const nlohmann::json& result : results) {
    EXPECT_EQ(result["events"], 20000) << result;
    EXPECT_EQ(result["rejected"], 0) << result;
    EXPECT_GT(result["accuracy"].get<double>(), 0.9) << result;  // both concepts are learnable
  }
  EXPECT_EQ(results[0]["accuracy"], results[1]["accuracy"]);
  EXPECT_EQ(results[0]["log_loss"], results[1]["log_loss"]);
}

TEST(GenerateCommandTest, DemoEvaluatesTheStreamGenerateWrites) {
  const auto dir = test_dir();
  const CommandRun demo = run_streamlearn("demo --events 4000 --report-every 0 --seed 9 --write " +
                                          (dir / "demo.csv").string());
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const CommandRun generate = run_streamlearn(
      "generate 'sea(noise=0.05)' --drift-to 'sea(variant=1, noise=0.05)' --n 4000 --drift-at "
      "2000 --drift-width 40 --seed 9");
  ASSERT_EQ(generate.exit_code, 0) << generate.err;
  EXPECT_EQ(read_file(dir / "demo.csv"), generate.out);
}

TEST(GenerateCommandTest, BadFlagsAndExpressionsAreReportedTogether) {
  CommandRun run = run_streamlearn(
      "generate 'sea(variant=9, typo=1)' --n 10 --format xml --drift-at 5 --drift-width 0");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  for (const char* expected :
       {"--format must be csv or jsonl, got 'xml'", "--drift-at needs --drift-to",
        "--drift-width needs --drift-to", "variant: must be 0, 1, 2 or 3",
        "unknown parameter 'typo' (allowed: variant, noise)",
        "Run 'streamlearn generate --help' for usage."})
    EXPECT_NE(run.err.find(expected), std::string::npos) << expected << "\n" << run.err;

  run = run_streamlearn("generate --n 10");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("name a generator first"), std::string::npos) << run.err;

  run = run_streamlearn("generate sea");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--n is required"), std::string::npos) << run.err;

  run = run_streamlearn(
      "generate seaa --n 10 --drift-to 'agrawal(classification_function=12)' "
      "--drift-width 0");
  EXPECT_EQ(run.exit_code, 2);
  for (const char* expected :
       {"--drift-width must be 1 (a sudden drift) or more",
        "unknown generator 'seaa' (known: ", "classification_function: must be 0..9, got 12"})
    EXPECT_NE(run.err.find(expected), std::string::npos) << expected << "\n" << run.err;

  run = run_streamlearn("generate sea --n 10 --output /nonexistent-dir/x.csv");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("cannot write '/nonexistent-dir/x.csv': No such file or directory"),
            std::string::npos)
      << run.err;
}

TEST(GenerateCommandTest, HelpListsTheGeneratorsWithTheirParameters) {
  const CommandRun run = run_streamlearn("generate --help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* expected :
       {"--drift-to EXPRESSION", "--drift-width", "sea ", "agrawal ", "hyperplane ", "stagger ",
        "sine ", "random_rbf ", "random_rbf_drift ", "concept_drift ", "n_drift_centroids=50"})
    EXPECT_NE(run.out.find(expected), std::string::npos) << expected << "\n" << run.out;
  const CommandRun top = run_streamlearn("--help");
  EXPECT_NE(top.out.find("generate "), std::string::npos) << top.out;
}

}  // namespace
}  // namespace streamlearn::testing
