#include "cli/alert_printer.h"

#include <cmath>
#include <string>

namespace streamlearn::cli {

void AlertPrinter::publish(const monitors::Alert& alert) {
  std::string line =
      "alert: " + std::string(monitors::alert_kind_name(alert.kind)) + " " + alert.monitor;
  if (!alert.feature.empty()) line += " (" + alert.feature + ")";
  char numbers[160];
  std::snprintf(numbers, sizeof(numbers), ": %s = %.4g", alert.statistic.c_str(), alert.value);
  line += numbers;
  if (std::isfinite(alert.threshold)) {
    std::snprintf(numbers, sizeof(numbers), " (threshold %.4g)", alert.threshold);
    line += numbers;
  }
  line += " at event " + std::to_string(alert.current.last_event) + ", model v" +
          std::to_string(alert.model_version);
  if (alert.model_action != "none")
    line += ", " + alert.model_action + " -> v" + std::to_string(alert.new_model_version);
  std::fprintf(out_, "%s\n", line.c_str());
}

core::Status AlertPrinter::flush() {
  return std::fflush(out_) == 0 ? core::Status::ok()
                                : core::Status::error("cannot write the alerts");
}

}  // namespace streamlearn::cli
