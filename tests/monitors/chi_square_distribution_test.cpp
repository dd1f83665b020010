#include "monitors/data_drift/chi_square_distribution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

namespace streamlearn::monitors {
namespace {

void expect_relative(double actual, double expected, double relative = 1e-12) {
  EXPECT_NEAR(actual, expected, relative * std::abs(expected)) << "expected " << expected;
}

// Q(m, y) for integral m: the Poisson tail e^-y sum_{j < m} y^j / j!, all terms positive. In long
// double, whose range keeps e^-y normal for every y used here.
double even_survival(int degrees_of_freedom, double x) {
  const long double y = x / 2.0L;
  long double term = std::exp(-y);
  long double sum = term;
  for (int j = 1; j < degrees_of_freedom / 2; ++j) {
    term *= y / j;
    sum += term;
  }
  return static_cast<double>(sum);
}

// Q(m + 1/2, y) = erfc(sqrt(y)) + e^-y sum_{j = 1..m} y^(j - 1/2) / Gamma(j + 1/2).
double odd_survival(int degrees_of_freedom, double x) {
  const long double y = x / 2.0L;
  long double term = std::exp(-y) * 2.0L * std::sqrt(y / std::numbers::pi_v<long double>);
  long double sum = std::erfc(std::sqrt(y));
  for (int j = 1; j <= degrees_of_freedom / 2; ++j) {
    sum += term;
    term *= y / (j + 0.5L);
  }
  return static_cast<double>(sum);
}

TEST(ChiSquareDistributionTest, UsageExampleGivesThePValueOfAStatistic) {
  expect_relative(ChiSquareDistribution::survival(2, 28.0), std::exp(-14.0));
}

TEST(ChiSquareDistributionTest, TwoDegreesOfFreedomIsExponential) {
  for (double x : {1e-8, 0.01, 0.5, 1.0, 1.9, 2.0, 2.1, 3.0, 10.0, 28.0, 100.0, 700.0, 1400.0})
    expect_relative(ChiSquareDistribution::survival(2, x), std::exp(-x / 2.0));
}

TEST(ChiSquareDistributionTest, OneDegreeOfFreedomIsErfc) {
  for (double x :
       {1e-10, 1e-4, 0.3, 1.0, 2.9, 3.0, 3.1, 3.841458820694124, 10.0, 50.0, 200.0, 1000.0})
    expect_relative(ChiSquareDistribution::survival(1, x), std::erfc(std::sqrt(x / 2.0)));
}

TEST(ChiSquareDistributionTest, EvenDegreesOfFreedomMatchThePoissonSum) {
  for (int k : {4, 6, 10, 20, 50, 100, 200, 1000}) {
    // Around the mean k (sd sqrt(2k)), in both tails, and on both sides of the series switch.
    const double spread = std::sqrt(2.0 * k);
    for (double x : {0.1 * k, k - 3 * spread, k - spread, k + 0.0, k + 2.0, k + 2.5, k + spread,
                     k + 5 * spread, k + 12 * spread}) {
      if (x <= 0) continue;
      SCOPED_TRACE(testing::Message() << "k=" << k << " x=" << x);
      expect_relative(ChiSquareDistribution::survival(k, x), even_survival(k, x));
    }
  }
}

TEST(ChiSquareDistributionTest, OddDegreesOfFreedomMatchErfcPlusAFiniteSum) {
  for (int k : {3, 5, 7, 11, 21, 51, 99, 201}) {
    const double spread = std::sqrt(2.0 * k);
    for (double x : {0.1 * k, k - 3 * spread, k - spread, k + 0.0, k + 2.0, k + 2.5, k + spread,
                     k + 5 * spread, k + 12 * spread}) {
      if (x <= 0) continue;
      SCOPED_TRACE(testing::Message() << "k=" << k << " x=" << x);
      expect_relative(ChiSquareDistribution::survival(k, x), odd_survival(k, x));
    }
  }
}

TEST(ChiSquareDistributionTest, MatchesTableCriticalValues) {
  // Critical values of chi-square tables, chi2.ppf(1 - alpha, k), to 16 digits.
  expect_relative(ChiSquareDistribution::survival(1, 3.841458820694124), 0.05, 1e-9);
  expect_relative(ChiSquareDistribution::survival(2, 5.991464547107979), 0.05, 1e-9);
  expect_relative(ChiSquareDistribution::survival(5, 15.08627246938899), 0.01, 1e-9);
  expect_relative(ChiSquareDistribution::survival(10, 18.307038053275146), 0.05, 1e-9);
}

TEST(ChiSquareDistributionTest, NonIntegralDegreesOfFreedomFollowTheGammaRecurrence) {
  // Q(a + 1, y) = Q(a, y) + y^a e^-y / Gamma(a + 1), so sf(k + 2, x) - sf(k, x) is closed form.
  for (double k : {0.3, 1.7, 2.7, 7.5, 33.3}) {
    for (double x : {0.2, 1.0, 3.0, k, k + 4.0, 3 * k + 10.0}) {
      SCOPED_TRACE(testing::Message() << "k=" << k << " x=" << x);
      const double a = k / 2.0;
      const double y = x / 2.0;
      const double step = std::exp(a * std::log(y) - y - std::lgamma(a + 1.0));
      expect_relative(ChiSquareDistribution::survival(k + 2.0, x),
                      ChiSquareDistribution::survival(k, x) + step, 1e-12);
    }
  }
}

TEST(ChiSquareDistributionTest, CdfAndSurvivalAddUpToOne) {
  for (double k : {1.0, 2.0, 3.0, 9.0, 40.0})
    for (double x : {0.05, 0.9, 4.0, 12.0, 60.0})
      EXPECT_NEAR(ChiSquareDistribution::cdf(k, x) + ChiSquareDistribution::survival(k, x), 1.0,
                  4e-16);
  // A small CDF is computed directly, not as 1 - survival.
  expect_relative(ChiSquareDistribution::cdf(2, 1e-6), -std::expm1(-0.5e-6));
}

TEST(ChiSquareDistributionTest, HandlesTheEdgesOfTheDomain) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ChiSquareDistribution::survival(3, 0.0), 1.0);
  EXPECT_EQ(ChiSquareDistribution::survival(3, -1.0), 1.0);
  EXPECT_EQ(ChiSquareDistribution::survival(3, inf), 0.0);
  EXPECT_EQ(ChiSquareDistribution::cdf(3, 0.0), 0.0);
  EXPECT_EQ(ChiSquareDistribution::cdf(3, inf), 1.0);
  EXPECT_TRUE(std::isnan(ChiSquareDistribution::survival(3, nan)));
  EXPECT_TRUE(std::isnan(ChiSquareDistribution::survival(0, 1.0)));
  EXPECT_TRUE(std::isnan(ChiSquareDistribution::survival(-2, 1.0)));
  EXPECT_TRUE(std::isnan(ChiSquareDistribution::survival(nan, 1.0)));
  EXPECT_TRUE(std::isnan(ChiSquareDistribution::cdf(0, 1.0)));
  // Far in the upper tail the survival underflows to 0 rather than going negative or NaN.
  EXPECT_EQ(ChiSquareDistribution::survival(4, 1e6), 0.0);
}

}  // namespace
}  // namespace streamlearn::monitors
