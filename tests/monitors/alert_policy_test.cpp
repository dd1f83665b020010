#include "monitors/alerts/alert_policy.h"

#include <gtest/gtest.h>

#include <cmath>

namespace streamlearn::monitors {
namespace {

TEST(AlertPolicyTest, FiresWhenTheValueIsBeyondTheThreshold) {
  AlertPolicy above({.threshold = 0.1});
  EXPECT_FALSE(above.evaluate(0.1, 100, 0, 0));
  EXPECT_TRUE(above.evaluate(0.11, 100, 1, 0));
  AlertPolicy below({.threshold = 0.05, .direction = AlertPolicy::Direction::kBelow});
  EXPECT_FALSE(below.evaluate(0.2, 100, 0, 0));
  EXPECT_TRUE(below.evaluate(0.01, 100, 1, 0));
}

TEST(AlertPolicyTest, NeedsMinSamples) {
  AlertPolicy policy({.threshold = 0.1, .min_samples = 50});
  EXPECT_FALSE(policy.evaluate(0.9, 49, 0, 0));
  EXPECT_TRUE(policy.evaluate(0.9, 50, 1, 0));
}

TEST(AlertPolicyTest, NeedsConsecutiveBreachesAndNanEndsARun) {
  AlertPolicy policy({.threshold = 0.1, .consecutive = 3});
  EXPECT_FALSE(policy.evaluate(0.5, 1, 0, 0));
  EXPECT_FALSE(policy.evaluate(0.5, 1, 1, 0));
  EXPECT_FALSE(policy.evaluate(std::nan(""), 1, 2, 0));
  EXPECT_FALSE(policy.evaluate(0.5, 1, 3, 0));
  EXPECT_FALSE(policy.evaluate(0.5, 1, 4, 0));
  EXPECT_TRUE(policy.evaluate(0.5, 1, 5, 0));
  // After firing, a new run of three is needed.
  EXPECT_FALSE(policy.evaluate(0.5, 1, 6, 0));
}

TEST(AlertPolicyTest, CooldownInEventsSuppressesAlertsUntilItPasses) {
  AlertPolicy policy({.threshold = 0.1, .cooldown = WindowLength::events(100)});
  EXPECT_TRUE(policy.evaluate(0.5, 1, 1000, 0));
  EXPECT_FALSE(policy.evaluate(0.5, 1, 1050, 0));
  EXPECT_FALSE(policy.evaluate(0.5, 1, 1099, 0));
  EXPECT_TRUE(policy.evaluate(0.5, 1, 1100, 0));
}

TEST(AlertPolicyTest, CooldownInEventTime) {
  AlertPolicy policy({.threshold = 0.1, .cooldown = WindowLength::milliseconds(60'000)});
  EXPECT_TRUE(policy.evaluate(0.5, 1, 0, 1'000'000));
  EXPECT_FALSE(policy.evaluate(0.5, 1, 5000, 1'059'999));
  EXPECT_TRUE(policy.evaluate(0.5, 1, 5001, 1'060'000));
}

TEST(AlertPolicyTest, SaveLoadKeepsTheRunAndTheCooldown) {
  AlertPolicy policy({.threshold = 0.1, .consecutive = 2, .cooldown = WindowLength::events(10)});
  EXPECT_FALSE(policy.evaluate(0.5, 1, 0, 0));
  EXPECT_TRUE(policy.evaluate(0.5, 1, 1, 0));
  EXPECT_FALSE(policy.evaluate(0.5, 1, 2, 0));
  core::StateWriter out;
  policy.save(out);
  AlertPolicy restored(policy.params());
  core::StateReader in(out.bytes());
  ASSERT_TRUE(restored.load(in).is_ok());
  EXPECT_EQ(restored.breaches_in_a_row(), 1u);
  EXPECT_FALSE(restored.evaluate(0.5, 1, 3, 0));  // second breach but cooling down until 11
  // The breaches went on through the cooldown: the alert fires as soon as it has passed.
  EXPECT_TRUE(restored.evaluate(0.5, 1, 11, 0));
}

}  // namespace
}  // namespace streamlearn::monitors
