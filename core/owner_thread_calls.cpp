#include "core/owner_thread_calls.h"

#include <algorithm>
#include <exception>
#include <utility>

namespace streamlearn::core {

std::optional<std::string> OwnerThreadCalls::call(Function function,
                                                  std::chrono::milliseconds timeout) {
  Call call{std::move(function), {}, false, nullptr};
  std::unique_lock lock(mutex_);
  queue_.push_back(&call);
  waiting_.fetch_add(1, std::memory_order_release);
  if (!finished_.wait_for(lock, timeout, [&] { return call.done; })) {
    const auto queued = std::find(queue_.begin(), queue_.end(), &call);
    if (queued != queue_.end()) {
      queue_.erase(queued);
      waiting_.fetch_sub(1, std::memory_order_relaxed);
      return std::nullopt;
    }
    finished_.wait(lock, [&] { return call.done; });  // started: it ends in a moment
  }
  if (call.error) std::rethrow_exception(call.error);
  return std::move(call.result);
}

void OwnerThreadCalls::serve_waiting() {
  std::unique_lock lock(mutex_);
  while (!queue_.empty()) {
    Call* call = queue_.front();
    queue_.pop_front();
    waiting_.fetch_sub(1, std::memory_order_relaxed);
    lock.unlock();
    try {
      call->result = call->function();
    } catch (...) {
      call->error = std::current_exception();  // the caller's to report, not the owner's
    }
    lock.lock();
    call->done = true;
    finished_.notify_all();
  }
}

}  // namespace streamlearn::core
