#include "monitors/drift/ddm.h"

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

TEST(DdmTest, UsageExampleWarnsThenFlagsARiseOfTheErrorRate) {
  // The header's example: one update per prediction, 1 for a mistake. The error rate rises from
  // 0.1 to 0.4 at index 2000; a long warm start keeps the noisy first estimates from alarming.
  // Warnings (95% level) may come and go before the change; drift (99%) must not.
  Ddm ddm(Ddm::Params{.warm_start = 200});
  const auto errors = error_stream(1, 4000, 2000, 0.1, 0.4);
  std::size_t first_warning_after_change = 0, first_drift = 0;
  for (std::size_t i = 0; i < errors.size() && first_drift == 0; ++i) {
    ddm.update(errors[i]);
    if (ddm.warning_detected() && i >= 2000 && first_warning_after_change == 0)
      first_warning_after_change = i;
    if (ddm.drift_detected()) first_drift = i;
  }
  EXPECT_GE(first_drift, 2000u);
  EXPECT_LT(first_drift, 2300u);
  EXPECT_GE(first_warning_after_change, 2000u);
  EXPECT_LT(first_warning_after_change, first_drift);
}

TEST(DdmTest, ReproducesRiversDocstringExample) {
  // river/drift/binary/ddm.py, River 0.21.1.
  Ddm ddm(Ddm::Params{});
  const std::vector<std::string> expected = {"Warning detected at index 1084",
                                             "Change detected at index 1334",
                                             "Warning detected at index 1492"};
  EXPECT_EQ(docstring_report(ddm, river_docstring_stream()), expected);
}

TEST(DdmTest, DetectsASeededErrorRateIncreaseAfterTheChangeAndNotBefore) {
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto detector = build_detector("ddm(warm_start=200)");
    const DriftFlags flags = collect_flags(*detector, error_stream(seed, 4000, 2000, 0.1, 0.4));
    ASSERT_FALSE(flags.drifts.empty());
    EXPECT_GE(flags.drifts.front(), 2000u);
    EXPECT_LT(flags.drifts.front(), 2300u);
  }
}

TEST(DdmTest, WarningPrecedesDriftAndDriftClearsTheWarning) {
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Ddm ddm(Ddm::Params{.warm_start = 200});
    const auto errors = error_stream(seed, 4000, 2000, 0.1, 0.4);
    bool warned_since_change = false;
    for (std::size_t i = 0; i < errors.size(); ++i) {
      ddm.update(errors[i]);
      if (i >= 2000 && ddm.warning_detected()) warned_since_change = true;
      if (ddm.drift_detected()) {
        EXPECT_TRUE(warned_since_change) << "drift at " << i << " without an earlier warning";
        EXPECT_FALSE(ddm.warning_detected()) << "at " << i;
        break;
      }
    }
  }
}

TEST(DdmTest, ResetsAtTheUpdateAfterADrift) {
  Ddm ddm(Ddm::Params{});
  const auto errors = error_stream(6, 4000, 1000, 0.1, 0.6);
  std::size_t i = 0;
  while (i < errors.size() && !ddm.drift_detected()) ddm.update(errors[i++]);
  ASSERT_TRUE(ddm.drift_detected());
  EXPECT_GT(ddm.num_samples(), 30u);
  ddm.update(errors[i]);
  EXPECT_EQ(ddm.num_samples(), 1u);
  EXPECT_EQ(ddm.error_rate(), errors[i]);
  EXPECT_FALSE(ddm.drift_detected());
  EXPECT_FALSE(ddm.warning_detected());
}

TEST(DdmTest, FlagsNothingDuringTheWarmStart) {
  Ddm ddm(Ddm::Params{.warm_start = 50});
  for (int i = 0; i < 40; ++i) ddm.update(0);
  for (int i = 0; i < 10; ++i) {
    ddm.update(1);
    EXPECT_FALSE(ddm.drift_detected());
    EXPECT_FALSE(ddm.warning_detected());
  }
  // The 51st value is the first tested: with p_min = p, p + s is not above the minimum yet.
  ddm.update(1);
  EXPECT_FALSE(ddm.drift_detected());
}

TEST(DdmTest, ErrorRateAndStdEqualTheBatchFormulasSinceTheLastReset) {
  // Oracle: p is the error rate and s = sqrt(p(1 - p) / n) over the values since the last reset.
  Ddm ddm(Ddm::Params{});
  const auto errors = error_stream(7, 6000, 2000, 0.1, 0.5);
  std::size_t start = 0;
  std::size_t num_drifts = 0;
  double sum = 0.0;
  bool reset_next = false;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (reset_next) {
      start = i;
      sum = 0.0;
    }
    ddm.update(errors[i]);
    sum += errors[i];
    const auto n = static_cast<double>(i - start + 1);
    const double p = sum / n;
    ASSERT_EQ(ddm.num_samples(), i - start + 1) << "at " << i;
    ASSERT_NEAR(ddm.error_rate(), p, 1e-12) << "at " << i;
    ASSERT_NEAR(ddm.error_rate_std(), std::sqrt(p * (1 - p) / n), 1e-12) << "at " << i;
    reset_next = ddm.drift_detected();
    num_drifts += reset_next;
  }
  EXPECT_GE(num_drifts, 1u);  // the oracle also covered the restart after a reset
}

TEST(DdmTest, LoadRejectsTruncatedOrCorruptStateAndKeepsItsOwn) {
  Ddm ddm(Ddm::Params{});
  for (const double x : error_stream(9, 100, 100, 0.2, 0.2)) ddm.update(x);
  core::StateWriter writer;
  ddm.save(writer);
  const std::string& bytes = writer.bytes();

  Ddm target(Ddm::Params{});
  core::StateReader truncated(std::string_view(bytes).substr(0, bytes.size() - 1));
  EXPECT_FALSE(target.load(truncated).is_ok());
  EXPECT_EQ(target.num_samples(), 0u);

  std::string corrupt = bytes;
  corrupt.back() = 7;  // a flag byte that is neither 0 nor 1
  core::StateReader corrupt_reader(corrupt);
  EXPECT_FALSE(target.load(corrupt_reader).is_ok());
  EXPECT_EQ(target.num_samples(), 0u);
}

TEST(DdmTest, DescribeListsOnlyNonDefaultParamsAndRoundTrips) {
  EXPECT_EQ(build_detector("ddm")->describe(), "ddm");
  EXPECT_TRUE(build_detector("ddm")->has_warning());
  const std::string expression = "ddm(warm_start=10, warning_threshold=1.5, drift_threshold=2.5)";
  EXPECT_EQ(build_detector(expression)->describe(), expression);
  EXPECT_EQ(build_detector("ddm(drift_threshold=3)")->describe(), "ddm");
  EXPECT_EQ(build_detector(build_detector("ddm(warning_threshold=0.1)")->describe())->describe(),
            "ddm(warning_threshold=0.1)");
}

TEST(DdmTest, FactoryRejectsInvalidParamsAllAtOnce) {
  auto detector = DriftDetectorRegistry::builtin().build(
      "ddm(warm_start=-1, warning_threshold=0, "
      "drift_threshold=-2, delta=0.1)");
  ASSERT_FALSE(detector.is_ok());
  const std::string message = detector.status().message();
  EXPECT_NE(message.find("warm_start: must be >= 0, got -1"), std::string::npos) << message;
  EXPECT_NE(message.find("warning_threshold: must be > 0"), std::string::npos) << message;
  EXPECT_NE(message.find("drift_threshold: must be > 0"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown parameter 'delta'"), std::string::npos) << message;
}

}  // namespace
}  // namespace streamlearn::monitors
