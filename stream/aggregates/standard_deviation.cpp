#include "stream/aggregates/standard_deviation.h"

namespace streamlearn::stream::aggregates {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

void StandardDeviation::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  variance_.save(out);
}

core::Status StandardDeviation::load(core::StateReader& in) {
  if (!in.expect_version(kStateVersion)) return in.status("StandardDeviation");
  // Variance::load leaves variance_ unchanged when it fails and says why.
  return variance_.load(in);
}

}  // namespace streamlearn::stream::aggregates
