#include "learners/preprocessing/p2_quantile.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace streamlearn::learners {

P2Quantile::P2Quantile(double q)
    : q_(q), desired_{1.0, 1.0 + 2.0 * q, 1.0 + 4.0 * q, 3.0 + 2.0 * q, 5.0} {}

void P2Quantile::update(double x) {
  if (count_ < kMarkers) {
    // The first five observations, kept sorted (River sorts them after every update).
    std::size_t i = count_;
    for (; i > 0 && heights_[i - 1] > x; --i) heights_[i] = heights_[i - 1];
    heights_[i] = x;
    ++count_;
    return;
  }
  // The cell k (1 to 4) with heights[k - 1] <= x < heights[k]; the extreme markers follow a new
  // minimum or maximum.
  int k = 4;
  if (x < heights_[0]) {
    heights_[0] = x;
    k = 1;
  } else {
    bool found = false;
    for (int i = 1; i < kMarkers && !found; ++i) {
      if (heights_[i - 1] <= x && x < heights_[i]) {
        k = i;
        found = true;
      }
    }
    if (!found && heights_[kMarkers - 1] < x) heights_[kMarkers - 1] = x;
  }
  for (int i = k; i < kMarkers; ++i) positions_[i] += 1.0;
  const double increments[kMarkers] = {0.0, q_ / 2.0, q_, (1.0 + q_) / 2.0, 1.0};
  for (int i = 0; i < kMarkers; ++i) desired_[i] += increments[i];
  adjust();
  // River sorts the heights after every update. The adjustments keep them sorted, so this is a
  // check of five comparisons unless rounding ever made two markers cross.
  for (int i = 1; i < kMarkers; ++i) {
    const double height = heights_[i];
    int j = i;
    for (; j > 0 && heights_[j - 1] > height; --j) heights_[j] = heights_[j - 1];
    heights_[j] = height;
  }
  ++count_;
}

void P2Quantile::adjust() {
  for (int i = 1; i < kMarkers - 1; ++i) {
    const double n = positions_[i];
    const double q = heights_[i];
    double d = desired_[i] - n;
    if (!((d >= 1.0 && positions_[i + 1] - n > 1.0) || (d <= -1.0 && positions_[i - 1] - n < -1.0)))
      continue;
    d = d > 0 ? 1.0 : -1.0;
    const double qp1 = heights_[i + 1], qm1 = heights_[i - 1];
    const double np1 = positions_[i + 1], nm1 = positions_[i - 1];
    // The piecewise-parabolic prediction, with the operations in River's order.
    const double outer = d / (np1 - nm1);
    const double inner_left = (n - nm1 + d) * (qp1 - q) / (np1 - n);
    const double inner_right = (np1 - n - d) * (q - qm1) / (n - nm1);
    const double parabolic = q + outer * (inner_left + inner_right);
    if (qm1 < parabolic && parabolic < qp1) {
      heights_[i] = parabolic;
    } else {
      const int j = d > 0 ? i + 1 : i - 1;
      double linear = q + d * (heights_[j] - q) / (positions_[j] - n);
      // Neighbours more than the double range apart overflow the difference; the step is a
      // fraction of it, so halving the operands and doubling the step stays exact enough and
      // finite. River's arithmetic would give Inf here.
      if (!std::isfinite(linear))
        linear = q + 2.0 * (d * (heights_[j] * 0.5 - q * 0.5) / (positions_[j] - n));
      heights_[i] = linear;
    }
    positions_[i] = n + d;
  }
}

double P2Quantile::value() const {
  if (count_ > kMarkers) return heights_[2];
  if (count_ == 0) return 0.0;
  const double length = static_cast<double>(count_);
  const double index = std::min(std::max(length - 1.0, 0.0), length * q_);
  return heights_[static_cast<std::size_t>(index)];
}

}  // namespace streamlearn::learners
