#include "monitors/metrics/rmse.h"

#include <algorithm>
#include <cmath>

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

// River computes mse ** 0.5, which CPython evaluates with pow(); so does this.
double Rmse::get() const { return std::pow(std::max(mean_.get(), 0.0), 0.5); }

void Rmse::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  mean_.save(out);
}

core::Status Rmse::load(core::StateReader& in) {
  Rmse loaded;
  if (in.expect_version(kStateVersion) && loaded.mean_.load(in).is_ok()) *this = loaded;
  return in.status("Rmse");
}

}  // namespace streamlearn::monitors
