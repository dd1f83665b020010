#include "monitors/drift/python_random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace streamlearn::monitors {
namespace {

using Values = std::vector<std::uint64_t>;

Values sample(PythonRandom& rng, std::uint64_t n, std::uint64_t k) {
  Values out;
  rng.sample_range(n, k, out);
  return out;
}

TEST(PythonRandomTest, UsageExampleDrawsLikeCPython) {
  // random.Random(42).sample(range(70), 30), as KSWIN draws its 30 of 70 older positions.
  PythonRandom rng(42);
  std::vector<std::uint64_t> positions;
  rng.sample_range(70, 30, positions);
  EXPECT_EQ(positions.front(), 14u);
  EXPECT_EQ(positions.back(), 65u);
}

TEST(PythonRandomTest, ReproducesTheKswinProbeOfRiverDriftReference) {
  // shared/reference/river_drift.json, "kswin_rng_probe_seed42_sample_range70_k30": the first
  // three draws of random.Random(42).sample(range(70), 30) under CPython.
  const std::vector<Values> expected = {
      {14, 3,  35, 31, 28, 17, 13, 43, 47, 57, 34, 5,  37, 27, 2,
       1,  58, 63, 69, 32, 38, 54, 67, 12, 45, 41, 59, 26, 51, 65},
      {35, 0,  20, 54, 43, 69, 19, 13, 61, 48, 21, 6,  5,  24, 58,
       22, 66, 38, 16, 2,  46, 29, 34, 7,  56, 57, 64, 18, 40, 39},
      {46, 24, 8,  5,  29, 37, 10, 54, 14, 55, 6,  68, 17, 65, 40,
       53, 23, 63, 62, 22, 13, 42, 57, 44, 43, 41, 4,  38, 60, 52}};
  PythonRandom rng(42);
  for (const Values& draw : expected) EXPECT_EQ(sample(rng, 70, 30), draw);
}

TEST(PythonRandomTest, GetrandbitsMatchesCPythonForSmallLargeAndNegativeSeeds) {
  // Values printed by CPython 3.11: random.Random(seed).getrandbits(32).
  PythonRandom seed42(42);
  EXPECT_EQ(seed42.getrandbits(32), 2746317213u);
  EXPECT_EQ(seed42.getrandbits(32), 478163327u);
  EXPECT_EQ(seed42.getrandbits(32), 107420369u);
  PythonRandom seed0(0);
  EXPECT_EQ(seed0.getrandbits(32), 3626764237u);
  EXPECT_EQ(seed0.getrandbits(32), 1654615998u);
  // A seed over 32 bits is keyed by two words; Python seeds with abs(seed).
  const std::int64_t big = (std::int64_t{1} << 40) + 5;
  PythonRandom positive(big);
  PythonRandom negative(-big);
  EXPECT_EQ(positive.getrandbits(32), 2166296868u);
  EXPECT_EQ(positive.getrandbits(32), 2220160828u);
  EXPECT_EQ(negative.getrandbits(32), 2166296868u);
  PythonRandom largest(INT64_MAX);
  EXPECT_EQ(largest.getrandbits(32), 1359979423u);
}

TEST(PythonRandomTest, WideAndNarrowGetrandbitsMatchCPython) {
  // random.Random(123): getrandbits(64), (40), (7), (33) in that order.
  PythonRandom rng(123);
  EXPECT_EQ(rng.getrandbits(64), 4937772249435845478u);
  EXPECT_EQ(rng.getrandbits(40), 842188053934u);
  EXPECT_EQ(rng.getrandbits(7), 52u);
  EXPECT_EQ(rng.getrandbits(33), 1144839923u);
}

TEST(PythonRandomTest, RandbelowMatchesCPythonRandrange) {
  // random.Random(3): [randrange(n) for n in (1, 2, 3, 10, 100, 1000, 2**31 + 1, 2**62 + 3)].
  PythonRandom rng(3);
  const Values bounds = {1, 2, 3, 10, 100, 1000, (1ULL << 31) + 1, (1ULL << 62) + 3};
  const Values expected = {0, 0, 1, 9, 60, 640, 281444313, 121453233826206269ULL};
  for (std::size_t i = 0; i < bounds.size(); ++i) EXPECT_EQ(rng.randbelow(bounds[i]), expected[i]);
}

TEST(PythonRandomTest, SetMethodMatchesCPythonForLargePopulations) {
  // random.Random(7).sample(range(1000), 10): 1000 > 21 + 4^ceil(log4(30)) = 85, so the set
  // method, which redraws repeated positions.
  ASSERT_FALSE(PythonRandom::sample_uses_pool(1000, 10));
  PythonRandom rng(7);
  EXPECT_EQ(sample(rng, 1000, 10), (Values{331, 970, 154, 404, 666, 49, 74, 840, 548, 96}));
  PythonRandom again(7);
  const Values hundred = sample(again, 1000000, 100);
  EXPECT_EQ(Values(hundred.begin(), hundred.begin() + 10),
            (Values{339563, 993908, 158176, 414002, 682554, 50631, 75954, 861168, 561913, 98702}));
  Values sorted = hundred;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
}

TEST(PythonRandomTest, ChoosesThePoolMethodExactlyWhereCPythonDoes) {
  // setsize = 21, plus 4^ceil(log4(3k)) when k > 5; the pool method runs when n <= setsize.
  EXPECT_TRUE(PythonRandom::sample_uses_pool(21, 5));
  EXPECT_FALSE(PythonRandom::sample_uses_pool(22, 5));
  EXPECT_TRUE(PythonRandom::sample_uses_pool(85, 6));  // 21 + 4^3
  EXPECT_FALSE(PythonRandom::sample_uses_pool(86, 6));
  EXPECT_TRUE(PythonRandom::sample_uses_pool(277, 30));  // 21 + 4^4
  EXPECT_FALSE(PythonRandom::sample_uses_pool(278, 30));
  // random.Random(11): sample(range(21), 5) by the pool, then sample(range(22), 5) by the set.
  PythonRandom rng(11);
  EXPECT_EQ(sample(rng, 21, 5), (Values{14, 17, 20, 18, 16}));
  EXPECT_EQ(sample(rng, 22, 5), (Values{18, 6, 5, 16, 15}));
}

TEST(PythonRandomTest, EmptySampleDrawsNothing) {
  PythonRandom rng(99);
  EXPECT_TRUE(sample(rng, 5, 0).empty());
  EXPECT_EQ(rng.getrandbits(32), 1735072617u);  // The first output of random.Random(99).
}

TEST(PythonRandomTest, SaveThenLoadContinuesTheSameSequence) {
  PythonRandom rng(2024);
  for (int i = 0; i < 1000; ++i) rng.next_uint32();  // Mid-block: the index matters too.
  core::StateWriter writer;
  rng.save(writer);
  PythonRandom restored(1);
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored.load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(restored.next_uint32(), rng.next_uint32()) << i;
  EXPECT_EQ(sample(restored, 70, 30), sample(rng, 70, 30));
}

TEST(PythonRandomTest, LoadRejectsTruncatedState) {
  PythonRandom rng(5);
  core::StateWriter writer;
  rng.save(writer);
  PythonRandom restored(5);
  core::StateReader reader(std::string_view(writer.bytes()).substr(0, 100));
  EXPECT_FALSE(restored.load(reader).is_ok());
}

}  // namespace
}  // namespace streamlearn::monitors
