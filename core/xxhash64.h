#pragma once

/// xxhash64: the 64-bit hash XXH64 (Y. Collet, the xxHash specification), computed from its
/// specification over the bytes of `text` (read little-endian byte by byte), so a text hashes to
/// the same value on every machine and in every process, as the xxHash reference library
/// computes it. The one text hash of streamlearn: feature hashing (`hash`), distinct counts of
/// categorical values in windows. Fast (about 8 bytes per cycle on long inputs), not
/// cryptographic.

#include <cstdint>
#include <string_view>

namespace streamlearn::core {

std::uint64_t xxhash64(std::string_view text, std::uint64_t seed = 0);

}  // namespace streamlearn::core
