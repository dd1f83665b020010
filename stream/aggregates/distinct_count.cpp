#include "stream/aggregates/distinct_count.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "core/check.h"

namespace streamlearn::stream::aggregates {
namespace {

constexpr std::uint32_t kStateVersion = 1;

// splitmix64's finalizer (S. Vigna; D. Stafford's Mix13): a bijection of 64-bit words whose every
// output bit depends on every input bit.
std::uint64_t mix(std::uint64_t hash) {
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

// Ertl's sigma and tau series (Algorithm 6 of the paper), summed until they stop changing.
double sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0;
  double z = x;
  double previous;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (z != previous);
  return z;
}

double tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  double previous;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
  } while (z != previous);
  return z / 3.0;
}

}  // namespace

DistinctCount::DistinctCount() : DistinctCount(Params{}) {}

DistinctCount::DistinctCount(const Params& params) : params_(params) {
  SL_CHECK_LE(kMinPrecision, params_.precision);
  SL_CHECK_LE(params_.precision, kMaxPrecision);
}

void DistinctCount::update(std::uint64_t hash) {
  ++count_;
  const std::uint64_t mixed = mix(hash);
  if (registers_.empty()) {
    if (std::find(hashes_.begin(), hashes_.end(), mixed) != hashes_.end()) return;
    if (hashes_.size() < kExactLimit) {
      hashes_.push_back(mixed);
      return;
    }
    switch_to_registers();
  }
  add_to_registers(mixed);
}

void DistinctCount::update(double x) {
  // Adding +0.0 turns -0.0 into +0.0 and leaves every other finite value as it is.
  update(std::bit_cast<std::uint64_t>(x + 0.0));
}

void DistinctCount::merge(const DistinctCount& other) {
  SL_CHECK(params_ == other.params_);
  count_ += other.count_;
  if (registers_.empty() && other.registers_.empty()) {
    for (const std::uint64_t mixed : other.hashes_) {
      if (std::find(hashes_.begin(), hashes_.end(), mixed) != hashes_.end()) continue;
      if (registers_.empty() && hashes_.size() < kExactLimit) {
        hashes_.push_back(mixed);
      } else {
        if (registers_.empty()) switch_to_registers();
        add_to_registers(mixed);
      }
    }
    return;
  }
  if (registers_.empty()) switch_to_registers();
  if (other.registers_.empty()) {
    for (const std::uint64_t mixed : other.hashes_) add_to_registers(mixed);
    return;
  }
  for (std::size_t i = 0; i < registers_.size(); ++i)
    registers_[i] = std::max(registers_[i], other.registers_[i]);
  rebuild_histogram();
}

double DistinctCount::value() const {
  if (registers_.empty()) return static_cast<double>(hashes_.size());
  const double m = static_cast<double>(registers_.size());
  const std::size_t q = 64 - params_.precision;
  double z = m * tau(1.0 - histogram_[q + 1] / m);
  for (std::size_t k = q; k >= 1; --k) z = 0.5 * (z + histogram_[k]);
  z += m * sigma(histogram_[0] / m);
  return m * m / (2.0 * std::log(2.0) * z);
}

double DistinctCount::standard_error() const {
  return 1.04 / std::sqrt(static_cast<double>(std::uint64_t{1} << params_.precision));
}

void DistinctCount::switch_to_registers() {
  registers_.assign(std::size_t{1} << params_.precision, 0);
  histogram_.assign(66 - params_.precision, 0);
  histogram_[0] = static_cast<std::uint32_t>(registers_.size());
  for (const std::uint64_t mixed : hashes_) add_to_registers(mixed);
  hashes_.clear();
  hashes_.shrink_to_fit();
}

void DistinctCount::add_to_registers(std::uint64_t mixed) {
  // The top `precision` bits pick the register; the rank is 1 + the leading zeros of the other
  // q = 64 - precision bits, q + 1 when they are all zero.
  const std::uint32_t q = 64 - params_.precision;
  const std::size_t index = static_cast<std::size_t>(mixed >> q);
  const std::uint64_t rest = mixed << params_.precision;
  const std::uint8_t rank =
      static_cast<std::uint8_t>(rest == 0 ? q + 1 : std::countl_zero(rest) + 1);
  std::uint8_t& current = registers_[index];
  if (rank <= current) return;
  --histogram_[current];
  ++histogram_[rank];
  current = rank;
}

void DistinctCount::rebuild_histogram() {
  std::fill(histogram_.begin(), histogram_.end(), 0);
  for (const std::uint8_t rank : registers_) ++histogram_[rank];
}

void DistinctCount::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(params_.precision);
  out.write(count_);
  out.write_bool(registers_.empty());
  if (registers_.empty()) {
    out.write_vector(hashes_);
  } else {
    out.write_vector(registers_);
  }
}

core::Status DistinctCount::load(core::StateReader& in) {
  std::uint32_t precision = 0;
  if (!in.expect_version(kStateVersion) || !in.read(precision)) return in.status("DistinctCount");
  if (precision != params_.precision) {
    in.fail();  // the rest of this state is not read: nothing after it can be either
    return core::Status::error(
        "DistinctCount: the saved state has precision=" + std::to_string(precision) +
        " but this aggregate is configured with precision=" + std::to_string(params_.precision));
  }
  DistinctCount loaded(params_);
  bool exact = false;
  if (!in.read(loaded.count_) || !in.read_bool(exact)) return in.status("DistinctCount");
  if (exact) {
    if (in.read_vector(loaded.hashes_)) {
      std::vector<std::uint64_t> sorted = loaded.hashes_;
      std::sort(sorted.begin(), sorted.end());
      const bool valid = sorted.size() <= kExactLimit && sorted.size() <= loaded.count_ &&
                         std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
      if (!valid) in.fail();
    }
  } else if (in.read_vector(loaded.registers_)) {
    const std::uint32_t q = 64 - params_.precision;
    const bool valid = loaded.registers_.size() == (std::size_t{1} << params_.precision) &&
                       std::all_of(loaded.registers_.begin(), loaded.registers_.end(),
                                   [q](std::uint8_t rank) { return rank <= q + 1; });
    if (valid) {
      loaded.histogram_.assign(66 - params_.precision, 0);
      loaded.rebuild_histogram();
    } else {
      in.fail();
    }
  }
  core::Status status = in.status("DistinctCount");
  if (status.is_ok()) *this = std::move(loaded);
  return status;
}

}  // namespace streamlearn::stream::aggregates
