#include "monitors/drift/adwin.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/monitors/drift_test_streams.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

using testing::build_detector;
using testing::drift_indices;
using testing::gaussian_stream;
using testing::stepped_uniform_stream;

TEST(AdwinTest, UsageExampleFlagsAShiftOfTheErrorRate) {
  // The header's example: errors (0/1) whose rate jumps from 0.1 to 0.5 at index 2000.
  SplitMix64 rng(11);
  Adwin adwin(Adwin::Params{});
  std::vector<std::size_t> drifts;
  for (std::size_t i = 0; i < 4000; ++i) {
    const double error = rng.uniform() < (i < 2000 ? 0.1 : 0.5) ? 1.0 : 0.0;
    adwin.update(error);
    if (adwin.drift_detected()) drifts.push_back(i);
  }
  ASSERT_FALSE(drifts.empty());
  EXPECT_GE(drifts.front(), 2000u);
  EXPECT_LT(drifts.front(), 2500u);
  EXPECT_NEAR(adwin.estimation(), 0.5, 0.05);
}

TEST(AdwinTest, MatchesRiversIndicesAndWindowOnASteppedStream) {
  // Expected values from a line-by-line Python transcription of River 0.21.1's adwin_c.pyx, the
  // same that reproduces River's indices and final window on ../shared/reference exactly. The
  // non-default variant exercises other merge, grace and minimum-length paths.
  const auto values = stepped_uniform_stream(7);
  struct Case {
    std::string expression;
    std::vector<std::size_t> drifts;
    double width, total, variance;
  };
  const std::vector<Case> cases = {
      {"adwin", {1631, 3167, 4575}, 1424.0, 1994.2190123158864, 115.07668613741389},
      {"adwin(delta=0.01, clock=4, max_buckets=3, min_window_length=8, grace_period=30)",
       {1671, 3271, 4575},
       1424.0,
       1994.2190123158864,
       115.07668613741389},
      {"adwin(clock=1, max_buckets=2, min_window_length=2, grace_period=0)",
       {1706, 3404, 4615},
       1384.0,
       1938.0353570933664,
       111.64577411951919},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expression);
    auto detector = build_detector(c.expression);
    EXPECT_EQ(drift_indices(*detector, values), c.drifts);
    const auto& adwin = dynamic_cast<const Adwin&>(*detector);
    EXPECT_EQ(static_cast<double>(adwin.width()), c.width);
    EXPECT_EQ(adwin.total(), c.total);
    EXPECT_EQ(adwin.variance(), c.variance);
  }
}

TEST(AdwinTest, MaxBucketsOneNeverTestsACutAsInRiver) {
  // River's scan skips the newest bucket of every row; with one bucket per row nothing is left to
  // test, so River's ADWIN(max_buckets=1) never flags. Parity keeps that.
  auto detector = build_detector("adwin(clock=1, max_buckets=1)");
  EXPECT_TRUE(drift_indices(*detector, stepped_uniform_stream(7)).empty());
  EXPECT_EQ(dynamic_cast<const Adwin&>(*detector).width(), 6000u);
}

TEST(AdwinTest, DetectsAnAbruptMeanShiftSoonAfterItAndNotBefore) {
  // A shift of one standard deviation after 3000 values: the delay grows with the old window
  // (the test needs enough new values to outweigh it), a few hundred values here.
  for (std::uint64_t seed : {21u, 22u, 23u}) {
    SCOPED_TRACE(seed);
    auto values = gaussian_stream(seed, 3000, 0.0);
    const auto shifted = gaussian_stream(seed + 100, 1000, 1.0);
    values.insert(values.end(), shifted.begin(), shifted.end());
    for (std::string_view expression : {"adwin", "adwin(clock=1)"}) {
      SCOPED_TRACE(expression);
      auto detector = build_detector(expression);
      const auto drifts = drift_indices(*detector, values);
      ASSERT_FALSE(drifts.empty());
      EXPECT_GE(drifts.front(), 3000u);
      EXPECT_LT(drifts.front(), 3400u);
    }
  }
}

TEST(AdwinTest, RaisesNoFalseAlarmOnALongStationaryStream) {
  // Holds for River's algorithm too: its transcription flags nothing on these streams.
  for (std::uint64_t seed : {31u, 32u, 33u}) {
    SCOPED_TRACE(seed);
    const auto values = gaussian_stream(seed, 100'000, 5.0);
    Adwin adwin(Adwin::Params{});
    EXPECT_TRUE(drift_indices(adwin, values).empty());
    EXPECT_EQ(adwin.width(), values.size());
  }
}

TEST(AdwinTest, WindowStatisticsEqualBatchStatisticsOfTheLastWidthValues) {
  // The window is always the newest width() values since the last reset, so its count, mean and
  // sum of squared deviations can be recomputed from scratch and compared.
  const auto values = stepped_uniform_stream(41);
  auto detector = build_detector("adwin(clock=1)");
  const auto& adwin = dynamic_cast<const Adwin&>(*detector);
  std::vector<double> since_reset;
  std::size_t drifts = 0;
  for (double x : values) {
    if (adwin.drift_detected()) since_reset.clear();  // River resets on the next update
    since_reset.push_back(x);
    detector->update(x);
    drifts += adwin.drift_detected();
    ASSERT_LE(adwin.width(), since_reset.size());
    if (!adwin.drift_detected()) {
      ASSERT_EQ(adwin.width(), since_reset.size());
    }
    const auto first = since_reset.end() - static_cast<std::ptrdiff_t>(adwin.width());
    double sum = 0.0;
    for (auto it = first; it != since_reset.end(); ++it) sum += *it;
    const double mean = sum / static_cast<double>(adwin.width());
    double squares = 0.0;
    for (auto it = first; it != since_reset.end(); ++it) squares += (*it - mean) * (*it - mean);
    ASSERT_NEAR(adwin.total(), sum, 1e-9 * std::max(1.0, std::abs(sum)));
    ASSERT_NEAR(adwin.estimation(), mean, 1e-9);
    ASSERT_NEAR(adwin.variance(), squares, 1e-7 * std::max(1.0, squares));
  }
  EXPECT_GE(drifts, 3u);  // the windows compared include cut ones
}

TEST(AdwinTest, ResetsToAnEmptyWindowOnTheUpdateAfterADrift) {
  const auto values = stepped_uniform_stream(7);
  Adwin adwin(Adwin::Params{});
  EXPECT_EQ(adwin.width(), 0u);
  EXPECT_EQ(adwin.estimation(), 0.0);
  std::size_t i = 0;
  while (!adwin.drift_detected()) adwin.update(values[i++]);
  EXPECT_GT(adwin.width(), 0u);
  EXPECT_LT(adwin.width(), i);  // the cut dropped the oldest values
  adwin.update(values[i]);
  EXPECT_FALSE(adwin.drift_detected());
  EXPECT_EQ(adwin.width(), 1u);
  EXPECT_EQ(adwin.total(), values[i]);
  EXPECT_EQ(adwin.variance(), 0.0);
}

TEST(AdwinTest, SaveThenLoadGivesIdenticalFlagsAndWindow) {
  const auto values = stepped_uniform_stream(51);
  for (std::size_t split : {0u, 7u, 1631u, 1632u, 2500u}) {
    SCOPED_TRACE(split);
    auto original = build_detector("adwin(clock=1)");
    for (std::size_t i = 0; i < split; ++i) original->update(values[i]);
    core::StateWriter writer;
    original->save(writer);
    auto restored = build_detector("adwin(clock=1)");
    core::StateReader reader(writer.bytes());
    ASSERT_TRUE(restored->load(reader).is_ok());
    EXPECT_TRUE(reader.at_end());
    EXPECT_EQ(restored->drift_detected(), original->drift_detected());
    EXPECT_EQ(drift_indices(*restored, values, split), drift_indices(*original, values, split));
    const auto& a = dynamic_cast<const Adwin&>(*original);
    const auto& b = dynamic_cast<const Adwin&>(*restored);
    EXPECT_EQ(b.width(), a.width());
    EXPECT_EQ(b.total(), a.total());
    EXPECT_EQ(b.variance(), a.variance());
  }
}

TEST(AdwinTest, LoadRejectsTruncatedOrInconsistentState) {
  const auto values = stepped_uniform_stream(52);
  Adwin adwin(Adwin::Params{});
  for (std::size_t i = 0; i < 1000; ++i) adwin.update(values[i]);
  core::StateWriter writer;
  adwin.save(writer);
  const std::string& bytes = writer.bytes();
  for (std::size_t length : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
    Adwin restored(Adwin::Params{});
    core::StateReader reader(std::string_view(bytes).substr(0, length));
    EXPECT_FALSE(restored.load(reader).is_ok()) << length;
  }
  // A width that the buckets do not account for.
  std::string corrupt = bytes;
  const double wrong_width = static_cast<double>(adwin.width()) + 1.0;
  const std::size_t width_offset = sizeof(std::uint32_t) + 1 + sizeof(std::int64_t);
  std::memcpy(corrupt.data() + width_offset, &wrong_width, sizeof(double));
  Adwin restored(Adwin::Params{});
  core::StateReader reader(corrupt);
  EXPECT_FALSE(restored.load(reader).is_ok());
  // A state saved with more buckets per row than this detector's max_buckets allows.
  Adwin smaller(Adwin::Params{.max_buckets = 2});
  core::StateReader reader_for_smaller(bytes);
  EXPECT_FALSE(smaller.load(reader_for_smaller).is_ok());
}

TEST(AdwinTest, DescribeNamesOnlyNonDefaultParams) {
  EXPECT_EQ(build_detector("adwin")->describe(), "adwin");
  EXPECT_EQ(build_detector("adwin(delta=0.002, clock=32)")->describe(), "adwin");
  EXPECT_EQ(build_detector("adwin(clock=1)")->describe(), "adwin(clock=1)");
  EXPECT_EQ(build_detector("adwin(grace_period=0, delta=0.01, max_buckets=7, min_window_length=3)")
                ->describe(),
            "adwin(delta=0.01, max_buckets=7, min_window_length=3, grace_period=0)");
}

TEST(AdwinTest, FactoryRejectsInvalidParamsAllAtOnce) {
  auto bad = DriftDetectorRegistry::builtin().build(
      "adwin(delta=1, clock=0, max_buckets=0, min_window_length=0, grace_period=-1)");
  ASSERT_FALSE(bad.is_ok());
  const std::string message = bad.status().message();
  for (std::string_view expected :
       {"delta: must be in (0, 1)", "clock: must be an integer >= 1",
        "max_buckets: must be an integer in [1,", "min_window_length: must be an integer >= 1",
        "grace_period: must be an integer >= 0"})
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  EXPECT_FALSE(DriftDetectorRegistry::builtin().build("adwin(delta=0)").is_ok());
  EXPECT_FALSE(DriftDetectorRegistry::builtin().build("adwin(delta=-0.1)").is_ok());
  EXPECT_FALSE(DriftDetectorRegistry::builtin().build("adwin(clock=1.5)").is_ok());
}

}  // namespace
}  // namespace streamlearn::monitors
