#include "monitors/metrics/roc_auc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

namespace streamlearn::monitors {
namespace {

using Scored = std::vector<std::pair<core::ClassId, double>>;  // (y_true, p_positive)

// Mann-Whitney AUC of `score(p)`: the fraction of (positive, negative) pairs ranked right, ties
// counting one half. With score = p it is the exact AUC.
template <typename Score>
double mann_whitney_auc(const Scored& events, const Score& score) {
  double right = 0.0, pairs = 0.0;
  for (const auto& [y_positive, p_positive] : events) {
    if (y_positive != 1) continue;
    for (const auto& [y_negative, p_negative] : events) {
      if (y_negative == 1) continue;
      const double a = score(p_positive), b = score(p_negative);
      right += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
      pairs += 1.0;
    }
  }
  return right / pairs;
}

Scored seeded_events(std::uint64_t seed, int n, double separation) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Scored events;
  for (int i = 0; i < n; ++i) {
    const core::ClassId y = uniform(rng) < 0.45 ? 1 : 0;
    const double p =
        std::clamp(uniform(rng) * (1 - separation) + (y == 1 ? separation : 0.0), 0.0, 1.0);
    events.emplace_back(y, p);
  }
  return events;
}

RocAuc fitted(const Scored& events, RocAuc::Params params = {}) {
  RocAuc auc(params);
  for (const auto& [y, p] : events) auc.update(y, p);
  return auc;
}

TEST(RocAucTest, MatchesRiverExampleWhichIsNotTheExactAuc) {
  // River's ROCAUC docstring: 87.50% with the default 10 thresholds, 75.00% (the exact AUC)
  // with 20.
  const Scored events = {{0, 0.1}, {0, 0.4}, {1, 0.35}, {1, 0.8}};
  EXPECT_DOUBLE_EQ(fitted(events).get(), 0.875);
  EXPECT_DOUBLE_EQ(fitted(events, {.n_thresholds = 20}).get(), 0.75);
  EXPECT_DOUBLE_EQ(mann_whitney_auc(events, [](double p) { return p; }), 0.75);
}

TEST(RocAucTest, EqualsMannWhitneyAucOfScoresBinnedAtTheThresholds) {
  const Scored events = seeded_events(61, 1500, 0.3);
  const RocAuc auc = fitted(events);
  const std::vector<double>& thresholds = auc.thresholds();
  const auto bin = [&thresholds](double p) {
    int above = 0;
    for (double t : thresholds) above += p > t;
    return static_cast<double>(above);
  };
  EXPECT_NEAR(auc.get(), mann_whitney_auc(events, bin), 1e-12);
}

TEST(RocAucTest, EqualsExactAucWhenEachBinHoldsOneDistinctScore) {
  std::mt19937_64 rng(62);
  std::uniform_int_distribution<int> bin(0, 8);
  std::bernoulli_distribution coin(0.5);
  Scored events;
  for (int i = 0; i < 1000; ++i) {
    const int b = bin(rng);
    const core::ClassId y = coin(rng) || b > 6 ? 1 : 0;
    events.emplace_back(y, (b + 0.5) / 9.0);  // the middle of bin b of the 10 default thresholds
  }
  EXPECT_NEAR(fitted(events).get(), mann_whitney_auc(events, [](double p) { return p; }), 1e-12);
}

TEST(RocAucTest, ErrorAgainstExactAucIsBoundedByPairsSharingABin) {
  const Scored events = seeded_events(63, 2000, 0.2);
  const RocAuc auc = fitted(events);
  std::vector<double> positives(10, 0.0), negatives(10, 0.0);
  double num_positives = 0.0, num_negatives = 0.0;
  for (const auto& [y, p] : events) {
    int above = 0;
    for (double t : auc.thresholds()) above += p > t;
    (y == 1 ? positives : negatives)[above] += 1.0;
    (y == 1 ? num_positives : num_negatives) += 1.0;
  }
  double same_bin_pairs = 0.0;
  for (int b = 0; b < 10; ++b) same_bin_pairs += positives[b] * negatives[b];
  const double bound = 0.5 * same_bin_pairs / (num_positives * num_negatives);
  const double exact = mann_whitney_auc(events, [](double p) { return p; });
  EXPECT_LE(std::abs(auc.get() - exact), bound + 1e-12);
  EXPECT_GT(std::abs(auc.get() - exact), 0.0);  // it is an approximation
}

TEST(RocAucTest, NoEventsOrOneClassGivePositiveZeroAsRiver) {
  RocAuc empty;
  EXPECT_EQ(empty.get(), 0.0);
  EXPECT_FALSE(std::signbit(empty.get()));
  EXPECT_EQ(fitted({{1, 0.2}, {1, 0.9}, {1, 0.5}}).get(), 0.0);
  EXPECT_EQ(fitted({{0, 0.2}, {0, 0.9}}).get(), 0.0);
  EXPECT_EQ(fitted({{2, 0.2}, {0, 0.9}}).get(), 0.0);  // class 2 is a negative
}

TEST(RocAucTest, PerfectAndReversedRankingsGiveOneAndZero) {
  EXPECT_DOUBLE_EQ(fitted({{0, 0.05}, {0, 0.3}, {1, 0.7}, {1, 1.0}}).get(), 1.0);
  EXPECT_DOUBLE_EQ(fitted({{1, 0.05}, {1, 0.3}, {0, 0.7}, {0, 1.0}}).get(), 0.0);
}

TEST(RocAucTest, RevertUndoesUpdateExactly) {
  const Scored events = seeded_events(64, 300, 0.1);
  RocAuc auc = fitted(events);
  const double before = auc.get();
  auc.update(1, 0.42);
  auc.update(0, 0.0);
  auc.revert(1, 0.42);
  auc.revert(0, 0.0);
  EXPECT_EQ(auc.get(), before);
  EXPECT_EQ(auc.count(), 300u);
}

TEST(RocAucTest, MergeEqualsOneAucOverBothStreams) {
  const Scored events = seeded_events(65, 400, 0.25);
  const Scored first(events.begin(), events.begin() + 150);
  const Scored second(events.begin() + 150, events.end());
  RocAuc merged = fitted(first);
  merged.merge(fitted(second));
  EXPECT_EQ(merged.get(), fitted(events).get());
}

TEST(RocAucTest, SaveLoadRoundTripsAndRejectsOtherThresholdCounts) {
  const RocAuc auc = fitted(seeded_events(66, 100, 0.3));
  core::StateWriter out;
  auc.save(out);
  RocAuc loaded;
  core::StateReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in).is_ok());
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(loaded.get(), auc.get());

  RocAuc finer({.n_thresholds = 20});
  core::StateReader other_in(out.bytes());
  const core::Status status = finer.load(other_in);
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("10 thresholds"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace streamlearn::monitors
