#include "core/owner_thread_calls.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace streamlearn::core {
namespace {

using std::chrono::milliseconds;

/// The owner: serves the calls until stopped, as the pipeline loop does between events.
class Owner {
 public:
  explicit Owner(OwnerThreadCalls& calls)
      : thread_([this, &calls] {
          id_ = std::this_thread::get_id();
          started_.store(true);
          while (!stop_.load()) {
            calls.serve();
            std::this_thread::yield();
          }
        }) {
    while (!started_.load()) std::this_thread::yield();
  }
  ~Owner() {
    stop_.store(true);
    thread_.join();
  }
  std::thread::id id() const { return id_; }

 private:
  std::atomic<bool> started_{false};
  std::atomic<bool> stop_{false};
  std::thread::id id_;
  std::thread thread_;
};

TEST(OwnerThreadCallsTest, RunsTheFunctionOnTheOwnerThreadAndReturnsItsResult) {
  OwnerThreadCalls calls;
  Owner owner(calls);
  std::thread::id ran_on;
  const std::optional<std::string> result = calls.call(
      [&] {
        ran_on = std::this_thread::get_id();
        return std::string("answer");
      },
      milliseconds(5000));
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(*result, "answer");
  EXPECT_EQ(ran_on, owner.id());
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(OwnerThreadCallsTest, ACallNotServedInTimeIsWithdrawnAndNeverRuns) {
  OwnerThreadCalls calls;
  bool ran = false;
  const std::optional<std::string> result = calls.call(
      [&] {
        ran = true;
        return std::string("late");
      },
      milliseconds(20));
  EXPECT_FALSE(result.has_value());
  calls.serve();  // the owner comes back: nothing is left to run
  EXPECT_FALSE(ran);
}

TEST(OwnerThreadCallsTest, WhatTheFunctionThrowsIsRethrownToTheCaller) {
  OwnerThreadCalls calls;
  Owner owner(calls);
  EXPECT_THROW(calls.call([]() -> std::string { throw std::runtime_error("bad key"); },
                          milliseconds(5000)),
               std::runtime_error);
  // The owner serves on.
  EXPECT_EQ(calls.call([] { return std::string("ok"); }, milliseconds(5000)), "ok");
}

TEST(OwnerThreadCallsTest, ConcurrentCallersEachGetTheirOwnResult) {
  OwnerThreadCalls calls;
  Owner owner(calls);
  int owner_state = 0;  // touched by the owner thread only, through calls
  std::vector<std::thread> callers;
  std::atomic<int> wrong{0};
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&, c] {
      for (int i = 0; i < 200; ++i) {
        const std::string expected = std::to_string(c) + ":" + std::to_string(i);
        const std::optional<std::string> result = calls.call(
            [&] {
              ++owner_state;
              return expected;
            },
            milliseconds(5000));
        if (result != expected) ++wrong;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(calls.call([&] { return std::to_string(owner_state); }, milliseconds(5000)), "800");
}

}  // namespace
}  // namespace streamlearn::core
