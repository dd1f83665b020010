#include "monitors/drift/python_random.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

// MT19937 constants (Matsumoto & Nishimura's reference code, as in CPython's _randommodule.c).
constexpr int kShift = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;

// Python's int.bit_length().
int bit_length(std::uint64_t n) { return 64 - std::countl_zero(n); }

// A power of two over 2k, so the open-addressing set of the set method stays under half full.
std::uint64_t table_size_for(std::uint64_t k) { return std::bit_ceil(2 * k + 2); }

// splitmix-style mixing: the set only needs an even spread, not any particular order.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

void PythonRandom::init_genrand(std::uint32_t seed) {
  state_[0] = seed;
  for (int i = 1; i < kStateSize; ++i) {
    const std::uint32_t previous = state_[i - 1];
    state_[i] = 1812433253U * (previous ^ (previous >> 30)) + static_cast<std::uint32_t>(i);
  }
  index_ = kStateSize;
}

void PythonRandom::init_by_array(const std::uint32_t* key, int key_length) {
  init_genrand(19650218U);
  int i = 1;
  int j = 0;
  for (int k = std::max(kStateSize, key_length); k > 0; --k) {
    const std::uint32_t previous = state_[i - 1];
    state_[i] = (state_[i] ^ ((previous ^ (previous >> 30)) * 1664525U)) + key[j] +
                static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= kStateSize) {
      state_[0] = state_[kStateSize - 1];
      i = 1;
    }
    if (j >= key_length) j = 0;
  }
  for (int k = kStateSize - 1; k > 0; --k) {
    const std::uint32_t previous = state_[i - 1];
    state_[i] =
        (state_[i] ^ ((previous ^ (previous >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
    ++i;
    if (i >= kStateSize) {
      state_[0] = state_[kStateSize - 1];
      i = 1;
    }
  }
  state_[0] = 0x80000000U;  // The most significant bit is 1: a non-zero initial array.
}

void PythonRandom::seed(std::int64_t seed) {
  // CPython: key = the 32-bit words of abs(seed), least significant first, at least one word.
  const std::uint64_t magnitude =
      seed < 0 ? ~static_cast<std::uint64_t>(seed) + 1 : static_cast<std::uint64_t>(seed);
  const std::uint32_t key[2] = {static_cast<std::uint32_t>(magnitude),
                                static_cast<std::uint32_t>(magnitude >> 32)};
  init_by_array(key, key[1] != 0 ? 2 : 1);
}

void PythonRandom::twist() {
  const auto mixed = [](std::uint32_t upper, std::uint32_t lower, std::uint32_t shifted) {
    const std::uint32_t y = (upper & kUpperMask) | (lower & kLowerMask);
    return shifted ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
  };
  int k = 0;
  for (; k < kStateSize - kShift; ++k)
    state_[k] = mixed(state_[k], state_[k + 1], state_[k + kShift]);
  for (; k < kStateSize - 1; ++k)
    state_[k] = mixed(state_[k], state_[k + 1], state_[k + kShift - kStateSize]);
  state_[kStateSize - 1] = mixed(state_[kStateSize - 1], state_[0], state_[kShift - 1]);
  index_ = 0;
}

std::uint32_t PythonRandom::next_uint32() {
  if (index_ >= kStateSize) twist();
  std::uint32_t y = state_[index_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

std::uint64_t PythonRandom::getrandbits(int k) {
  SL_CHECK(k >= 0 && k <= 64);
  if (k == 0) return 0;
  if (k <= 32) return next_uint32() >> (32 - k);
  // Wider values are built from 32-bit words, least significant word first; only the last word
  // is cut to the remaining bits.
  const std::uint64_t low = next_uint32();
  const std::uint64_t high = next_uint32() >> (64 - k);
  return low | (high << 32);
}

std::uint64_t PythonRandom::randbelow(std::uint64_t n) {
  SL_CHECK(n >= 1);
  const int k = bit_length(n);  // Not (n - 1): n may be 1.
  std::uint64_t r = getrandbits(k);
  while (r >= n) r = getrandbits(k);
  return r;
}

bool PythonRandom::sample_uses_pool(std::uint64_t n, std::uint64_t k) {
  // setsize = 21 + (4 ** ceil(log(3k, 4)) if k > 5): math.log(x, 4) is log(x) / log(4) in doubles.
  double set_size = 21.0;
  if (k > 5) {
    const double exponent = std::ceil(std::log(static_cast<double>(k) * 3.0) / std::log(4.0));
    set_size += std::pow(4.0, exponent);
  }
  return static_cast<double>(n) <= set_size;
}

void PythonRandom::sample_range(std::uint64_t n, std::uint64_t k, std::vector<std::uint64_t>& out) {
  SL_CHECK_LE(k, n);
  out.resize(k);
  if (sample_uses_pool(n, k)) {
    // Draw from a shrinking pool; the last unselected element moves into each vacancy.
    scratch_.resize(n);
    for (std::uint64_t i = 0; i < n; ++i) scratch_[i] = i;
    for (std::uint64_t i = 0; i < k; ++i) {
      const std::uint64_t j = randbelow(n - i);
      out[i] = scratch_[j];
      scratch_[j] = scratch_[n - i - 1];
    }
    return;
  }
  // Redraw until unseen. Membership lives in an open-addressing table of value + 1 (0 = empty);
  // only which values were seen matters, so the table's layout cannot change the draws.
  const std::uint64_t table_size = table_size_for(k);
  scratch_.assign(table_size, 0);
  const std::uint64_t mask = table_size - 1;
  for (std::uint64_t i = 0; i < k; ++i) {
    for (;;) {
      const std::uint64_t j = randbelow(n);
      std::uint64_t slot = mix(j) & mask;
      while (scratch_[slot] != 0 && scratch_[slot] != j + 1) slot = (slot + 1) & mask;
      if (scratch_[slot] == j + 1) continue;  // Already selected: draw again.
      scratch_[slot] = j + 1;
      out[i] = j;
      break;
    }
  }
}

void PythonRandom::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(state_);
  out.write(static_cast<std::int32_t>(index_));
}

core::Status PythonRandom::load(core::StateReader& in) {
  std::array<std::uint32_t, kStateSize> state{};
  std::int32_t index = 0;
  if (in.expect_version(kStateVersion) && in.read(state) && in.read(index)) {
    if (index < 0 || index > kStateSize) {
      in.fail();
    } else {
      state_ = state;
      index_ = index;
    }
  }
  return in.status("PythonRandom");
}

}  // namespace streamlearn::monitors
