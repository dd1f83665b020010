#include "monitors/drift/kolmogorov_distribution.h"

#include <gtest/gtest.h>

#include <cmath>

namespace streamlearn::monitors {
namespace {

// Relative agreement with SciPy: its matrix products and convolutions sum in BLAS order, so the
// last few bits of a CDF near 1 (and so of a small survival value) may differ.
void expect_close(double actual, double expected, double relative = 1e-12) {
  EXPECT_NEAR(actual, expected, relative * std::abs(expected) + 1e-300) << expected;
}

TEST(KolmogorovDistributionTest, UsageExampleGivesTheSurvivalOfTheStatistic) {
  // scipy.stats.kstwo.sf(0.2, 15): P(D_15 > 0.2).
  expect_close(KolmogorovDistribution::survival(15, 0.2), 0.5220497790075043);
  expect_close(KolmogorovDistribution::cdf(15, 0.2), 0.4779502209924958);
}

TEST(KolmogorovDistributionTest, MatchesScipyKstwoInEveryBranch) {
  struct Case {
    double n, x, sf, cdf;
  };
  // scipy.stats.kstwo (SciPy 1.10.1): exact Smirnov tail (x >= 0.5), Durbin matrix, Pomeranz,
  // Miller's approximation, Pelz-Good, and the large-n Smirnov tail.
  const Case cases[] = {
      {1, 0.75, 0.5, 0.5},
      {2, 0.6, 0.32000000000000006, 0.6799999999999999},
      {15, 0.45, 0.0027251604512894545, 0.9972748395487105},
      {100, 0.05, 0.9532159710635725, 0.0467840289364275},
      {100, 0.2, 0.0005551927327988775, 0.9994448072672011},
      {140, 0.15, 0.0032495604415101703, 0.9967504395584899},
      {5000, 0.02, 0.03613941395325637, 0.9638605860467436},
      {5000, 0.002, 1.0, 1.9476499110975202e-25},
      {20000, 0.005, 0.6974088406327613, 0.3025911593672387},
      {20000, 0.012, 0.006251252284121751, 0.993748747893204},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << "n=" << c.n << " x=" << c.x);
    expect_close(KolmogorovDistribution::survival(c.n, c.x), c.sf);
    expect_close(KolmogorovDistribution::cdf(c.n, c.x), c.cdf);
  }
}

TEST(KolmogorovDistributionTest, OneSampleOfOneHasAClosedForm) {
  // D_1 = max(U, 1 - U): P(D_1 > x) = 2 (1 - x) on [1/2, 1].
  for (double x : {0.5, 0.6, 0.75, 0.9})
    EXPECT_NEAR(KolmogorovDistribution::survival(1, x), 2 * (1 - x), 1e-15);
}

TEST(KolmogorovDistributionTest, RubenGambinoEndsAreExact) {
  // For 1/(2n) < x <= 1/n, P(D_n <= x) = n! / n^n (2nx - 1)^n.
  const double n = 10;
  const double x = 0.08;
  double cdf = 1.0;
  for (int i = 1; i <= 10; ++i) cdf *= i / n * (2 * n * x - 1);
  EXPECT_NEAR(KolmogorovDistribution::cdf(n, x), cdf, 1e-16);
  // For x >= 1 - 1/n, P(D_n > x) = 2 (1 - x)^n.
  EXPECT_NEAR(KolmogorovDistribution::survival(n, 0.95), 2 * std::pow(0.05, 10), 1e-25);
}

TEST(KolmogorovDistributionTest, SupportEndsAndBadArguments) {
  EXPECT_EQ(KolmogorovDistribution::survival(15, 0.5 / 15), 1.0);
  EXPECT_EQ(KolmogorovDistribution::survival(15, 1.0), 0.0);
  EXPECT_EQ(KolmogorovDistribution::cdf(15, 0.0), 0.0);
  EXPECT_TRUE(std::isnan(KolmogorovDistribution::survival(0, 0.3)));
  EXPECT_TRUE(std::isnan(KolmogorovDistribution::survival(15, NAN)));
}

TEST(KolmogorovDistributionTest, SmirnovMatchesScipySpecial) {
  // scipy.special.smirnov(n, x), evaluated by SciPy in double-double arithmetic.
  expect_close(KolmogorovDistribution::smirnov_survival(1, 0.3), 0.7, 1e-15);
  expect_close(KolmogorovDistribution::smirnov_survival(10, 0.1), 0.7642052309, 1e-14);
  expect_close(KolmogorovDistribution::smirnov_survival(10, 0.5), 0.003888705, 1e-14);
  expect_close(KolmogorovDistribution::smirnov_survival(100, 0.1), 0.1265906584562817, 1e-14);
  expect_close(KolmogorovDistribution::smirnov_survival(5000, 0.02), 0.01806981293722266, 1e-14);
  expect_close(KolmogorovDistribution::smirnov_survival(200000, 0.003), 0.027269042228380603,
               1e-14);
}

}  // namespace
}  // namespace streamlearn::monitors
