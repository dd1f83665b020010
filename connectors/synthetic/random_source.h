#pragma once

/// RandomSource: the random numbers of the synthetic streams. A seeded std::mt19937_64 (fully
/// specified by the standard) with the conversions written out here rather than taken from
/// <random>'s distributions, whose algorithms differ between standard libraries: the same seed
/// gives the same stream with libstdc++ and libc++. These are not River's draws (River uses
/// Python's random.Random); only the distributions match.
///
///   RandomSource random(42);
///   const double x = random.uniform(0.0, 10.0);    // [0, 10)
///   const std::int64_t age = random.between(20, 80);  // 20..80, both included
///
/// O(1) per draw (normal() rejects about 21% of its candidate pairs). Not thread-safe.

#include <cstdint>
#include <random>

namespace streamlearn::connectors {

class RandomSource {
 public:
  explicit RandomSource(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  /// Uniform in [low, high).
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  /// Uniform integer in [0, n), without modulo bias. n > 0.
  std::uint64_t below(std::uint64_t n);
  /// Uniform integer in [low, high], both ends included (Python's randint). low <= high.
  std::int64_t between(std::int64_t low, std::int64_t high);
  /// True with probability p (never for p <= 0, always for p >= 1).
  bool bernoulli(double p) { return uniform() < p; }
  /// Standard normal (Marsaglia's polar method; the second value of each pair is kept).
  double normal();

 private:
  std::mt19937_64 engine_;
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace streamlearn::connectors
