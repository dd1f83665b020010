#include "connectors/synthetic/random_source.h"

#include <cmath>

#include "core/check.h"

namespace streamlearn::connectors {

std::uint64_t RandomSource::below(std::uint64_t n) {
  SL_CHECK_OP(n, >, 0u);
  // Draws below `limit` map onto [0, n) exactly equally often; the few above it are redrawn.
  const std::uint64_t limit = -n % n;  // 2^64 mod n
  while (true) {
    const std::uint64_t draw = engine_();
    if (draw >= limit) return draw % n;
  }
}

std::int64_t RandomSource::between(std::int64_t low, std::int64_t high) {
  SL_CHECK_OP(low, <=, high);
  const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  if (span == UINT64_MAX) return static_cast<std::int64_t>(engine_());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + below(span + 1));
}

double RandomSource::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u = 0, v = 0, s = 0;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return u * factor;
}

}  // namespace streamlearn::connectors
