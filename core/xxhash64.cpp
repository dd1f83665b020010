#include "core/xxhash64.h"

#include <bit>

namespace streamlearn::core {
namespace {

// The five primes of XXH64.
constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

// Little-endian reads byte by byte, so the hash is the same on every host.
std::uint64_t read64(const unsigned char* p) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

std::uint64_t read32(const unsigned char* p) {
  std::uint64_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

std::uint64_t mix_lane(std::uint64_t accumulator, std::uint64_t lane) {
  accumulator += lane * kPrime2;
  accumulator = std::rotl(accumulator, 31);
  return accumulator * kPrime1;
}

std::uint64_t merge(std::uint64_t accumulator, std::uint64_t lane_accumulator) {
  accumulator ^= mix_lane(0, lane_accumulator);
  return accumulator * kPrime1 + kPrime4;
}

}  // namespace

std::uint64_t xxhash64(std::string_view text, std::uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* const end = p + text.size();
  std::uint64_t accumulator;
  if (text.size() >= 32) {
    // Four lanes over 32-byte stripes.
    std::uint64_t v1 = seed + kPrime1 + kPrime2, v2 = seed + kPrime2, v3 = seed,
                  v4 = seed - kPrime1;
    for (; end - p >= 32; p += 32) {
      v1 = mix_lane(v1, read64(p));
      v2 = mix_lane(v2, read64(p + 8));
      v3 = mix_lane(v3, read64(p + 16));
      v4 = mix_lane(v4, read64(p + 24));
    }
    accumulator = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
    accumulator = merge(accumulator, v1);
    accumulator = merge(accumulator, v2);
    accumulator = merge(accumulator, v3);
    accumulator = merge(accumulator, v4);
  } else {
    accumulator = seed + kPrime5;
  }
  accumulator += static_cast<std::uint64_t>(text.size());
  for (; end - p >= 8; p += 8) {
    accumulator ^= mix_lane(0, read64(p));
    accumulator = std::rotl(accumulator, 27) * kPrime1 + kPrime4;
  }
  if (end - p >= 4) {
    accumulator ^= read32(p) * kPrime1;
    accumulator = std::rotl(accumulator, 23) * kPrime2 + kPrime3;
    p += 4;
  }
  for (; p < end; ++p) {
    accumulator ^= *p * kPrime5;
    accumulator = std::rotl(accumulator, 11) * kPrime1;
  }
  // The final avalanche.
  accumulator ^= accumulator >> 33;
  accumulator *= kPrime2;
  accumulator ^= accumulator >> 29;
  accumulator *= kPrime3;
  accumulator ^= accumulator >> 32;
  return accumulator;
}

}  // namespace streamlearn::core
