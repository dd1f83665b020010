#pragma once

/// OwnerThreadCalls: lets other threads read state that one thread owns without locking it on
/// the owner's hot path. Another thread (the HTTP server's, answering `GET /features/{key}`)
/// hands a function to call(); the owner (the pipeline thread) runs it at its next serve(),
/// between two events, and call() returns its result. serve() costs one atomic load when nothing
/// waits, so the owner may call it after every event and whenever it idles.
///
/// A call that the owner does not start within `timeout` is withdrawn (it never runs) and
/// call() returns nullopt: the owner is busy for that long, or stopped serving. A call the owner
/// has started is waited for to its end. Calls run in the order they arrived; what a function
/// throws is rethrown by its call(), never on the owner's thread.
///
///   OwnerThreadCalls calls;
///   // any thread:
///   std::optional<std::string> text = calls.call([&] { return describe(state); }, 2s);
///   // the owner, between events:
///   calls.serve();

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace streamlearn::core {

class OwnerThreadCalls {
 public:
  using Function = std::function<std::string()>;

  /// Any thread but the owner's (the owner would wait for itself).
  std::optional<std::string> call(Function function, std::chrono::milliseconds timeout);

  /// The owner's thread: runs the calls waiting now.
  void serve() {
    if (waiting_.load(std::memory_order_acquire) != 0) serve_waiting();
  }

 private:
  struct Call {
    Function function;
    std::string result;
    bool done = false;
    std::exception_ptr error;  // what the function threw, rethrown by call()
  };

  void serve_waiting();

  std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<Call*> queue_;  // each owned by the call() waiting for it
  std::atomic<std::uint32_t> waiting_{0};
};

}  // namespace streamlearn::core
