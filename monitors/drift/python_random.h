#pragma once

/// PythonRandom: a bit-exact port of CPython 3.11's `random.Random` for the few methods that
/// River's detectors call, so that a seeded streamlearn detector replays River's draws exactly.
/// The generator is MT19937 (Matsumoto & Nishimura 1998) seeded as CPython seeds from an int: the
/// 32-bit words of |seed|, least significant first, fed to init_by_array. getrandbits(k) takes the
/// top k bits of each 32-bit output, randbelow(n) is `_randbelow_with_getrandbits` (rejection on
/// n.bit_length() bits) and sample_range(n, k) is `Random.sample(range(n), k)` with CPython's
/// choice between its pool method (n <= 21 + 4^ceil(log4(3k)) when k > 5, else n <= 21) and its
/// set method, each drawing exactly the same sequence of numbers as CPython.
///
/// O(1) amortized per 32-bit output; sample_range is O(n) (pool) or O(k) expected (set) time and
/// keeps an O(n) scratch buffer, reused so that steady-state calls do not allocate. 2.5 KiB of
/// generator state. Not thread-safe.

#include <array>
#include <cstdint>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::monitors {

class PythonRandom {
 public:
  /// `random.Random(seed)`. Python seeds with abs(seed), so seed and -seed give the same draws.
  explicit PythonRandom(std::int64_t seed = 0) { this->seed(seed); }

  /// `Random.seed(seed)` for an int seed: discards the current state.
  void seed(std::int64_t seed);

  /// The next 32-bit output of MT19937 (CPython's genrand_uint32).
  std::uint32_t next_uint32();
  /// `Random.getrandbits(k)` for 0 <= k <= 64: a uniform integer in [0, 2^k).
  std::uint64_t getrandbits(int k);
  /// `Random._randbelow(n)` (the getrandbits variant): a uniform integer in [0, n), n >= 1.
  std::uint64_t randbelow(std::uint64_t n);
  /// `Random.sample(range(n), k)`: k distinct integers of [0, n) in selection order, written to
  /// `out` (resized to k). Requires k <= n.
  void sample_range(std::uint64_t n, std::uint64_t k, std::vector<std::uint64_t>& out);

  /// Whether `Random.sample` takes its pool method (else its set method) for these sizes.
  static bool sample_uses_pool(std::uint64_t n, std::uint64_t k);

  /// The generator state (not the scratch buffer), versioned.
  void save(core::StateWriter& out) const;
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  static constexpr int kStateSize = 624;

  void init_genrand(std::uint32_t seed);
  void init_by_array(const std::uint32_t* key, int key_length);
  void twist();

  std::array<std::uint32_t, kStateSize> state_{};
  int index_ = kStateSize;
  // Scratch for sample_range: the pool of the pool method, or membership marks of the set method.
  // Never part of the state: it is rebuilt on every call.
  std::vector<std::uint64_t> scratch_;
};

}  // namespace streamlearn::monitors
