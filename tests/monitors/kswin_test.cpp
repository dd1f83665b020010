#include "monitors/drift/kswin.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "monitors/drift/drift_detector_registry.h"
#include "monitors/drift/python_random.h"
#include "tests/monitors/drift_test_streams.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

using testing::drift_indices;

// Uniform noise whose level rises by 0.5 at index 1000; the same stream is easy to rebuild in
// Python (SplitMix64), where River's KSWIN with SciPy gave the golden indices below.
std::vector<double> shifted_uniform_stream(std::uint64_t seed, std::size_t length) {
  SplitMix64 rng(seed);
  std::vector<double> values;
  for (std::size_t i = 0; i < length; ++i)
    values.push_back(rng.uniform() + (i >= 1000 ? 0.5 : 0.0));
  return values;
}

// CPython's random.random(): 53 bits from two 32-bit outputs.
double python_random_float(PythonRandom& rng) {
  const double high = rng.next_uint32() >> 5;
  const double low = rng.next_uint32() >> 6;
  return (high * 67108864.0 + low) * (1.0 / 9007199254740992.0);
}

// CPython's rng.choices(population, k=k) without weights: population[floor(random() * n)].
void python_choices(PythonRandom& rng, const std::vector<double>& population, int k,
                    std::vector<double>& out) {
  const double n = static_cast<double>(population.size());
  for (int i = 0; i < k; ++i)
    out.push_back(population[static_cast<std::size_t>(std::floor(python_random_float(rng) * n))]);
}

TEST(KswinTest, UsageExampleFlagsRiversDocumentedChange) {
  // River's KSWIN docstring: rng = random.Random(12345); a stream of rng.choices([0, 1], k=1000)
  // then rng.choices(range(4, 8), k=1000); KSWIN(alpha=0.0001, seed=42) reports index 1016 only.
  PythonRandom rng(12345);
  std::vector<double> stream;
  python_choices(rng, {0, 1}, 1000, stream);
  python_choices(rng, {4, 5, 6, 7}, 1000, stream);
  Kswin detector(Kswin::Params{.alpha = 0.0001, .seed = 42});
  std::vector<std::size_t> changes;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    detector.update(stream[i]);
    if (detector.drift_detected()) changes.push_back(i);
  }
  EXPECT_EQ(changes, std::vector<std::size_t>{1016});
}

TEST(KswinTest, FlagsExactlyRiversIndicesOnASeededMeanShift) {
  const auto values = shifted_uniform_stream(7, 3000);
  Kswin defaults(Kswin::Params{});
  EXPECT_EQ(drift_indices(defaults, values),
            (std::vector<std::size_t>{117, 979, 1083, 2185, 2584}));
  Kswin custom(Kswin::Params{.alpha = 0.01, .window_size = 200, .stat_size = 50, .seed = 3});
  EXPECT_EQ(drift_indices(custom, values),
            (std::vector<std::size_t>{1020, 1461, 1664, 1986, 2432}));
}

TEST(KswinTest, TestsOnlyOnceTheWindowIsFullAndReportsScipysPValue) {
  const auto values = shifted_uniform_stream(7, 200);
  Kswin detector(Kswin::Params{});
  for (std::size_t i = 0; i < 99; ++i) {
    detector.update(values[i]);
    EXPECT_EQ(detector.p_value(), 0.0);
    EXPECT_FALSE(detector.drift_detected());
  }
  // River's p_value after the 100th, 101st and 117th update (SciPy's exact 30-vs-30 values).
  detector.update(values[99]);
  EXPECT_EQ(detector.p_value(), 0.9578462903438838);
  detector.update(values[100]);
  EXPECT_EQ(detector.p_value(), 0.9988393756362763);
  for (std::size_t i = 101; i <= 116; ++i) detector.update(values[i]);
  EXPECT_EQ(detector.p_value(), 0.13500350250095441);
  EXPECT_EQ(detector.window().size(), 100u);
}

TEST(KswinTest, DriftRestartsTheWindowAndTheGenerator) {
  const auto values = shifted_uniform_stream(7, 3000);
  Kswin detector(Kswin::Params{});
  std::size_t first_drift = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    detector.update(values[i]);
    if (detector.drift_detected()) {
      first_drift = i;
      break;
    }
  }
  ASSERT_EQ(first_drift, 117u);
  EXPECT_LE(detector.p_value(), 0.005);
  EXPECT_GT(detector.statistic(), 0.1);
  EXPECT_EQ(detector.window().size(), 30u);  // River keeps the most recent stat_size values.
  detector.update(values[first_drift + 1]);
  EXPECT_EQ(detector.window().size(), 1u);
  EXPECT_EQ(detector.num_samples(), 1);
  // From here on it behaves as a fresh detector fed the rest of the stream: same generator draws.
  Kswin fresh(Kswin::Params{});
  fresh.update(values[first_drift + 1]);
  for (std::size_t i = first_drift + 2; i < values.size(); ++i) {
    detector.update(values[i]);
    fresh.update(values[i]);
    ASSERT_EQ(detector.drift_detected(), fresh.drift_detected()) << i;
    ASSERT_EQ(detector.p_value(), fresh.p_value()) << i;
  }
}

TEST(KswinTest, SaveThenLoadGivesIdenticalFlagsAndPValues) {
  const auto values = shifted_uniform_stream(11, 3000);
  // While filling, at the first full window, around the shift and at the end.
  for (std::size_t split : {50u, 100u, 1001u, 1500u, 2999u}) {
    Kswin detector(Kswin::Params{.seed = 5});
    for (std::size_t i = 0; i < split; ++i) detector.update(values[i]);
    core::StateWriter writer;
    detector.save(writer);
    Kswin restored(Kswin::Params{.seed = 5});
    core::StateReader reader(writer.bytes());
    ASSERT_TRUE(restored.load(reader).is_ok()) << split;
    EXPECT_TRUE(reader.at_end());
    EXPECT_EQ(restored.drift_detected(), detector.drift_detected());
    EXPECT_EQ(restored.window(), detector.window());
    for (std::size_t i = split; i < values.size(); ++i) {
      detector.update(values[i]);
      restored.update(values[i]);
      ASSERT_EQ(restored.drift_detected(), detector.drift_detected()) << split << " " << i;
      ASSERT_EQ(restored.p_value(), detector.p_value()) << split << " " << i;
    }
  }
}

TEST(KswinTest, SaveRightAfterADriftKeepsThePendingReset) {
  const auto values = shifted_uniform_stream(7, 1500);
  Kswin detector(Kswin::Params{});
  for (std::size_t i = 0; i <= 117; ++i) detector.update(values[i]);
  ASSERT_TRUE(detector.drift_detected());
  core::StateWriter writer;
  detector.save(writer);
  Kswin restored(Kswin::Params{});
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored.load(reader).is_ok());
  EXPECT_TRUE(restored.drift_detected());
  EXPECT_EQ(drift_indices(restored, values, 118), drift_indices(detector, values, 118));
}

TEST(KswinTest, LoadRejectsStateOfOtherParamsOrTruncated) {
  Kswin detector(Kswin::Params{.window_size = 120});
  for (int i = 0; i < 130; ++i) detector.update(i % 7);
  core::StateWriter writer;
  detector.save(writer);
  Kswin other(Kswin::Params{});
  core::StateReader reader(writer.bytes());
  const core::Status status = other.load(reader);
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("kswin(window_size=120)"), std::string::npos) << status.message();
  Kswin same(Kswin::Params{.window_size = 120});
  core::StateReader truncated(
      std::string_view(writer.bytes()).substr(0, writer.bytes().size() - 3));
  EXPECT_FALSE(same.load(truncated).is_ok());
}

TEST(KswinTest, DescribeListsOnlyNonDefaultParams) {
  EXPECT_EQ(Kswin(Kswin::Params{}).describe(), "kswin");
  EXPECT_EQ(Kswin(Kswin::Params{.alpha = 0.01, .seed = 7}).describe(), "kswin(alpha=0.01, seed=7)");
  EXPECT_EQ(Kswin(Kswin::Params{.window_size = 200, .stat_size = 50}).describe(),
            "kswin(window_size=200, stat_size=50)");
  auto built = DriftDetectorRegistry::builtin().build("kswin(seed=42)");
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  EXPECT_EQ((*built)->describe(), "kswin");  // 42 is the default seed.
  auto rebuilt =
      DriftDetectorRegistry::builtin().build("kswin(alpha=0.002, window_size=90, seed=-3)");
  ASSERT_TRUE(rebuilt.is_ok()) << rebuilt.status().message();
  EXPECT_EQ((*rebuilt)->describe(), "kswin(alpha=0.002, window_size=90, seed=-3)");
}

TEST(KswinTest, RegistryRejectsParamsRiverCannotRun) {
  const auto& registry = DriftDetectorRegistry::builtin();
  const auto too_large = registry.build("kswin(stat_size=60)");
  ASSERT_FALSE(too_large.is_ok());
  EXPECT_NE(too_large.status().message().find("window_size"), std::string::npos);
  const auto bad_alpha = registry.build("kswin(alpha=1.5)");
  ASSERT_FALSE(bad_alpha.is_ok());
  EXPECT_NE(bad_alpha.status().message().find("alpha"), std::string::npos);
  EXPECT_FALSE(registry.build("kswin(stat_size=0)").is_ok());
  EXPECT_FALSE(registry.build("kswin(window=3)").is_ok());
}

TEST(KswinTest, NanAmongTheRecentValuesNeverSignalsDrift) {
  // SciPy propagates NaN to the p-value, and NaN <= alpha is false: no drift while the NaN is
  // among the 30 most recent values, though the level jumped from 0 to 10.
  Kswin detector(Kswin::Params{});
  for (int i = 0; i < 180; ++i) {
    detector.update(i == 150 ? NAN : (i < 150 ? 0.0 : 10.0));
    if (i >= 150) {
      EXPECT_FALSE(detector.drift_detected()) << i;
    }
  }
  EXPECT_TRUE(std::isnan(detector.p_value()));
}

}  // namespace
}  // namespace streamlearn::monitors
