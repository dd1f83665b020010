#pragma once

/// The graceful stop of the commands that run until told otherwise: SIGTERM and SIGINT set a flag
/// that the command's loop polls between records, so it finishes the record in hand, flushes what
/// it wrote and prints its summary. Each handler resets itself after its first signal, so a second
/// Ctrl-C ends a stop that hangs (say, on an unreachable broker) the default way.

#include <atomic>

namespace streamlearn::cli {

/// Installs the handlers and returns the flag they set, false until a signal came.
const std::atomic<bool>& stop_on_sigterm_or_sigint();

}  // namespace streamlearn::cli
