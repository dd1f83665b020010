#include "monitors/drift/hddm_w.h"

#include <gtest/gtest.h>

#include <cmath>
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

TEST(HddmWTest, UsageExampleWarnsThenFlagsARiseOfTheErrorRate) {
  // The header's example: one update per prediction, 1 for a mistake. The error rate rises from
  // 0.1 to 0.4 at index 2000.
  HddmW hddm(HddmW::Params{});
  const auto errors = error_stream(1, 4000, 2000, 0.1, 0.4);
  std::size_t first_warning = 0, first_drift = 0;
  for (std::size_t i = 0; i < errors.size() && first_drift == 0; ++i) {
    hddm.update(errors[i]);
    if (hddm.warning_detected() && first_warning == 0) first_warning = i;
    if (hddm.drift_detected()) first_drift = i;
  }
  EXPECT_GE(first_warning, 2000u);
  EXPECT_LT(first_warning, first_drift);
  EXPECT_LT(first_drift, 2100u);
}

TEST(HddmWTest, ReproducesRiversDocstringExample) {
  // river/drift/binary/hddm_w.py, River 0.21.1.
  HddmW hddm(HddmW::Params{});
  const std::vector<std::string> expected = {"Warning detected at index 451",
                                             "Change detected at index 1077"};
  EXPECT_EQ(docstring_report(hddm, river_docstring_stream()), expected);
}

TEST(HddmWTest, DetectsASeededErrorRateIncreaseAfterTheChangeAndNotBefore) {
  // One-sided only: the two-sided test often alarms within the first hundred values, see
  // TwoSidedTestFlagsTheEarlyDecreaseThatTheZeroRuleCreates.
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto detector = build_detector("hddm_w");
    const DriftFlags flags = collect_flags(*detector, error_stream(seed, 4000, 2000, 0.1, 0.4));
    ASSERT_FALSE(flags.drifts.empty());
    EXPECT_GE(flags.drifts.front(), 2000u);
    EXPECT_LT(flags.drifts.front(), 2100u);
  }
}

TEST(HddmWTest, TwoSidedTestFlagsTheEarlyDecreaseThatTheZeroRuleCreates) {
  // River's behaviour, reproduced: the first error sets the total EWMA to exactly 1 (the zero
  // rule), the decrease cut point snapshots it, and the EWMA of the mostly correct values after
  // it soon sits far enough below for the decrease test to fire.
  const auto errors = error_stream(1, 4000, 4000, 0.1, 0.1);
  std::size_t first_error = 0;
  while (errors[first_error] == 0.0) ++first_error;
  auto two_sided = build_detector("hddm_w(two_sided_test=true)");
  const DriftFlags two = collect_flags(*two_sided, errors);
  ASSERT_FALSE(two.drifts.empty());
  EXPECT_GT(two.drifts.front(), first_error);
  EXPECT_LT(two.drifts.front(), 200u);
  auto one_sided = build_detector("hddm_w");
  EXPECT_TRUE(collect_flags(*one_sided, errors).drifts.empty());
}

TEST(HddmWTest, WarningPrecedesDriftOfAnIncrease) {
  // The warning test is the drift test at a looser confidence against the same cut point, so a
  // growing difference passes it first. The one-sided drift step clears the warning.
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    HddmW hddm(HddmW::Params{});
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

TEST(HddmWTest, OnlyTheTwoSidedTestFlagsADecrease) {
  // The error rate falls from 0.3 to 0.05 at index 2000. (The EWMA is noisy enough at 0.3 for
  // an occasional alarm before the change; only what follows the change is checked.)
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const auto errors = error_stream(seed, 4000, 2000, 0.3, 0.05);
    auto one_sided = build_detector("hddm_w");
    auto two_sided = build_detector("hddm_w(two_sided_test=true)");
    const DriftFlags one = collect_flags(*one_sided, errors);
    const DriftFlags two = collect_flags(*two_sided, errors);
    const auto after_change = [](const std::vector<std::size_t>& drifts) {
      std::vector<std::size_t> after;
      for (const std::size_t drift : drifts)
        if (drift >= 2000) after.push_back(drift);
      return after;
    };
    EXPECT_TRUE(after_change(one.drifts).empty());
    const auto two_after = after_change(two.drifts);
    ASSERT_FALSE(two_after.empty());
    EXPECT_LT(two_after.front(), 2100u);
  }
}

TEST(HddmWTest, EwmaKeepsWatermillsExactZeroRule) {
  // River's EWMean (watermill 0.1.1) treats a mean of exactly 0 as empty: leading zeros keep it
  // at 0 and the first non-zero value is taken verbatim, not weighted by lambda.
  HddmW hddm(HddmW::Params{});
  for (int i = 0; i < 10; ++i) hddm.update(0);
  EXPECT_EQ(hddm.total().ewma, 0.0);
  EXPECT_TRUE(hddm.total().initialized);
  hddm.update(1);
  EXPECT_EQ(hddm.total().ewma, 1.0);
  hddm.update(0);
  EXPECT_EQ(hddm.total().ewma, 0.95);
  hddm.update(1);
  EXPECT_EQ(hddm.total().ewma, 0.05 * 1 + (1 - 0.05) * 0.95);

  // Non-binary input enters the average as is, as in River.
  HddmW fractional(HddmW::Params{});
  fractional.update(0.25);
  EXPECT_EQ(fractional.total().ewma, 0.25);
}

TEST(HddmWTest, TotalEqualsTheClosedFormEwmaAndBoundConditionSinceTheLastReset) {
  // Oracle: after the first non-zero value v_k, ewma_n = (1 - l)^(n - k) v_k +
  // sum_{j > k} l (1 - l)^(n - j) v_j, and ibc_n = (1 - l)^(2n) + l^2 (1 - (1 - l)^(2n)) /
  // (1 - (1 - l)^2), over the values since the last reset.
  const double lambda = 0.05;
  HddmW hddm(HddmW::Params{.lambda_val = lambda});
  const auto errors = error_stream(7, 8000, 2000, 0.1, 0.5);
  std::size_t start = 0, num_drifts = 0, num_checked = 0;
  bool reset_next = false;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (reset_next) start = i;
    hddm.update(errors[i]);
    reset_next = hddm.drift_detected();
    num_drifts += reset_next;
    if (i % 37 != 0) continue;
    std::size_t first = start;
    while (first <= i && errors[first] == 0.0) ++first;
    double ewma = 0.0;
    if (first <= i) {
      ewma = std::pow(1 - lambda, static_cast<double>(i - first)) * errors[first];
      for (std::size_t j = first + 1; j <= i; ++j)
        ewma += lambda * std::pow(1 - lambda, static_cast<double>(i - j)) * errors[j];
    }
    const double decay = std::pow(1 - lambda, 2.0 * static_cast<double>(i - start + 1));
    const double ibc = decay + lambda * lambda * (1 - decay) / (1 - (1 - lambda) * (1 - lambda));
    ASSERT_NEAR(hddm.total().ewma, ewma, 1e-12) << "at " << i;
    ASSERT_NEAR(hddm.total().ibc, ibc, 1e-12) << "at " << i;
    ++num_checked;
  }
  EXPECT_GE(num_drifts, 1u);  // the oracle also covered the restart after a reset
  EXPECT_GT(num_checked, 200u);
}

TEST(HddmWTest, ResetsAtTheUpdateAfterADrift) {
  HddmW hddm(HddmW::Params{});
  const auto errors = error_stream(6, 4000, 1000, 0.1, 0.6);
  std::size_t i = 0;
  while (i < errors.size() && !hddm.drift_detected()) hddm.update(errors[i++]);
  ASSERT_TRUE(hddm.drift_detected());
  hddm.update(1);
  EXPECT_EQ(hddm.total().ewma, 1.0);
  EXPECT_EQ(hddm.total().ibc, 0.05 * 0.05 + 0.95 * 0.95);
  EXPECT_FALSE(hddm.drift_detected());
  EXPECT_FALSE(hddm.warning_detected());
}

TEST(HddmWTest, LoadRejectsTruncatedOrCorruptStateAndKeepsItsOwn) {
  HddmW hddm(HddmW::Params{});
  for (const double x : error_stream(9, 100, 100, 0.2, 0.2)) hddm.update(x);
  core::StateWriter writer;
  hddm.save(writer);
  const std::string& bytes = writer.bytes();

  HddmW target(HddmW::Params{});
  core::StateReader truncated(std::string_view(bytes).substr(0, bytes.size() - 1));
  EXPECT_FALSE(target.load(truncated).is_ok());
  EXPECT_FALSE(target.total().initialized);

  std::string corrupt = bytes;
  corrupt.back() = 7;  // a flag byte that is neither 0 nor 1
  core::StateReader corrupt_reader(corrupt);
  EXPECT_FALSE(target.load(corrupt_reader).is_ok());
  EXPECT_FALSE(target.total().initialized);
}

TEST(HddmWTest, DescribeListsOnlyNonDefaultParamsAndRoundTrips) {
  EXPECT_EQ(build_detector("hddm_w")->describe(), "hddm_w");
  EXPECT_TRUE(build_detector("hddm_w")->has_warning());
  EXPECT_EQ(build_detector("hddm_w(two_sided_test=true)")->describe(),
            "hddm_w(two_sided_test=true)");
  const std::string expression =
      "hddm_w(drift_confidence=0.002, warning_confidence=0.01, lambda_val=0.1, "
      "two_sided_test=true)";
  EXPECT_EQ(build_detector(expression)->describe(), expression);
  EXPECT_EQ(build_detector("hddm_w(lambda_val=0.05, two_sided_test=false)")->describe(), "hddm_w");
}

TEST(HddmWTest, FactoryRejectsInvalidParamsAllAtOnce) {
  auto detector = DriftDetectorRegistry::builtin().build(
      "hddm_w(drift_confidence=1, warning_confidence=-0.1, lambda_val=0)");
  ASSERT_FALSE(detector.is_ok());
  const std::string message = detector.status().message();
  EXPECT_NE(message.find("drift_confidence: must be in (0, 1), got 1"), std::string::npos)
      << message;
  EXPECT_NE(message.find("warning_confidence: must be in (0, 1), got -0.1"), std::string::npos)
      << message;
  EXPECT_NE(message.find("lambda_val: must be in (0, 1], got 0"), std::string::npos) << message;
}

}  // namespace
}  // namespace streamlearn::monitors
