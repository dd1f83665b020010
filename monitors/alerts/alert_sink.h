#pragma once

/// AlertSink: where alerts go (stdout, a JSON Lines file, an HTTP webhook, later Kafka). publish()
/// is called on the pipeline thread and must not block it beyond a bounded time: a sink that talks
/// to the network queues the alert and delivers it on its own thread. A sink never loses an alert
/// silently: what it cannot deliver it writes to its fallback and counts. Not thread-safe unless
/// the implementation says otherwise.

#include "core/status.h"
#include "monitors/alerts/alert.h"

namespace streamlearn::monitors {

class AlertSink {
 public:
  virtual ~AlertSink() = default;

  virtual void publish(const Alert& alert) = 0;
  /// Delivers or falls back every queued alert; returns the first delivery error, if any.
  [[nodiscard]] virtual core::Status flush() = 0;
};

}  // namespace streamlearn::monitors
