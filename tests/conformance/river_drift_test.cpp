// Golden tests: every drift detector flags drift (and warning) at exactly the 0-based indices River
// 0.21.1 flags on the reference sequences (../shared/reference/river_drift.json), including the
// non-default variants listed there.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/test_support.h"

namespace streamlearn {
namespace {

// River's variant names in the reference file, and the streamlearn expression of each.
const std::map<std::string, std::string> kDetectors = {
    {"ADWIN", "adwin"},
    {"ADWIN_clock1", "adwin(clock=1)"},
    {"KSWIN", "kswin(seed=42)"},
    {"PageHinkley", "page_hinkley"},
    {"PageHinkley_up", "page_hinkley(mode=up)"},
    {"DDM", "ddm"},
    {"EDDM", "eddm"},
    {"HDDM_A", "hddm_a"},
    {"HDDM_A_two_sided", "hddm_a(two_sided_test=true)"},
    {"HDDM_W", "hddm_w"},
    {"HDDM_W_two_sided", "hddm_w(two_sided_test=true)"},
};

std::vector<double> read_sequence(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<double> values;
  while (std::getline(in, line)) values.push_back(std::stod(line));
  return values;
}

class RiverDriftTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RiverDriftTest, FlagsExactlyRiversDriftAndWarningIndices) {
  SL_REQUIRE_SHARED_DIR(shared);
  const auto reference_dir = shared / "reference";
  std::ifstream in(reference_dir / "river_drift.json");
  const auto reference = nlohmann::json::parse(in);
  const std::string& variant = GetParam();
  int checked = 0;
  for (const auto& [sequence_name, results] : reference["results"].items()) {
    if (!results.contains(variant)) continue;
    SCOPED_TRACE(sequence_name + " " + variant);
    const auto values = read_sequence(reference_dir /
                                      reference["sequences"][sequence_name]["file"].get<std::string>());
    auto detector = monitors::DriftDetectorRegistry::builtin().build(kDetectors.at(variant));
    ASSERT_TRUE(detector.is_ok()) << detector.status().message();
    std::vector<std::size_t> drifts, warnings;
    for (std::size_t i = 0; i < values.size(); ++i) {
      (*detector)->update(values[i]);
      if ((*detector)->drift_detected()) drifts.push_back(i);
      if ((*detector)->warning_detected()) warnings.push_back(i);
    }
    const auto& expected = results[variant];
    EXPECT_EQ(drifts, expected["drift_indices"].get<std::vector<std::size_t>>());
    if (expected.contains("warning_indices")) {
      EXPECT_EQ(warnings, expected["warning_indices"].get<std::vector<std::size_t>>());
    }
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

std::vector<std::string> variants() {
  std::vector<std::string> names;
  for (const auto& [name, expression] : kDetectors) names.push_back(name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(EveryDetectorVariant, RiverDriftTest, ::testing::ValuesIn(variants()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace streamlearn
