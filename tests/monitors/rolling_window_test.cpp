#include "monitors/metrics/rolling_window.h"

#include <gtest/gtest.h>

#include <vector>

namespace streamlearn::monitors {
namespace {

std::vector<int> contents(const RollingWindow<int>& window) {
  std::vector<int> items;
  window.for_each([&items](int item) { items.push_back(item); });
  return items;
}

TEST(RollingWindowTest, KeepsTheLastCapacityItemsOldestFirst) {
  RollingWindow<int> window(3);
  EXPECT_TRUE(window.empty());
  window.push(1);
  window.push(2);
  EXPECT_FALSE(window.full());
  EXPECT_EQ(window.oldest(), 1);
  window.push(3);
  EXPECT_TRUE(window.full());
  EXPECT_EQ(contents(window), (std::vector<int>{1, 2, 3}));
  window.push(4);
  window.push(5);
  EXPECT_EQ(window.size(), 3u);
  EXPECT_EQ(window.oldest(), 3);
  EXPECT_EQ(contents(window), (std::vector<int>{3, 4, 5}));
}

TEST(RollingWindowTest, OldestIsTheItemThePushEvicts) {
  RollingWindow<int> window(4);
  for (int i = 0; i < 4; ++i) window.push(i);
  for (int i = 4; i < 20; ++i) {
    const int evicted = window.oldest();
    window.push(i);
    EXPECT_EQ(evicted, i - 4);
    EXPECT_EQ(contents(window).front(), i - 3);
  }
}

TEST(RollingWindowTest, ClearEmptiesAndRestartsTheOrder) {
  RollingWindow<int> window(2);
  for (int i = 0; i < 5; ++i) window.push(i);
  window.clear();
  EXPECT_TRUE(window.empty());
  window.push(7);
  window.push(8);
  window.push(9);
  EXPECT_EQ(contents(window), (std::vector<int>{8, 9}));
}

TEST(RollingWindowTest, WindowOfOneHoldsTheNewestItem) {
  RollingWindow<int> window(1);
  window.push(1);
  window.push(2);
  EXPECT_EQ(window.oldest(), 2);
  EXPECT_EQ(contents(window), (std::vector<int>{2}));
}

}  // namespace
}  // namespace streamlearn::monitors
