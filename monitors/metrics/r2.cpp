#include "monitors/metrics/r2.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

void R2::update(double y_true, double y_pred) {
  y_true_variance_.update(y_true);
  residual_sum_of_squares_ += (y_true - y_pred) * (y_true - y_pred);
}

void R2::revert(double y_true, double y_pred) {
  y_true_variance_.revert(y_true);
  residual_sum_of_squares_ -= (y_true - y_pred) * (y_true - y_pred);
}

void R2::merge(const R2& other) {
  y_true_variance_.merge(other.y_true_variance_);
  residual_sum_of_squares_ += other.residual_sum_of_squares_;
}

double R2::get() const {
  const std::uint64_t n = count();
  if (n <= 1) return 0.0;
  // River multiplies the variance back by (n - 1) rather than using S directly; keep its bits.
  const double total_sum_of_squares = static_cast<double>(n - 1) * y_true_variance_.get();
  if (total_sum_of_squares == 0.0) return 0.0;
  return 1 - residual_sum_of_squares_ / total_sum_of_squares;
}

void R2::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  y_true_variance_.save(out);
  out.write(residual_sum_of_squares_);
}

core::Status R2::load(core::StateReader& in) {
  R2 loaded;
  if (in.expect_version(kStateVersion) && loaded.y_true_variance_.load(in).is_ok() &&
      in.read(loaded.residual_sum_of_squares_))
    *this = loaded;
  return in.status("R2");
}

}  // namespace streamlearn::monitors
