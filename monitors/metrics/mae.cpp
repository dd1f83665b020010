#include "monitors/metrics/mae.h"

#include <cmath>

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

double Mae::error(double y_true, double y_pred) { return std::abs(y_true - y_pred); }

void Mae::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  mean_.save(out);
}

core::Status Mae::load(core::StateReader& in) {
  Mae loaded;
  if (in.expect_version(kStateVersion) && loaded.mean_.load(in).is_ok()) *this = loaded;
  return in.status("Mae");
}

}  // namespace streamlearn::monitors
