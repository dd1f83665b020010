#include "monitors/drift/ddm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

// Errors (1) with probability rate_before until change_at, then with rate_after.
std::vector<double> error_stream(std::uint64_t seed, std::size_t length, std::size_t change_at,
                                 double rate_before, double rate_after) {
  SplitMix64 rng(seed);
  std::vector<double> values;
  values.reserve(length);
  for (std::size_t i = 0; i < length; ++i)
    values.push_back(rng.uniform() < (i < change_at ? rate_before : rate_after) ? 1.0 : 0.0);
  return values;
}

// The stream of River's docstring examples for the binary detectors:
// rng = random.Random(42); rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000,
// weights=[0.3, 0.7]), generated with CPython and packed four values per hex digit, first value in
// the most significant bit.
std::vector<double> river_docstring_stream() {
  constexpr std::string_view kHex =
      "8e136c8fdf80874fc1a8b318f746b6f1cc65334459360e205be053cf74cb74931cfac5a61b1f1e35f5eb486b"
      "a8b57c980f4619b8252c65fff1e0991f1dc10940b1be1b6c6b762ded9692595d2aa0c702eb0a4ae9bc826fde"
      "33c07e5b0d7178ed66cb6bd732c6bb9ea97ce79b47341c643b756ff993eb2fd5f1cc44e8237cfa535094fdbe"
      "f93fbebba9fbfe9ffb3babf1babb457d3f3ebf5f8effe675fff1e75f2fdffffcc5daeebffbe76ad96f363cbb"
      "4daff3fb7d87af7ffbdfbb7d9fff3cdbdeff17dfbfdc3f6ebf3fde37ef0d7fbafffadbf67f6f7fbfba97e3df"
      "e51f3f3aeddafdefaff57e27bd23d9fa8fe6d765f7f5affff70f5bc3657f";
  std::vector<double> values;
  for (const char digit : kHex) {
    const int nibble = digit <= '9' ? digit - '0' : digit - 'a' + 10;
    for (int bit = 3; bit >= 0; --bit) values.push_back((nibble >> bit) & 1);
  }
  return values;
}

// What River's docstring loop prints: the first warning after each drift, and every drift.
std::vector<std::string> docstring_report(DriftDetector& detector,
                                          const std::vector<double>& values) {
  std::vector<std::string> lines;
  bool print_warning = true;
  for (std::size_t i = 0; i < values.size(); ++i) {
    detector.update(values[i]);
    if (detector.warning_detected() && print_warning) {
      lines.push_back("Warning detected at index " + std::to_string(i));
      print_warning = false;
    }
    if (detector.drift_detected()) {
      lines.push_back("Change detected at index " + std::to_string(i));
      print_warning = true;
    }
  }
  return lines;
}

struct Flags {
  std::vector<std::size_t> drifts;
  std::vector<std::size_t> warnings;
};

Flags run(DriftDetector& detector, const std::vector<double>& values, std::size_t first = 0) {
  Flags flags;
  for (std::size_t i = first; i < values.size(); ++i) {
    detector.update(values[i]);
    if (detector.drift_detected()) flags.drifts.push_back(i);
    if (detector.warning_detected()) flags.warnings.push_back(i);
  }
  return flags;
}

std::unique_ptr<DriftDetector> build(std::string_view expression) {
  auto detector = DriftDetectorRegistry::builtin().build(expression);
  EXPECT_TRUE(detector.is_ok()) << detector.status().message();
  return std::move(detector).value();
}

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
    auto detector = build("ddm(warm_start=200)");
    const Flags flags = run(*detector, error_stream(seed, 4000, 2000, 0.1, 0.4));
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

TEST(DdmTest, SaveLoadRoundTripGivesIdenticalFlagsAfterwards) {
  const auto errors = error_stream(8, 8000, 3000, 0.1, 0.4);
  Ddm original(Ddm::Params{.warm_start = 100, .warning_threshold = 1.5});
  // Save right at a drift, so the restored copy must also reset on its next update.
  std::size_t i = 0;
  while (i < errors.size() && !original.drift_detected()) original.update(errors[i++]);
  ASSERT_TRUE(original.drift_detected());
  core::StateWriter writer;
  original.save(writer);

  Ddm restored(original.params());
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored.load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  const Flags expected = run(original, errors, i);
  const Flags actual = run(restored, errors, i);
  EXPECT_EQ(actual.drifts, expected.drifts);
  EXPECT_EQ(actual.warnings, expected.warnings);
  EXPECT_FALSE(expected.warnings.empty());
  core::StateWriter original_after, restored_after;
  original.save(original_after);
  restored.save(restored_after);
  EXPECT_EQ(restored_after.bytes(), original_after.bytes());
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

TEST(DdmTest, CloneIsAFreshDetectorWithTheSameParams) {
  auto detector = build("ddm(warm_start=50, drift_threshold=2.5)");
  run(*detector, error_stream(10, 3000, 1000, 0.1, 0.5));
  auto copy = detector->clone();
  auto fresh = build("ddm(warm_start=50, drift_threshold=2.5)");
  EXPECT_EQ(copy->describe(), detector->describe());
  core::StateWriter copy_state, fresh_state;
  copy->save(copy_state);
  fresh->save(fresh_state);
  EXPECT_EQ(copy_state.bytes(), fresh_state.bytes());
  const auto next = error_stream(11, 3000, 1000, 0.1, 0.5);
  const Flags from_copy = run(*copy, next);
  const Flags from_fresh = run(*fresh, next);
  EXPECT_EQ(from_copy.drifts, from_fresh.drifts);
  EXPECT_EQ(from_copy.warnings, from_fresh.warnings);
}

TEST(DdmTest, DescribeListsOnlyNonDefaultParamsAndRoundTrips) {
  EXPECT_EQ(build("ddm")->describe(), "ddm");
  EXPECT_TRUE(build("ddm")->has_warning());
  const std::string expression = "ddm(warm_start=10, warning_threshold=1.5, drift_threshold=2.5)";
  EXPECT_EQ(build(expression)->describe(), expression);
  EXPECT_EQ(build("ddm(drift_threshold=3)")->describe(), "ddm");
  EXPECT_EQ(build(build("ddm(warning_threshold=0.1)")->describe())->describe(),
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
