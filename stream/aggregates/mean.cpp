#include "stream/aggregates/mean.h"

namespace streamlearn::stream::aggregates {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

void Mean::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  sum_.save(out);
}

core::Status Mean::load(core::StateReader& in) {
  Mean loaded;
  if (in.expect_version(kStateVersion) && loaded.sum_.load(in).is_ok()) *this = loaded;
  return in.status("Mean");
}

}  // namespace streamlearn::stream::aggregates
