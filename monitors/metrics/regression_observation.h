#pragma once

/// RegressionObservation: one scored regression event, as stored by a rolling window.

namespace streamlearn::monitors {

struct RegressionObservation {
  double y_true = 0.0;
  double y_pred = 0.0;
};

}  // namespace streamlearn::monitors
