#pragma once

/// for_each_corrupted_state: the spoiled copies of a saved state that the save/load tests feed to
/// load(), which must fail with a Status or give a state that runs on, never crash: truncations
/// (every length of a short state, a seeded sample of the lengths of a long one) and copies with
/// one byte flipped by a random mask at a random offset. Header-only, shared by the tests of
/// core/, monitors/ and stream/.

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

namespace streamlearn::testing {

/// Calls visit(corrupted) for `count` truncations and `count` flipped copies of `bytes`.
template <typename Visit>
void for_each_corrupted_state(const std::string& bytes, std::uint64_t seed, std::size_t count,
                              Visit&& visit) {
  std::mt19937_64 rng(seed);
  if (bytes.size() <= count) {
    for (std::size_t length = 0; length < bytes.size(); ++length) visit(bytes.substr(0, length));
  } else {
    for (std::size_t i = 0; i < count; ++i) visit(bytes.substr(0, rng() % bytes.size()));
  }
  if (bytes.empty()) return;
  for (std::size_t i = 0; i < count; ++i) {
    std::string flipped = bytes;
    const std::uint8_t mask = static_cast<std::uint8_t>(1 + rng() % 255);
    flipped[rng() % flipped.size()] ^= static_cast<char>(mask);
    visit(flipped);
  }
}

}  // namespace streamlearn::testing
