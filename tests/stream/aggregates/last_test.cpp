#include "stream/aggregates/selected_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stream/aggregates/aggregate.h"
#include "tests/stream/aggregates/aggregate_properties.h"

namespace streamlearn::stream::aggregates {
namespace {

using streamlearn::testing::Held;

template <typename LastLike>
::testing::AssertionResult matches_brute_force(const LastLike& aggregate, const Held& held) {
  const double expected =
      held.values.empty() ? std::numeric_limits<double>::quiet_NaN() : held.values.back();
  return streamlearn::testing::same_value(aggregate.value(), expected);
}

// What the properties must catch: a merge that keeps the earlier aggregate's last value.
class EarlierLast {
 public:
  static constexpr bool kRevertible = false;
  void update(double x) {
    value_ = x;
    ++count_;
  }
  void merge(const EarlierLast& later) {
    if (count_ == 0) value_ = later.value_;
    count_ += later.count_;
  }
  double value() const { return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : value_; }
  std::uint64_t count() const { return count_; }
  void save(core::StateWriter& out) const { out.write(value_); }
  core::Status load(core::StateReader& in) {
    return in.read(value_) ? core::Status::ok() : in.status("EarlierLast");
  }

 private:
  std::uint64_t count_ = 0;
  double value_ = 0.0;
};

TEST(LastTest, UsageExample) {
  static_assert(Aggregate<Last> && !Last::kRevertible);
  Last last;
  EXPECT_TRUE(std::isnan(last.value()));
  for (double x : {3.0, -1.0, 2.0}) last.update(x);
  EXPECT_EQ(last.value(), 2.0);
}

TEST(LastTest, MergeKeepsTheLastOfTheLaterUnlessItIsEmpty) {
  Last earlier, later;
  earlier.update(1.0);
  later.update(2.0);
  Last merged = earlier;
  merged.merge(later);
  EXPECT_EQ(merged.value(), 2.0);
  merged.merge(Last{});
  EXPECT_EQ(merged.value(), 2.0);
}

TEST(LastTest, UpdatesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_updates(Last{}, values, matches_brute_force<Last>))
        << "seed " << seed;
  }
}

TEST(LastTest, MergedChunksMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 3000);
    ASSERT_TRUE(streamlearn::testing::check_merges(Last{}, values, seed, matches_brute_force<Last>))
        << "seed " << seed;
  }
}

TEST(LastTest, SaveLoadRoundTripKeepsValueAndBehaviour) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto values = streamlearn::testing::random_stream(seed, 500);
    ASSERT_TRUE(streamlearn::testing::check_save_load(Last{}, values, seed)) << "seed " << seed;
  }
}

TEST(LastTest, PropertiesRejectAMergeThatKeepsTheEarlierLast) {
  static_assert(Aggregate<EarlierLast>);
  const auto values = streamlearn::testing::random_stream(3, 3000);
  const ::testing::AssertionResult result = streamlearn::testing::check_merges(
      EarlierLast{}, values, 3, matches_brute_force<EarlierLast>);
  ASSERT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("merge"), std::string::npos) << result.message();
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
