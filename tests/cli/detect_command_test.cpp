// `streamlearn detect` as a user runs it: the built binary on sequences written by the test.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "tests/test_support.h"

namespace streamlearn::testing {
namespace {

std::filesystem::path write_sequence(const std::string& name, const std::string& content) {
  const auto dir = std::filesystem::path(SL_BINARY_DIR) / "test-scratch" / "detect-inputs";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << content;
  return dir / name;
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    lines.push_back(nlohmann::json::parse(out.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

TEST(DetectCommandTest, PrintsOnlyJsonLinesForFlaggedElements) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::string content = "x\n";
  for (int i = 0; i < 3000; ++i) content += std::to_string(normal(rng) + (i >= 1500 ? 4.0 : 0.0)) + "\n";
  const auto file = write_sequence("shift.csv", content);
  std::string out;
  ASSERT_EQ(run_command(streamlearn_binary().string() + " detect --detector 'page_hinkley' --input " +
                            file.string() + " 2>/dev/null",
                        &out),
            0);
  const auto lines = json_lines(out);
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    EXPECT_EQ(line.size(), 2u);
    EXPECT_TRUE(line["type"] == "drift" || line["type"] == "warning");
  }
  EXPECT_GE(lines.front()["index"].get<int>(), 1500);
  EXPECT_LT(lines.front()["index"].get<int>(), 1600);
}

TEST(DetectCommandTest, ReadsACsvColumnAndKeepsIndicesOfMalformedRows) {
  std::string content = "a,errors\n";
  for (int i = 0; i < 4000; ++i) {
    if (i == 10) {
      content += "x,oops\n";  // malformed: keeps index 10, not fed to the detector
      continue;
    }
    content += std::to_string(i) + "," + ((i >= 2000 ? i % 2 == 0 : i % 10 == 0) ? "1" : "0") + "\n";
  }
  const auto file = write_sequence("errors.csv", content);
  const auto err = file.parent_path() / "errors.stderr";
  std::string out;
  ASSERT_EQ(run_command(streamlearn_binary().string() + " detect --detector ddm --column errors --input " +
                            file.string() + " 2>" + err.string(),
                        &out),
            0);
  std::ifstream err_in(err);
  const std::string err_text((std::istreambuf_iterator<char>(err_in)), {});
  EXPECT_NE(err_text.find("over 4000 values"), std::string::npos) << err_text;
  EXPECT_NE(err_text.find("1 malformed rows skipped"), std::string::npos) << err_text;
  EXPECT_NE(err_text.find("errors.csv:12: 'oops' is not a number"), std::string::npos) << err_text;
  bool drift_after_change = false;
  for (const auto& line : json_lines(out))
    drift_after_change |= line["type"] == "drift" && line["index"].get<int>() >= 2000;
  EXPECT_TRUE(drift_after_change) << out;
}

TEST(DetectCommandTest, UnknownDetectorOrParameterIsAClearError) {
  std::string out;
  EXPECT_EQ(run_command(streamlearn_binary().string() +
                            " detect --detector 'adwin(delta=0.002, typo=1)' </dev/null 2>&1",
                        &out),
            2);
  EXPECT_NE(out.find("unknown parameter 'typo'"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(run_command(streamlearn_binary().string() + " detect --detector 'adwinn' </dev/null 2>&1", &out), 2);
  EXPECT_NE(out.find("known: adwin"), std::string::npos) << out;
}

TEST(DetectCommandTest, ReproducesRiversAdwinIndicesOnTheReferenceSequence) {
  SL_REQUIRE_SHARED_DIR(shared);
  std::string out;
  ASSERT_EQ(run_command(streamlearn_binary().string() + " detect --detector 'adwin(delta=0.002)' < " +
                            (shared / "reference" / "sequences" / "gauss_mean_shift.csv").string() +
                            " 2>/dev/null",
                        &out),
            0);
  EXPECT_EQ(out, "{\"index\": 2047, \"type\": \"drift\"}\n");
}

}  // namespace
}  // namespace streamlearn::testing
