#include "monitors/drift/page_hinkley.h"

#include <gtest/gtest.h>

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

std::vector<double> concatenate(std::vector<double> first, const std::vector<double>& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

TEST(PageHinkleyTest, UsageExampleFlagsARiseOfTheLoss) {
  // The header's example: a 0/1 loss whose rate jumps from 0.1 to 0.5 at index 2000.
  SplitMix64 rng(11);
  PageHinkley detector(PageHinkley::Params{.mode = PageHinkley::Mode::kUp});
  std::vector<std::size_t> drifts;
  for (std::size_t i = 0; i < 4000; ++i) {
    detector.update(rng.uniform() < (i < 2000 ? 0.1 : 0.5) ? 1.0 : 0.0);
    if (detector.drift_detected()) drifts.push_back(i);
  }
  ASSERT_FALSE(drifts.empty());
  EXPECT_GE(drifts.front(), 2000u);
  EXPECT_LT(drifts.front(), 2300u);
}

TEST(PageHinkleyTest, MatchesRiversIndicesOnASteppedStream) {
  // Expected indices from a line-by-line Python transcription of River 0.21.1's
  // drift/page_hinkley.py (with stats.Mean), the same that reproduces River's indices on
  // ../shared/reference exactly.
  const auto values = stepped_uniform_stream(7);
  EXPECT_EQ(drift_indices(*build_detector("page_hinkley"), values),
            (std::vector<std::size_t>{1614, 3181, 4570}));
  EXPECT_EQ(drift_indices(*build_detector("page_hinkley(mode=up)"), values),
            (std::vector<std::size_t>{1614, 4589}));
  EXPECT_EQ(drift_indices(*build_detector("page_hinkley(mode=down)"), values),
            (std::vector<std::size_t>{3605}));
  EXPECT_EQ(
      drift_indices(*build_detector("page_hinkley(min_instances=10, delta=0.01, threshold=20, "
                                    "alpha=0.999, mode=down)"),
                    values),
      (std::vector<std::size_t>{3064}));
}

TEST(PageHinkleyTest, DetectsAnAbruptMeanShiftSoonAfterItAndNotBefore) {
  for (std::uint64_t seed : {21u, 22u, 23u}) {
    SCOPED_TRACE(seed);
    const auto before = gaussian_stream(seed, 3000, 0.0, 0.1);
    const auto rise = concatenate(before, gaussian_stream(seed + 100, 1000, 1.0, 0.1));
    const auto fall = concatenate(before, gaussian_stream(seed + 100, 1000, -1.0, 0.1));
    for (std::string_view expression : {"page_hinkley", "page_hinkley(mode=up)"}) {
      SCOPED_TRACE(expression);
      const auto drifts = drift_indices(*build_detector(expression), rise);
      ASSERT_FALSE(drifts.empty());
      EXPECT_GE(drifts.front(), 3000u);
      EXPECT_LT(drifts.front(), 3100u);
    }
    for (std::string_view expression : {"page_hinkley", "page_hinkley(mode=down)"}) {
      SCOPED_TRACE(expression);
      const auto drifts = drift_indices(*build_detector(expression), fall);
      ASSERT_FALSE(drifts.empty());
      EXPECT_GE(drifts.front(), 3000u);
      EXPECT_LT(drifts.front(), 3100u);
    }
  }
}

TEST(PageHinkleyTest, EachOneSidedModeIgnoresTheOtherDirection) {
  const auto before = gaussian_stream(25, 3000, 0.0, 0.1);
  const auto rise = concatenate(before, gaussian_stream(125, 3000, 1.0, 0.1));
  const auto fall = concatenate(before, gaussian_stream(125, 3000, -1.0, 0.1));
  EXPECT_TRUE(drift_indices(*build_detector("page_hinkley(mode=down)"), rise).empty());
  EXPECT_TRUE(drift_indices(*build_detector("page_hinkley(mode=up)"), fall).empty());
}

TEST(PageHinkleyTest, RaisesNoFalseAlarmOnALongStationaryStream) {
  // The threshold is in units of the input: on noise of standard deviation 1 the faded sums
  // wander past 50 within a few thousand values, in River as here (River flags index 1781 of the
  // reference N(0, 1) sequence, before its change at 2000). Hence noise of deviation 0.1 here.
  for (std::uint64_t seed : {31u, 32u, 33u}) {
    SCOPED_TRACE(seed);
    EXPECT_TRUE(
        drift_indices(*build_detector("page_hinkley"), gaussian_stream(seed, 100'000, 5.0, 0.1))
            .empty());
  }
}

TEST(PageHinkleyTest, NeverFlagsBeforeMinInstancesAndCountsAgainAfterADrift) {
  // A single spike at index 4 pushes the decrease test far past the threshold at once, but it
  // may only flag at the 30th value (index 29). The update after it starts afresh: the spike at
  // index 34 is then the 5th value again, so the next flag is at index 59.
  std::vector<double> values(120, 0.0);
  values[4] = 1000.0;
  values[34] = 1000.0;
  EXPECT_EQ(drift_indices(*build_detector("page_hinkley"), values),
            (std::vector<std::size_t>{29, 59}));
  EXPECT_EQ(drift_indices(*build_detector("page_hinkley(min_instances=10)"), values),
            (std::vector<std::size_t>{9, 34}));
}

TEST(PageHinkleyTest, SaveThenLoadGivesIdenticalFlags) {
  const auto values = stepped_uniform_stream(51);
  for (std::size_t split : {0u, 7u, 1614u, 1615u, 2500u}) {
    SCOPED_TRACE(split);
    auto original = build_detector("page_hinkley(mode=up)");
    for (std::size_t i = 0; i < split; ++i) original->update(values[i]);
    core::StateWriter writer;
    original->save(writer);
    auto restored = build_detector("page_hinkley(mode=up)");
    core::StateReader reader(writer.bytes());
    ASSERT_TRUE(restored->load(reader).is_ok());
    EXPECT_TRUE(reader.at_end());
    EXPECT_EQ(restored->drift_detected(), original->drift_detected());
    EXPECT_EQ(drift_indices(*restored, values, split), drift_indices(*original, values, split));
  }
}

TEST(PageHinkleyTest, LoadRejectsTruncatedOrCorruptState) {
  auto detector = build_detector("page_hinkley");
  drift_indices(*detector, stepped_uniform_stream(52));
  core::StateWriter writer;
  detector->save(writer);
  const std::string& bytes = writer.bytes();
  for (std::size_t length : {std::size_t{0}, std::size_t{4}, bytes.size() - 1}) {
    auto restored = build_detector("page_hinkley");
    core::StateReader reader(std::string_view(bytes).substr(0, length));
    EXPECT_FALSE(restored->load(reader).is_ok()) << length;
  }
  std::string corrupt = bytes;
  corrupt[sizeof(std::uint32_t)] = 7;  // the drift flag is 0 or 1
  auto restored = build_detector("page_hinkley");
  core::StateReader reader(corrupt);
  EXPECT_FALSE(restored->load(reader).is_ok());
}

TEST(PageHinkleyTest, DescribeNamesOnlyNonDefaultParams) {
  EXPECT_EQ(build_detector("page_hinkley")->describe(), "page_hinkley");
  EXPECT_EQ(build_detector("page_hinkley(alpha=0.9999, mode=both, threshold=50)")->describe(),
            "page_hinkley");
  EXPECT_EQ(build_detector("page_hinkley(mode=up)")->describe(), "page_hinkley(mode=up)");
  EXPECT_EQ(
      build_detector("page_hinkley(mode=down, alpha=0.99, min_instances=5, delta=0, threshold=7.5)")
          ->describe(),
      "page_hinkley(min_instances=5, delta=0, threshold=7.5, alpha=0.99, mode=down)");
}

TEST(PageHinkleyTest, FactoryRejectsInvalidParamsAllAtOnce) {
  auto bad = DriftDetectorRegistry::builtin().build(
      "page_hinkley(min_instances=0, delta=-0.1, threshold=0, alpha=1.5, mode=sideways)");
  ASSERT_FALSE(bad.is_ok());
  const std::string message = bad.status().message();
  for (std::string_view expected :
       {"min_instances: must be an integer >= 1", "delta: must be >= 0", "threshold: must be > 0",
        "alpha: must be in (0, 1]", "mode: must be up, down or both; got 'sideways'"})
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  EXPECT_FALSE(DriftDetectorRegistry::builtin().build("page_hinkley(alpha=0)").is_ok());
  EXPECT_FALSE(DriftDetectorRegistry::builtin().build("page_hinkley(mode=UP)").is_ok());
}

}  // namespace
}  // namespace streamlearn::monitors
