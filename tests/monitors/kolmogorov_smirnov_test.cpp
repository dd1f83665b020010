#include "monitors/drift/kolmogorov_smirnov.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <vector>

namespace streamlearn::monitors {
namespace {

using Method = KolmogorovSmirnov::Method;

KolmogorovSmirnov::Result test(std::vector<double> a, std::vector<double> b,
                               Method method = Method::kAuto) {
  return KolmogorovSmirnov::two_sample(a, b, method);
}

// The oracle: enumerate every lattice path from (0, 0) to (n, m) (each path is one equally likely
// interleaving of the pooled ranks under the null hypothesis) and count those that reach
// |i/n - j/m| >= h / lcm(n, m) somewhere, in integers: |i (lcm/n) - j (lcm/m)| >= h.
double brute_force_p_value(std::int64_t n, std::int64_t m, std::int64_t h) {
  const std::int64_t lcm = std::lcm(n, m);
  const auto outside = [&](std::int64_t i, std::int64_t j) {
    return std::llabs(i * (lcm / n) - j * (lcm / m)) >= h;
  };
  // inside[i][j]: paths to (i, j) that have stayed strictly inside so far.
  std::vector<std::vector<std::uint64_t>> inside(n + 1, std::vector<std::uint64_t>(m + 1, 0));
  for (std::int64_t i = 0; i <= n; ++i) {
    for (std::int64_t j = 0; j <= m; ++j) {
      if (outside(i, j)) continue;
      if (i == 0 && j == 0) {
        inside[0][0] = 1;
        continue;
      }
      inside[i][j] = (i > 0 ? inside[i - 1][j] : 0) + (j > 0 ? inside[i][j - 1] : 0);
    }
  }
  std::uint64_t total = 1;  // C(n + m, n), exact for the sizes used here.
  for (std::int64_t k = 1; k <= n; ++k) total = total * static_cast<std::uint64_t>(m + k) / k;
  return 1.0 - static_cast<double>(inside[n][m]) / static_cast<double>(total);
}

TEST(KolmogorovSmirnovTest, UsageExampleComparesTwoSamples) {
  std::vector<double> older = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::vector<double> recent = {4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5};
  const KolmogorovSmirnov::Result result = KolmogorovSmirnov::two_sample(older, recent);
  // scipy.stats.ks_2samp(older, recent) with SciPy 1.10.1.
  EXPECT_EQ(result.statistic, 0.4);
  EXPECT_EQ(result.p_value, 0.41752365281777043);
  EXPECT_TRUE(result.exact);
}

TEST(KolmogorovSmirnovTest, ExactPValueEqualsBruteForceLatticePathCount) {
  for (std::int64_t n = 1; n <= 12; ++n) {
    for (std::int64_t m = 1; m <= 12; ++m) {
      const std::int64_t lcm = std::lcm(n, m);
      for (std::int64_t h = 1; h <= lcm; ++h) {
        const double oracle = brute_force_p_value(n, m, h);
        const std::optional<double> p = KolmogorovSmirnov::exact_p_value(n, m, h);
        // SciPy gives up (and so do we) only where rounding lifts a true 1 above 1.
        if (!p) {
          EXPECT_EQ(oracle, 1.0) << n << " " << m << " " << h;
          continue;
        }
        EXPECT_NEAR(*p, oracle, 1e-13 + 1e-12 * oracle) << n << " " << m << " " << h;
      }
    }
  }
}

TEST(KolmogorovSmirnovTest, MatchesScipyBitForBitOnEqualAndUnequalSizes) {
  // Values printed by scipy.stats.ks_2samp (SciPy 1.10.1; the code is unchanged up to 1.13).
  const auto unequal = test({0.3, 1.2, -0.7, 2.5, 0.9, 1.1, -0.2},
                            {1.5, 2.2, 0.8, 3.1, 2.9, 1.7, 0.4, 2.6, 3.3, 1.9, 2.0});
  EXPECT_EQ(unequal.statistic, 0.6753246753246753);
  EXPECT_EQ(unequal.p_value, 0.024384112619406737);

  // 30 against 30, as KSWIN compares them: a_i = (7i mod 30) / 30, b_i = 1.3 (11i mod 30) / 30 +
  // 0.2.
  std::vector<double> a;
  std::vector<double> b;
  for (int i = 0; i < 30; ++i) {
    a.push_back(((i * 7) % 30) / 30.0);
    b.push_back(((i * 11) % 30) / 30.0 * 1.3 + 0.2);
  }
  const auto thirty = test(a, b);
  EXPECT_EQ(thirty.statistic, 0.4);
  EXPECT_EQ(thirty.p_value, 0.015643390496754332);
}

TEST(KolmogorovSmirnovTest, TiesCountWithRightContinuousCdfs) {
  // Searchsorted(side='right'): at a tied value both CDFs count every element equal to it.
  const auto small = test({0, 0, 1}, {0, 1, 1});
  EXPECT_EQ(small.statistic, 1.0 / 3.0);
  std::vector<double> a;
  std::vector<double> b;
  const int a_pattern[] = {1, 0, 0, 1, 0, 0, 0, 0, 1, 0};
  const int b_pattern[] = {1, 1, 0, 1, 0, 1, 1, 0, 1, 1};
  for (int copy = 0; copy < 3; ++copy)
    for (int i = 0; i < 10; ++i) {
      a.push_back(a_pattern[i]);
      b.push_back(b_pattern[i]);
    }
  const auto binary = test(a, b);
  EXPECT_EQ(binary.statistic, 0.4);
  EXPECT_EQ(binary.p_value, 0.015643390496754332);
  // The asymptotic method keeps the unrounded difference 21/30 - 9/30.
  const auto asymptotic = test(a, b, Method::kAsymptotic);
  EXPECT_EQ(asymptotic.statistic, 0.39999999999999997);
  EXPECT_NEAR(asymptotic.p_value, 0.011175149346663082, 1e-15);
  EXPECT_FALSE(asymptotic.exact);
}

TEST(KolmogorovSmirnovTest, AsymptoticMethodMatchesScipyClosely) {
  const auto equal =
      test({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5},
           Method::kAsymptotic);
  EXPECT_NEAR(equal.p_value, 0.3087999999999995, 1e-15);
  const auto unequal =
      test({0.3, 1.2, -0.7, 2.5, 0.9, 1.1, -0.2},
           {1.5, 2.2, 0.8, 3.1, 2.9, 1.7, 0.4, 2.6, 3.3, 1.9, 2.0}, Method::kAsymptotic);
  EXPECT_NEAR(unequal.p_value, 0.02447399927647796, 1e-15);
}

TEST(KolmogorovSmirnovTest, FallsBackToAsymptoticWhenTheExactValueRoundsAboveOne) {
  // For 30 against 30 and D = 1/30 the series evaluates to 1.0000000000000004; SciPy then uses
  // kstwo.sf(1/30, 15) = 1 (1/30 is at the lower end of its support).
  EXPECT_FALSE(KolmogorovSmirnov::exact_p_value(30, 30, 1).has_value());
  std::vector<double> a;
  std::vector<double> b;
  for (int i = 0; i < 30; ++i) {
    a.push_back(i);
    b.push_back(i + 0.5);
  }
  const auto result = test(a, b);
  EXPECT_EQ(result.statistic, 1.0 / 30.0);
  EXPECT_EQ(result.p_value, 1.0);
  EXPECT_FALSE(result.exact);
}

TEST(KolmogorovSmirnovTest, AutoSwitchesToAsymptoticAboveTenThousandValues) {
  std::vector<double> a(10001);
  std::vector<double> b(10001);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<double>(i);
    b[i] = static_cast<double>(i) + 300.5;
  }
  const auto large = test(a, b);
  // SciPy 1.10.1: statistic 0.03009699030096996 (unrounded), p 0.00022789340472096882.
  EXPECT_FALSE(large.exact);
  EXPECT_EQ(large.statistic, 0.03009699030096996);
  EXPECT_NEAR(large.p_value, 0.00022789340472096882, 1e-16);
  const auto exact = test(std::vector<double>(a.begin(), a.begin() + 10000),
                          std::vector<double>(b.begin(), b.begin() + 10000));
  EXPECT_TRUE(exact.exact);
  EXPECT_EQ(exact.statistic,
            0.0301);  // At 300 (and at 9999), 301 more of one sample than the other.
  EXPECT_EQ(exact.p_value, 0.0002322100494248541);
}

TEST(KolmogorovSmirnovTest, IdenticalSamplesHavePValueOne) {
  const auto result = test({3, 1, 2}, {2, 3, 1});
  EXPECT_EQ(result.statistic, 0.0);
  EXPECT_EQ(result.p_value, 1.0);
}

TEST(KolmogorovSmirnovTest, NanPropagatesToStatisticAndPValue) {
  const auto result = test({1, NAN, 3}, {1, 2, 3});
  EXPECT_TRUE(std::isnan(result.statistic));
  EXPECT_TRUE(std::isnan(result.p_value));
}

TEST(KolmogorovSmirnovTest, PValueDecreasesAsTheStatisticGrows) {
  double previous = 2.0;
  for (std::int64_t h = 1; h <= 30; ++h) {
    const double p = KolmogorovSmirnov::exact_p_value(30, 30, h).value_or(1.0);
    EXPECT_LE(p, previous) << h;
    previous = p;
  }
  EXPECT_EQ(KolmogorovSmirnov::exact_p_value(30, 30, 15).value(), 0.0008995776840176799);
}

}  // namespace
}  // namespace streamlearn::monitors
