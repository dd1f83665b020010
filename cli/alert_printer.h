#pragma once

/// AlertPrinter: an AlertSink that prints one readable line per alert as it fires, for a person
/// watching a run ("alert: data feature_drift (amount): psi = 0.31 (threshold 0.2) at event
/// 52000, model v1"). The JSON record goes to the JSON Lines and webhook sinks.

#include <cstdio>

#include "monitors/alerts/alert_sink.h"

namespace streamlearn::cli {

class AlertPrinter final : public monitors::AlertSink {
 public:
  explicit AlertPrinter(std::FILE* out) : out_(out) {}

  void publish(const monitors::Alert& alert) override;
  core::Status flush() override;

 private:
  std::FILE* out_;
};

}  // namespace streamlearn::cli
