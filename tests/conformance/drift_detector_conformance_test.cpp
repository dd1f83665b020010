// Runs every registered drift detector through the same checks: clone is fresh with equal params;
// the same input gives the same flags; describe() rebuilds an equal detector; save -> load gives
// identical flags afterwards; a truncated state is rejected.

#include <gtest/gtest.h>

#include <random>

#include "monitors/drift/drift_detector_registry.h"

namespace streamlearn::monitors {
namespace {

// 0/1 errors whose rate jumps from 0.1 to 0.5 and back: every detector, binary or not, can take it.
std::vector<double> error_stream(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> values;
  for (int i = 0; i < 6000; ++i) {
    const double rate = (i >= 2000 && i < 4000) ? 0.5 : 0.1;
    values.push_back(uniform(rng) < rate ? 1.0 : 0.0);
  }
  return values;
}

// One code per element: 0 nothing, 1 warning, 2 drift, 3 both.
std::vector<int> flags(DriftDetector& detector, const std::vector<double>& values,
                       std::size_t first = 0, std::size_t last = SIZE_MAX) {
  std::vector<int> out;
  for (std::size_t i = first; i < std::min(last, values.size()); ++i) {
    detector.update(values[i]);
    out.push_back((detector.drift_detected() ? 2 : 0) + (detector.warning_detected() ? 1 : 0));
  }
  return out;
}

class DriftDetectorConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<DriftDetector> build(const std::string& expression) {
    auto detector = DriftDetectorRegistry::builtin().build(expression);
    EXPECT_TRUE(detector.is_ok()) << detector.status().message();
    return std::move(detector).value();
  }
};

TEST_P(DriftDetectorConformanceTest, CloneIsFreshWithEqualParams) {
  auto detector = build(GetParam());
  const auto values = error_stream(1);
  auto fresh = detector->clone();
  flags(*detector, values);
  auto clone = detector->clone();
  EXPECT_EQ(clone->describe(), detector->describe());
  EXPECT_EQ(flags(*clone, values), flags(*fresh, values));
}

TEST_P(DriftDetectorConformanceTest, SameInputGivesSameFlagsAndDetectsTheShift) {
  auto first = build(GetParam());
  auto second = build(GetParam());
  const auto values = error_stream(2);
  const auto a = flags(*first, values);
  EXPECT_EQ(a, flags(*second, values));
  std::size_t drifts_in_shift = 0;
  for (std::size_t i = 2000; i < 4500; ++i) drifts_in_shift += a[i] >= 2;
  EXPECT_GT(drifts_in_shift, 0u) << "no drift flagged while the error rate was 0.5";
}

TEST_P(DriftDetectorConformanceTest, DescribeRebuildsAnEqualDetector) {
  auto detector = build(GetParam());
  auto rebuilt = build(detector->describe());
  const auto values = error_stream(3);
  EXPECT_EQ(flags(*rebuilt, values), flags(*detector, values));
}

TEST_P(DriftDetectorConformanceTest, SaveThenLoadGivesIdenticalFlags) {
  const auto values = error_stream(4);
  for (std::size_t split : {500u, 2100u, 3999u}) {
    auto detector = build(GetParam());
    flags(*detector, values, 0, split);
    core::StateWriter writer;
    detector->save(writer);
    auto restored = build(GetParam());
    core::StateReader reader(writer.bytes());
    ASSERT_TRUE(restored->load(reader).is_ok()) << "split " << split;
    EXPECT_TRUE(reader.at_end());
    EXPECT_EQ(flags(*restored, values, split), flags(*detector, values, split)) << "split " << split;
  }
}

TEST_P(DriftDetectorConformanceTest, LoadRejectsTruncatedState) {
  auto detector = build(GetParam());
  flags(*detector, error_stream(5), 0, 1500);
  core::StateWriter writer;
  detector->save(writer);
  const std::string truncated = writer.bytes().substr(0, writer.bytes().size() / 2);
  auto restored = build(GetParam());
  core::StateReader reader(truncated);
  EXPECT_FALSE(restored->load(reader).is_ok());
}

std::vector<std::string> registered() {
  std::vector<std::string> names;
  for (const auto& entry : DriftDetectorRegistry::builtin().entries()) names.push_back(entry.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(EveryRegisteredDetector, DriftDetectorConformanceTest,
                         ::testing::ValuesIn(registered()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace streamlearn::monitors
