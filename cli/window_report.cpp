#include "cli/window_report.h"

namespace streamlearn::cli {

nlohmann::ordered_json window_report(const stream::features::FeatureStage& stage) {
  nlohmann::ordered_json windows = nlohmann::ordered_json::array();
  for (const stream::features::WindowOperator& window : stage.windows()) {
    const stream::features::WindowOperator::Counters counters = window.counters();
    nlohmann::ordered_json entry;
    entry["window"] = window.spec().expression();
    entry["keys"] = window.num_keys();
    entry["events"] = counters.events;
    entry["late"] = counters.late;
    entry["untimed"] = counters.untimed;
    entry["keyless"] = counters.keyless;
    entry["keys_closed"] = counters.keys.closed;
    entry["keys_expired"] = counters.keys.expired;
    entry["keys_evicted"] = counters.keys.evicted;
    if (window.spec().of_target) {
      entry["labels"] = counters.labels;
      entry["late_labels"] = counters.late_labels;
    }
    windows.push_back(std::move(entry));
  }
  return windows;
}

}  // namespace streamlearn::cli
