#include "stream/aggregates/count.h"

namespace streamlearn::stream::aggregates {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

void Count::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(count_);
}

core::Status Count::load(core::StateReader& in) {
  Count loaded;
  if (in.expect_version(kStateVersion) && in.read(loaded.count_)) *this = loaded;
  return in.status("Count");
}

}  // namespace streamlearn::stream::aggregates
