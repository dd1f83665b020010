#include "stream/aggregates/sum.h"

#include <cmath>

namespace streamlearn::stream::aggregates {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

void Sum::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(count_);
  sum_.save(out);
}

core::Status Sum::load(core::StateReader& in) {
  Sum loaded;
  if (in.expect_version(kStateVersion) && in.read(loaded.count_) && loaded.sum_.load(in)) {
    if (std::isfinite(loaded.sum_.high()) && std::isfinite(loaded.sum_.low())) {
      *this = loaded;
    } else {
      in.fail();
    }
  }
  return in.status("Sum");
}

}  // namespace streamlearn::stream::aggregates
