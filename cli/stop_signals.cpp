#include "cli/stop_signals.h"

#include <csignal>

namespace streamlearn::cli {
namespace {

// Lock-free, so setting it is async-signal-safe.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void request_stop(int) { stop_requested.store(true); }

}  // namespace

const std::atomic<bool>& stop_on_sigterm_or_sigint() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  return stop_requested;
}

}  // namespace streamlearn::cli
