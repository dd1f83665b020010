#include "monitors/drift/hddm_a.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/monitors/drift_test_streams.h"

namespace streamlearn::monitors {
namespace {

using testing::build_detector;
using testing::collect_flags;
using testing::docstring_report;
using testing::DriftFlags;
using testing::error_stream;
using testing::river_docstring_stream;

TEST(HddmATest, UsageExampleWarnsThenFlagsARiseOfTheErrorRate) {
  // The header's example: one update per prediction, 1 for a mistake. The error rate rises from
  // 0.1 to 0.4 at index 2000.
  HddmA hddm(HddmA::Params{});
  const auto errors = error_stream(1, 4000, 2000, 0.1, 0.4);
  std::size_t first_warning = 0, first_drift = 0;
  for (std::size_t i = 0; i < errors.size() && first_drift == 0; ++i) {
    hddm.update(errors[i]);
    if (hddm.warning_detected() && first_warning == 0) first_warning = i;
    if (hddm.drift_detected()) first_drift = i;
  }
  EXPECT_GE(first_warning, 2000u);
  EXPECT_LT(first_warning, first_drift);
  EXPECT_LT(first_drift, 2150u);
}

TEST(HddmATest, ReproducesRiversDocstringExample) {
  // river/drift/binary/hddm_a.py, River 0.21.1.
  HddmA hddm(HddmA::Params{});
  const std::vector<std::string> expected = {"Warning detected at index 451",
                                             "Change detected at index 1206"};
  EXPECT_EQ(docstring_report(hddm, river_docstring_stream()), expected);
}

TEST(HddmATest, DetectsASeededErrorRateIncreaseAfterTheChangeAndNotBefore) {
  for (const std::string_view expression : {"hddm_a", "hddm_a(two_sided_test=true)"}) {
    for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
      SCOPED_TRACE(std::string(expression) + " seed " + std::to_string(seed));
      auto detector = build_detector(expression);
      const DriftFlags flags = collect_flags(*detector, error_stream(seed, 4000, 2000, 0.1, 0.4));
      ASSERT_FALSE(flags.drifts.empty());
      EXPECT_GE(flags.drifts.front(), 2000u);
      EXPECT_LT(flags.drifts.front(), 2150u);
    }
  }
}

TEST(HddmATest, WarningPrecedesDriftOfAnIncrease) {
  // The warning test is the drift test at a looser confidence against the same cut point, so a
  // growing difference passes it first. The one-sided drift step clears the warning.
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    HddmA hddm(HddmA::Params{});
    const auto errors = error_stream(seed, 4000, 2000, 0.1, 0.4);
    bool warned_since_change = false;
    for (std::size_t i = 0; i < errors.size(); ++i) {
      hddm.update(errors[i]);
      if (i >= 2000 && hddm.warning_detected()) warned_since_change = true;
      if (hddm.drift_detected()) {
        EXPECT_TRUE(warned_since_change) << "drift at " << i << " without an earlier warning";
        EXPECT_FALSE(hddm.warning_detected()) << "at " << i;
        break;
      }
    }
  }
}

TEST(HddmATest, OnlyTheTwoSidedTestFlagsADecrease) {
  for (const std::uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const auto errors = error_stream(seed, 4000, 2000, 0.4, 0.1);
    auto one_sided = build_detector("hddm_a");
    auto two_sided = build_detector("hddm_a(two_sided_test=true)");
    const DriftFlags one = collect_flags(*one_sided, errors);
    const DriftFlags two = collect_flags(*two_sided, errors);
    EXPECT_TRUE(one.drifts.empty());
    ASSERT_FALSE(two.drifts.empty());
    EXPECT_GE(two.drifts.front(), 2000u);
    EXPECT_LT(two.drifts.front(), 2200u);
  }
}

TEST(HddmATest, ResetsAtTheUpdateAfterADrift) {
  HddmA hddm(HddmA::Params{});
  const auto errors = error_stream(6, 4000, 1000, 0.1, 0.6);
  std::size_t i = 0;
  while (i < errors.size() && !hddm.drift_detected()) hddm.update(errors[i++]);
  ASSERT_TRUE(hddm.drift_detected());
  hddm.update(errors[i]);
  EXPECT_EQ(hddm.total().count(), 1u);
  EXPECT_EQ(hddm.total().get(), errors[i]);
  EXPECT_FALSE(hddm.drift_detected());
  EXPECT_FALSE(hddm.warning_detected());
}

TEST(HddmATest, TotalEqualsTheBatchErrorRateSinceTheLastReset) {
  // Oracle: the global mean z is the plain error rate over the values since the last reset.
  HddmA hddm(HddmA::Params{.two_sided_test = true});
  const auto errors = error_stream(7, 8000, 2000, 0.1, 0.5);
  std::size_t start = 0, num_drifts = 0;
  double sum = 0.0;
  bool reset_next = false;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (reset_next) {
      start = i;
      sum = 0.0;
    }
    hddm.update(errors[i]);
    sum += errors[i];
    ASSERT_EQ(hddm.total().count(), i - start + 1) << "at " << i;
    ASSERT_NEAR(hddm.total().get(), sum / static_cast<double>(i - start + 1), 1e-12) << "at " << i;
    reset_next = hddm.drift_detected();
    num_drifts += reset_next;
  }
  EXPECT_GE(num_drifts, 1u);  // the oracle also covered the restart after a reset
}

TEST(HddmATest, LoadRejectsTruncatedOrCorruptStateAndKeepsItsOwn) {
  HddmA hddm(HddmA::Params{});
  for (const double x : error_stream(9, 100, 100, 0.2, 0.2)) hddm.update(x);
  core::StateWriter writer;
  hddm.save(writer);
  const std::string& bytes = writer.bytes();

  HddmA target(HddmA::Params{});
  core::StateReader truncated(std::string_view(bytes).substr(0, bytes.size() - 1));
  EXPECT_FALSE(target.load(truncated).is_ok());
  EXPECT_EQ(target.total().count(), 0u);

  std::string corrupt = bytes;
  corrupt.back() = 7;  // a flag byte that is neither 0 nor 1
  core::StateReader corrupt_reader(corrupt);
  EXPECT_FALSE(target.load(corrupt_reader).is_ok());
  EXPECT_EQ(target.total().count(), 0u);
}

TEST(HddmATest, DescribeListsOnlyNonDefaultParamsAndRoundTrips) {
  EXPECT_EQ(build_detector("hddm_a")->describe(), "hddm_a");
  EXPECT_TRUE(build_detector("hddm_a")->has_warning());
  EXPECT_EQ(build_detector("hddm_a(two_sided_test=true)")->describe(),
            "hddm_a(two_sided_test=true)");
  const std::string expression =
      "hddm_a(drift_confidence=0.002, warning_confidence=0.01, two_sided_test=true)";
  EXPECT_EQ(build_detector(expression)->describe(), expression);
  // The shortest text that parses back to the same value.
  EXPECT_EQ(build_detector("hddm_a(drift_confidence=0.0001)")->describe(),
            "hddm_a(drift_confidence=1e-04)");
  EXPECT_EQ(build_detector("hddm_a(drift_confidence=1e-04)")->describe(),
            "hddm_a(drift_confidence=1e-04)");
  EXPECT_EQ(build_detector("hddm_a(two_sided_test=false, drift_confidence=1e-3)")->describe(),
            "hddm_a");
}

TEST(HddmATest, FactoryRejectsInvalidParamsAllAtOnce) {
  auto detector = DriftDetectorRegistry::builtin().build(
      "hddm_a(drift_confidence=0, warning_confidence=1.5, two_sided_test=maybe)");
  ASSERT_FALSE(detector.is_ok());
  const std::string message = detector.status().message();
  EXPECT_NE(message.find("drift_confidence: must be in (0, 1), got 0"), std::string::npos)
      << message;
  EXPECT_NE(message.find("warning_confidence: must be in (0, 1), got 1.5"), std::string::npos)
      << message;
  EXPECT_NE(message.find("two_sided_test='maybe' is not a boolean"), std::string::npos) << message;
}

}  // namespace
}  // namespace streamlearn::monitors
