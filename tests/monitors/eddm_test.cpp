#include "monitors/drift/eddm.h"

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

TEST(EddmTest, UsageExampleFlagsARiseOfTheErrorRate) {
  // The header's example: one update per prediction, 1 for a mistake. The error rate rises from
  // 0.05 to 0.5 at index 2000. A longer warm start and thresholds below the defaults keep EDDM
  // from alarming on the noise of the gaps between rare errors (River's docstring also lowers
  // the thresholds).
  Eddm eddm(Eddm::Params{.warm_start = 100, .alpha = 0.8, .beta = 0.7});
  const auto errors = error_stream(1, 4000, 2000, 0.05, 0.5);
  std::vector<std::size_t> drifts;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    eddm.update(errors[i]);
    if (eddm.drift_detected()) drifts.push_back(i);
  }
  ASSERT_FALSE(drifts.empty());
  EXPECT_GE(drifts.front(), 2000u);
  EXPECT_LT(drifts.front(), 2300u);
}

TEST(EddmTest, ReproducesRiversDocstringExample) {
  // river/drift/binary/eddm.py, River 0.21.1.
  Eddm eddm(Eddm::Params{.alpha = 0.8, .beta = 0.75});
  const std::vector<std::string> expected = {"Warning detected at index 1059",
                                             "Change detected at index 1278"};
  EXPECT_EQ(docstring_report(eddm, river_docstring_stream()), expected);
}

TEST(EddmTest, DetectsASeededErrorRateIncreaseAfterTheChangeAndNotBefore) {
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto detector = build_detector("eddm(warm_start=100, alpha=0.8, beta=0.7)");
    const DriftFlags flags = collect_flags(*detector, error_stream(seed, 4000, 2000, 0.05, 0.5));
    ASSERT_FALSE(flags.drifts.empty());
    EXPECT_GE(flags.drifts.front(), 2000u);
    EXPECT_LT(flags.drifts.front(), 2400u);
  }
}

TEST(EddmTest, WarningPrecedesOrCoincidesWithDrift) {
  // The level (p' + 2s') / max falls gradually as errors crowd together, so it crosses alpha no
  // later than beta. (A drift does not clear a warning in River, so both can be set at once.)
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto detector = build_detector("eddm(warm_start=100, alpha=0.8, beta=0.7)");
    const DriftFlags flags = collect_flags(*detector, error_stream(seed, 4000, 2000, 0.05, 0.5));
    ASSERT_FALSE(flags.drifts.empty());
    const std::size_t drift = flags.drifts.front();
    bool warned = false;
    for (const std::size_t warning : flags.warnings) warned |= warning >= 2000 && warning <= drift;
    EXPECT_TRUE(warned) << "no warning between the change and the drift at " << drift;
  }
}

TEST(EddmTest, FlagsChangeOnlyOnErrors) {
  // Only an error moves the distance statistics, so a correct prediction leaves both flags as
  // they were (except for the reset that follows a drift).
  Eddm eddm(Eddm::Params{});
  const auto errors = error_stream(12, 6000, 2000, 0.1, 0.4);
  bool drift = false, warning = false;
  std::size_t num_warnings = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    eddm.update(errors[i]);
    if (errors[i] == 0.0 && !drift) {
      ASSERT_EQ(eddm.warning_detected(), warning) << "at " << i;
      ASSERT_FALSE(eddm.drift_detected()) << "at " << i;
    }
    drift = eddm.drift_detected();
    warning = eddm.warning_detected();
    num_warnings += warning;
  }
  EXPECT_GT(num_warnings, 0u);
}

TEST(EddmTest, OnlyAnExactOneCountsAsAnError) {
  // River tests `x == 1`; other values, even close to 1, are correct predictions.
  Eddm eddm(Eddm::Params{});
  for (const double x : {0.5, 0.999, 2.0, -1.0, 0.0}) eddm.update(x);
  EXPECT_EQ(eddm.num_samples(), 5u);
  EXPECT_EQ(eddm.num_errors(), 0u);
  eddm.update(1.0);
  EXPECT_EQ(eddm.num_errors(), 1u);
  EXPECT_EQ(eddm.error_distances().mean(), 6.0);
}

TEST(EddmTest, DistanceStatisticsEqualTheBatchFormulasSinceTheLastReset) {
  // Oracle: the mean and sample variance of the gaps between consecutive errors since the last
  // reset, the first gap counted from the reset.
  Eddm eddm(Eddm::Params{});
  const auto errors = error_stream(13, 6000, 2000, 0.1, 0.4);
  std::vector<double> distances;
  std::size_t since_reset = 0, last_error = 0, num_drifts = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    eddm.update(errors[i]);
    ++since_reset;
    if (errors[i] == 1.0) {
      distances.push_back(static_cast<double>(since_reset - last_error));
      last_error = since_reset;
    }
    const auto n = static_cast<double>(distances.size());
    double mean = 0.0, squares = 0.0;
    for (const double d : distances) mean += d / n;
    for (const double d : distances) squares += (d - mean) * (d - mean);
    ASSERT_EQ(eddm.num_samples(), since_reset) << "at " << i;
    ASSERT_EQ(eddm.num_errors(), distances.size()) << "at " << i;
    if (!distances.empty()) {
      ASSERT_NEAR(eddm.error_distances().mean(), mean, 1e-9 * mean) << "at " << i;
    }
    if (distances.size() > 1) {
      const double variance = squares / (n - 1);
      ASSERT_NEAR(eddm.error_distances().get(), variance, 1e-9 * variance + 1e-12) << "at " << i;
    }
    if (eddm.drift_detected()) {
      ++num_drifts;
      distances.clear();
      since_reset = last_error = 0;
    }
  }
  EXPECT_GE(num_drifts, 2u);  // the oracle also covered restarts after resets
}

TEST(EddmTest, LoadRejectsTruncatedOrCorruptStateAndKeepsItsOwn) {
  Eddm eddm(Eddm::Params{});
  for (const double x : error_stream(15, 300, 300, 0.2, 0.2)) eddm.update(x);
  core::StateWriter writer;
  eddm.save(writer);
  const std::string& bytes = writer.bytes();

  Eddm target(Eddm::Params{});
  core::StateReader truncated(std::string_view(bytes).substr(0, bytes.size() - 1));
  EXPECT_FALSE(target.load(truncated).is_ok());
  EXPECT_EQ(target.num_samples(), 0u);

  std::string corrupt = bytes;
  corrupt.back() = 7;  // a flag byte that is neither 0 nor 1
  core::StateReader corrupt_reader(corrupt);
  EXPECT_FALSE(target.load(corrupt_reader).is_ok());
  EXPECT_EQ(target.num_samples(), 0u);
}

TEST(EddmTest, DescribeListsOnlyNonDefaultParamsAndRoundTrips) {
  EXPECT_EQ(build_detector("eddm")->describe(), "eddm");
  EXPECT_TRUE(build_detector("eddm")->has_warning());
  const std::string expression = "eddm(warm_start=10, alpha=0.8, beta=0.75)";
  EXPECT_EQ(build_detector(expression)->describe(), expression);
  EXPECT_EQ(build_detector("eddm(alpha=0.95)")->describe(), "eddm");
  EXPECT_EQ(build_detector(build_detector("eddm(beta=0.5)")->describe())->describe(),
            "eddm(beta=0.5)");
}

TEST(EddmTest, FactoryRejectsInvalidParamsAllAtOnce) {
  auto detector = DriftDetectorRegistry::builtin().build("eddm(warm_start=-3, alpha=0.5)");
  ASSERT_FALSE(detector.is_ok());
  std::string message = detector.status().message();
  EXPECT_NE(message.find("warm_start: must be >= 0, got -3"), std::string::npos) << message;
  EXPECT_NE(message.find("alpha: must be >= beta (0.9), got 0.5"), std::string::npos) << message;

  detector = DriftDetectorRegistry::builtin().build("eddm(alpha=1.5, beta=0)");
  ASSERT_FALSE(detector.is_ok());
  message = detector.status().message();
  EXPECT_NE(message.find("alpha: must be in (0, 1], got 1.5"), std::string::npos) << message;
  EXPECT_NE(message.find("beta: must be in (0, 1], got 0"), std::string::npos) << message;
}

}  // namespace
}  // namespace streamlearn::monitors
