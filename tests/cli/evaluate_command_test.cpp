// `streamlearn evaluate` as a user runs it: the built binary on files written by the test.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

CommandRun run_evaluate(const std::string& arguments) {
  return run_streamlearn("evaluate " + arguments, scratch_dir());
}

nlohmann::json last_json_line(const std::string& out) {
  auto end = out.find_last_not_of('\n');
  auto start = out.rfind('\n', end);
  return nlohmann::json::parse(out.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1));
}

std::filesystem::path write_file(const std::string& name, const std::string& content) {
  const auto dir = std::filesystem::path(SL_BINARY_DIR) / "test-scratch" / "cli-inputs";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << content;
  return dir / name;
}

std::string clean_rows(int count) {
  std::string rows;
  for (int i = 0; i < count; ++i)
    rows += std::to_string(i % 7) + "," + std::to_string((i * 3) % 5) + "," +
            ((i % 7) + ((i * 3) % 5) > 5 ? "1" : "0") + "\n";
  return rows;
}

TEST(EvaluateCommandTest, LastStdoutLineIsTheResultAsJson) {
  const auto file = write_file("clean.csv", "a,b,label\n" + clean_rows(500));
  const CommandRun run = run_evaluate("--data " + file.string() +
                               " --target label --model 'standard_scaler | logistic_regression'"
                               " --rolling 100");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = last_json_line(run.out);
  EXPECT_EQ(result["events"], 500);
  EXPECT_EQ(result["scored"], 500);
  for (const char* field : {"accuracy", "log_loss", "roc_auc", "f1", "precision", "recall",
                            "rolling_accuracy", "seconds", "events_per_s"})
    EXPECT_TRUE(result.contains(field)) << field;
  EXPECT_GT(result["accuracy"].get<double>(), 0.8);
}

TEST(EvaluateCommandTest, RegressionReportsRegressionMetrics) {
  std::string rows = "x,y\n";
  for (int i = 0; i < 300; ++i) rows += std::to_string(i % 10) + "," + std::to_string(2 * (i % 10) + 1) + "\n";
  const auto file = write_file("regression.csv", rows);
  const CommandRun run = run_evaluate("--json --data " + file.string() + " --target y --model linear_regression");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = last_json_line(run.out);
  EXPECT_TRUE(result.contains("mae"));
  EXPECT_TRUE(result.contains("rmse"));
  EXPECT_TRUE(result.contains("r2"));
  EXPECT_FALSE(result.contains("accuracy"));
  EXPECT_EQ(run.out.find('\n'), run.out.size() - 1) << "--json prints only the JSON line";
}

TEST(EvaluateCommandTest, MalformedRowsAreSummarizedAndTheRunCompletes) {
  const std::string content = "a,b,label\n" + clean_rows(50) +
                              "1,2\n"              // too few fields
                              "\n"                 // empty line
                              "nan,1,0\n"          // NaN
                              "1,inf,1\n"          // Inf
                              "1e999,2,0\n"        // overflows a double
                              "1,2,\n"             // missing target
                              "3,extra,1,0\n"      // too many fields
                              "4,unknown_text,1\n" // categorical value: fine
                              + clean_rows(50);
  const auto file = write_file("malformed.csv", content);
  const auto dead_letter = file.parent_path() / "malformed.dead.jsonl";
  const CommandRun run = run_evaluate("--data " + file.string() +
                               " --target label --model hoeffding_tree --dead-letter " +
                               dead_letter.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = last_json_line(run.out);
  EXPECT_EQ(result["events"], 101);
  EXPECT_EQ(result["rejected"], 6);
  EXPECT_EQ(result["empty_lines"], 1);
  EXPECT_EQ(result["rejected_by_reason"]["field_count"], 2);
  EXPECT_EQ(result["rejected_by_reason"]["non_finite"], 2);
  EXPECT_EQ(result["rejected_by_reason"]["out_of_range"], 1);
  EXPECT_EQ(result["rejected_by_reason"]["missing_target"], 1);
  EXPECT_NE(run.err.find("skipped 6 malformed records"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("malformed.csv:54"), std::string::npos) << run.err;  // the NaN row

  std::ifstream dead(dead_letter);
  std::vector<nlohmann::json> records;
  for (std::string line; std::getline(dead, line);) records.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[0]["record"], "1,2");
  EXPECT_EQ(records[0]["reason"], "field_count");
  EXPECT_EQ(records[1]["record"], "nan,1,0");
  EXPECT_EQ(records[1]["line"], 54);
}

TEST(EvaluateCommandTest, StrictStopsAtTheFirstMalformedRowWithItsLocation) {
  const auto file = write_file("strict.csv", "a,b,label\n1,2,0\n3,nan,1\n4,5,1\n");
  const CommandRun run = run_evaluate("--strict --data " + file.string() + " --target label --model gaussian_nb");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("strict.csv:3"), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(EvaluateCommandTest, UnknownModelListsTheKnownOnes) {
  const auto file = write_file("tiny.csv", "a,label\n1,0\n");
  const CommandRun run = run_evaluate("--data " + file.string() + " --target label --model 'standard_scaler | nope(x=1)'");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown model 'nope'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("hoeffding_tree"), std::string::npos) << run.err;
}

TEST(EvaluateCommandTest, MissingTargetColumnNamesTheColumnsThatExist) {
  const auto file = write_file("columns.csv", "a,b,label\n1,2,0\n");
  const CommandRun run = run_evaluate("--data " + file.string() + " --target class --model gaussian_nb");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("class"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("label"), std::string::npos) << run.err;
}

TEST(EvaluateCommandTest, MissingFlagsAreReportedTogether) {
  const CommandRun run = run_evaluate("--rolling x");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--data is required"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--model is required"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--rolling expects"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace streamlearn::testing

namespace streamlearn::testing {
namespace {

TEST(EvaluateCommandTest, JsonLinesInputGivesTheSameResultAsCsv) {
  std::string csv = "a,b,label\n";
  std::string jsonl;
  for (int i = 0; i < 400; ++i) {
    const int a = i % 7, b = (i * 3) % 5;
    const char* label = a + b > 5 ? "1" : "0";
    csv += std::to_string(a) + "," + std::to_string(b) + "," + label + "\n";
    jsonl += "{\"a\": " + std::to_string(a) + ", \"b\": " + std::to_string(b) + ", \"label\": \"" +
             label + "\"}\n";
  }
  const auto csv_file = write_file("same.csv", csv);
  const auto jsonl_file = write_file("same.jsonl", jsonl);
  const std::string flags = " --json --target label --model 'standard_scaler | logistic_regression'";
  const CommandRun from_csv = run_evaluate("--data " + csv_file.string() + flags);
  const CommandRun from_jsonl = run_evaluate("--data " + jsonl_file.string() + flags);
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
  ASSERT_EQ(from_jsonl.exit_code, 0) << from_jsonl.err;
  const auto a = last_json_line(from_csv.out);
  const auto b = last_json_line(from_jsonl.out);
  EXPECT_EQ(a["events"], 400);
  for (const char* metric : {"accuracy", "log_loss", "roc_auc", "f1"})
    EXPECT_EQ(a[metric].get<double>(), b[metric].get<double>()) << metric;
}

TEST(DemoCommandTest, EvaluatesADriftingStreamAndPrintsTheResult) {
  std::string out;
  const int exit_code = run_command(streamlearn_binary().string() +
                                        " demo --events 20000 --report-every 5000 --rolling 500",
                                    &out);
  ASSERT_EQ(exit_code, 0) << out;
  EXPECT_NE(out.find("demo: 10000 events, accuracy"), std::string::npos) << out;
  const auto result = last_json_line(out);
  EXPECT_EQ(result["events"], 20000);
  EXPECT_GT(result["accuracy"].get<double>(), 0.8);
  EXPECT_TRUE(result.contains("rolling_accuracy"));
}

}  // namespace
}  // namespace streamlearn::testing

namespace streamlearn::testing {
namespace {

TEST(EvaluateCommandTest, DriftDetectorOnTheErrorStreamFlagsTheConceptChange) {
  // The label rule flips at row 3000: the model's errors jump, and the detector must say so after
  // the flip and not before.
  std::string rows = "a,b,label\n";
  for (int i = 0; i < 6000; ++i) {
    const int a = (i * 7) % 11, b = (i * 5) % 13;
    const bool rule = a + b > 11;
    rows += std::to_string(a) + "," + std::to_string(b) + "," + ((i < 3000 ? rule : !rule) ? "1" : "0") + "\n";
  }
  const auto file = write_file("concept_flip.csv", rows);
  const CommandRun run = run_evaluate("--json --data " + file.string() +
                                      " --target label --model hoeffding_tree --drift-detector adwin");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = last_json_line(run.out);
  EXPECT_EQ(result["drift_detector"], "adwin");
  const auto drifts = result["drifts"].get<std::vector<int>>();
  ASSERT_FALSE(drifts.empty());
  EXPECT_GE(drifts.front(), 3000);
  EXPECT_LT(drifts.front(), 3500);
}

TEST(EvaluateCommandTest, BadDriftDetectorExpressionIsAClearError) {
  const auto file = write_file("tiny2.csv", "a,label\n1,0\n");
  const CommandRun run = run_evaluate("--data " + file.string() +
                                      " --target label --model gaussian_nb --drift-detector 'adwin(delta=2)'");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("delta"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace streamlearn::testing

namespace streamlearn::testing {
namespace {

TEST(EvaluateCommandTest, DelayRevealsLabelsLateAndSaysSoInTheJson) {
  const auto file = write_file("delay.csv", "a,b,label\n" + clean_rows(500));
  const std::string flags =
      " --json --data " + file.string() + " --target label --model gaussian_nb";
  const CommandRun at_once = run_evaluate(flags);
  const CommandRun delay_zero = run_evaluate(flags + " --delay 0");
  const CommandRun delayed = run_evaluate(flags + " --delay=100");
  ASSERT_EQ(at_once.exit_code, 0) << at_once.err;
  ASSERT_EQ(delay_zero.exit_code, 0) << delay_zero.err;
  ASSERT_EQ(delayed.exit_code, 0) << delayed.err;
  const auto a = last_json_line(at_once.out);
  const auto zero = last_json_line(delay_zero.out);
  const auto late = last_json_line(delayed.out);
  EXPECT_EQ(a["delay"], 0);
  EXPECT_EQ(zero["delay"], 0);
  EXPECT_EQ(late["delay"], 100);
  for (const char* metric : {"scored", "accuracy", "log_loss", "roc_auc"})
    EXPECT_EQ(zero[metric], a[metric]) << metric;
  // The untrained model cannot predict the first 100 events; every label is learned in the end.
  EXPECT_EQ(late["events"], 500);
  EXPECT_EQ(late["scored"], 400);
  EXPECT_EQ(late["learned"], 500);
  EXPECT_NE(late["accuracy"], a["accuracy"]);
}

TEST(EvaluateCommandTest, DelayIsListedInTheHelp) {
  const CommandRun run = run_evaluate("--help");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("--delay N"), std::string::npos) << run.out;
}

TEST(EvaluateCommandTest, BadDelayIsAClearError) {
  const auto file = write_file("tiny3.csv", "a,label\n1,0\n");
  for (const std::string value : {"-5", "ten", "1.5"}) {
    const CommandRun run = run_evaluate("--data " + file.string() +
                                        " --target label --model gaussian_nb --delay " + value);
    EXPECT_EQ(run.exit_code, 2) << value;
    EXPECT_NE(run.err.find("--delay expects a non-negative integer, got '" + value + "'"),
              std::string::npos)
        << run.err;
    EXPECT_EQ(run.out, "");
  }
}

}  // namespace
}  // namespace streamlearn::testing

namespace streamlearn::testing {
namespace {

// A ring, |x| > 1: naive Bayes learns it, a linear model cannot.
std::string ring_rows(int count) {
  std::string rows;
  for (int i = 0; i < count; ++i) {
    const double x = ((i * 37) % 61) / 10.0 - 3.0;
    rows += std::to_string(x) + "," + std::to_string((i * 13) % 7) + "," +
            (x > 1.0 || x < -1.0 ? "1" : "0") + "\n";
  }
  return rows;
}

TEST(EvaluateCommandTest, ABetterChallengerIsPromotedAndAResumedRunKeepsThePromotedModel) {
  const auto file = write_file("ring.csv", "x,z,label\n" + ring_rows(3000));
  const auto checkpoints = scratch_dir() / "checkpoints";
  const std::string flags = " --json --data " + file.string() +
                            " --target label --model logistic_regression --challenger gaussian_nb "
                            "--challenger-window 300 --challenger-margin 0.1 --checkpoint-dir " +
                            checkpoints.string();
  const CommandRun run = run_evaluate(flags);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = last_json_line(run.out);
  EXPECT_EQ(result["model"], "logistic_regression");
  EXPECT_EQ(result["model_version"], 2);
  const auto& challenger = result["challenger"];
  EXPECT_EQ(challenger["serving"], "gaussian_nb");
  EXPECT_EQ(challenger["model"], "logistic_regression");
  EXPECT_EQ(challenger["metric"], "accuracy");
  EXPECT_EQ(challenger["promotions"], 1);
  ASSERT_EQ(result["alerts"].size(), 1u);
  const auto& alert = result["alerts"][0];
  EXPECT_EQ(alert["kind"], "promotion");
  EXPECT_EQ(alert["model_action"], "promotion");
  EXPECT_EQ(alert["new_model_version"], 2);
  EXPECT_EQ(alert["window"]["current"]["count"], 300);
  EXPECT_GT(alert["evidence"]["challenger_accuracy"].get<double>(),
            alert["evidence"]["champion_accuracy"].get<double>() + 0.1);

  // Run again on the same directory: it resumes at the end, the promoted naive Bayes (another
  // expression than the configured model) rebuilt from the checkpoint, with the same result.
  const CommandRun resumed = run_evaluate(flags);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto again = last_json_line(resumed.out);
  EXPECT_EQ(again["challenger"], challenger);
  EXPECT_EQ(again["accuracy"], result["accuracy"]);
  EXPECT_EQ(again["model_version"], 2);
}

TEST(EvaluateCommandTest, PromoteAtPromotesByHandAndTheAlertSaysSo) {
  const auto file = write_file("ring2.csv", "x,z,label\n" + ring_rows(1000));
  const CommandRun run = run_evaluate(" --json --data " + file.string() +
                                      " --target label --model gaussian_nb --challenger "
                                      "logistic_regression --challenger-margin 1 --promote-at 400");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = last_json_line(run.out);
  EXPECT_EQ(result["model_version"], 2);
  EXPECT_EQ(result["challenger"]["serving"], "logistic_regression");
  EXPECT_EQ(result["challenger"]["promotions"], 1);
  ASSERT_EQ(result["alerts"].size(), 1u) << "a margin of 1 never promotes automatically";
  EXPECT_EQ(result["alerts"][0]["evidence"]["manual"], 1.0);
  EXPECT_EQ(result["alerts"][0]["evidence"]["events"], 400.0);
}

TEST(EvaluateCommandTest, WindowsGroupByEntityColumnsThatAreNotFeatures) {
  // 200 rows of 7 users; every tenth row has no user: a window keyed by it skips that row.
  std::string rows = "user,x,label\n";
  for (int i = 0; i < 200; ++i)
    rows += (i % 10 == 9 ? std::string() : "user-" + std::to_string(i % 7)) + "," +
            std::to_string(i % 5) + "," + (i % 5 > 2 ? "1" : "0") + "\n";
  const auto file = write_file("users.csv", rows);
  const std::string model =
      " --model 'window(by=user, events=3, agg=[mean(x)]) | target_agg(by=user) | "
      "logistic_regression'";
  const CommandRun run = run_evaluate("--data " + file.string() + " --target label --entity user" +
                                      model + " --delay 20");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = last_json_line(run.out);
  ASSERT_EQ(result["windows"].size(), 2u);
  for (const auto& window : result["windows"]) {
    EXPECT_EQ(window["keys"], 7) << window;
    EXPECT_EQ(window["keyless"], 20) << window;
  }
  // Labels revealed 20 events late reach the target aggregate through the kept key field.
  EXPECT_EQ(result["windows"][1]["labels"], 180);
  const CommandRun misspelled = run_evaluate("--data " + file.string() +
                                             " --target label --entity usr" + model);
  EXPECT_EQ(misspelled.exit_code, 2);
  EXPECT_NE(misspelled.err.find("no column 'usr' (configured as the entity field)"),
            std::string::npos)
      << misspelled.err;
}

TEST(EvaluateCommandTest, ChallengerSettingsAreCheckedTogetherNamingTheFlags) {
  const auto file = write_file("ring3.csv", "x,z,label\n" + ring_rows(10));
  const CommandRun run = run_evaluate(
      "--data " + file.string() +
      " --target label --model gaussian_nb --challenger 'window(events=5, agg=[mean(x)]) | "
      "gaussian_nb' --challenger-metric mae --challenger-window 0 --challenger-margin 1%");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--challenger: 'window(events=5"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("has window steps"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--challenger-metric: 'mae' is not a classification metric"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("--challenger-window: must be at least 1"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--challenger-margin: '1%' is not a number"), std::string::npos)
      << run.err;
  const CommandRun alone =
      run_evaluate("--data " + file.string() + " --target label --model gaussian_nb --promote-at 5");
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_NE(alone.err.find("--promote-at needs a challenger"), std::string::npos) << alone.err;
}

}  // namespace
}  // namespace streamlearn::testing
