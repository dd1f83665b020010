#include "core/xxhash64.h"

#include <gtest/gtest.h>

#include <string>

namespace streamlearn::core {
namespace {

// Reference values from the xxHash library (libxxhash 0.8.1, XXH64), covering every code path:
// empty, 1 to 3 tail bytes, a 4-byte block, an 8-byte block, 32-byte stripes, seeds.
TEST(Xxhash64Test, MatchesTheReferenceImplementation) {
  const struct {
    std::string text;
    std::uint64_t seed;
    std::uint64_t hash;
  } cases[] = {
      {"", 0, 0xef46db3751d8e999ULL},
      {"a", 0, 0xd24ec4f1a98c6e5bULL},
      {"abc", 0, 0x44bc2cf5ad770999ULL},
      {"abcd", 0, 0xde0327b0d25d92ccULL},
      {"abcdefgh", 0, 0x3ad351775b4634b7ULL},
      {"amount", 0, 0x5b2d12cd16c20179ULL},
      {"country=FR", 0, 0x5a0011f60132f31eULL},
      {"country=FR", 42, 0xa4f8a3c4bc31bba3ULL},
      {"Nobody inspects the spammish repetition", 0, 0xfbcea83c8a378bf1ULL},
      {"The quick brown fox jumps over the lazy dog, twice: the quick brown fox", 0,
       0xdc087269d1fa2e85ULL},
      {std::string(33, 'x'), 0xffffffffffffffffULL, 0xa8c5b4e36789346fULL},
  };
  for (const auto& c : cases)
    EXPECT_EQ(xxhash64(c.text, c.seed), c.hash) << "'" << c.text << "'";
}

}  // namespace
}  // namespace streamlearn::core
