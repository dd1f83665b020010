#include "stream/parsed_number.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

namespace streamlearn::stream {
namespace {

using Kind = ParsedNumber::Kind;

TEST(ParsedNumberTest, ReadsDecimalNumbersWithOptionalPlusAndBlanks) {
  EXPECT_EQ(parse_number("1.5").value, 1.5);
  EXPECT_EQ(parse_number("+1.5").value, 1.5);
  EXPECT_EQ(parse_number(" \t-2e3 \r").value, -2000.0);
  EXPECT_EQ(parse_number(".5").value, 0.5);
  EXPECT_EQ(parse_number("5.").value, 5.0);
  EXPECT_EQ(parse_number("-0").kind, Kind::kNumber);
}

TEST(ParsedNumberTest, AnythingElseIsNotANumber) {
  for (const char* text :
       {"", " ", "+", "-", "++1", "+-1", "1.2.3", "1e", "0x10", "1,000", "abc", "1 2", "e5"}) {
    EXPECT_EQ(parse_number(text).kind, Kind::kNotANumber) << text;
  }
}

TEST(ParsedNumberTest, TellsNonFiniteOverflowAndUnderflowApart) {
  EXPECT_EQ(parse_number("nan").kind, Kind::kNonFinite);
  EXPECT_EQ(parse_number("-Infinity").kind, Kind::kNonFinite);
  EXPECT_EQ(parse_number("1e999").kind, Kind::kOutOfRange);
  EXPECT_EQ(parse_number("-0.001e312").kind, Kind::kOutOfRange);
  EXPECT_EQ(parse_number("0.00000000001e309").kind, Kind::kNumber);  // 1e298
  const ParsedNumber tiny = parse_number("-1e-999");
  EXPECT_EQ(tiny.kind, Kind::kNumber);
  EXPECT_EQ(tiny.value, 0.0);
  EXPECT_TRUE(std::signbit(tiny.value));
  EXPECT_EQ(parse_number("123456789e-999999999999999").kind, Kind::kNumber);
  EXPECT_EQ(parse_number("1e99999999999999999999").kind, Kind::kOutOfRange);
}

/// What std::from_chars makes of `text`: its end and value (the reference of the fast path).
std::pair<const char*, double> from_chars_of(const std::string& text) {
  double value = 0.0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  return {parsed.ec == std::errc() ? parsed.ptr : nullptr, value};
}

void expect_fast_path_agrees(const std::string& text) {
  double fast = 0.0;
  const char* end = internal::parse_short_decimal(text.data(), text.data() + text.size(), fast);
  if (end == nullptr) return;  // not taken: from_chars decides
  const auto [reference_end, reference] = from_chars_of(text);
  ASSERT_EQ(end, reference_end) << text;
  // Bit for bit, signed zeros included.
  ASSERT_EQ(std::memcmp(&fast, &reference, sizeof fast), 0)
      << text << ": " << fast << " vs " << reference;
}

TEST(ParsedNumberTest, ShortDecimalFastPathEqualsFromCharsBitForBit) {
  for (const char* text : {"0",
                           "-0",
                           "0.0",
                           "-0.000",
                           "1.",
                           ".5",
                           "-.5",
                           "7",
                           "0.1",
                           "0.3",
                           "123.456",
                           "9007199254740992",
                           "9007199254740993",
                           "0.9007199254740992",
                           "1234567890123456789",
                           "12345678901234567890",
                           "0.0000000000000000000001",
                           "0.00000000000000000000001",
                           "1.5e3",
                           "2.5,7",
                           "1.2.3",
                           "-",
                           ".",
                           "-.",
                           "00000000000000000001",
                           "3.14159265358979",
                           "0.8372840124"})
    expect_fast_path_agrees(text);
  double value = 0.0;
  const std::string taken = "0.8372840124,1";
  EXPECT_EQ(internal::parse_short_decimal(taken.data(), taken.data() + taken.size(), value),
            taken.data() + 12);
  EXPECT_EQ(value, 0.8372840124);
  for (const std::string declined :
       {"1e5", "12345678901234567890", "-", ".", "1.00000000000000000000001"}) {
    EXPECT_EQ(
        internal::parse_short_decimal(declined.data(), declined.data() + declined.size(), value),
        nullptr)
        << declined;
  }

  // Random decimals of 1 to 20 digits, the point anywhere, signs: every one the fast path takes
  // reads as from_chars reads it.
  std::mt19937_64 rng(20261121);
  std::size_t taken_count = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    const int digits = 1 + static_cast<int>(rng() % 20);
    std::string text = rng() % 2 ? "-" : "";
    const int point = static_cast<int>(rng() % static_cast<std::uint64_t>(digits + 1));
    for (int d = 0; d < digits; ++d) {
      if (d == point) text += '.';
      text += static_cast<char>('0' + rng() % 10);
    }
    double fast = 0.0;
    if (internal::parse_short_decimal(text.data(), text.data() + text.size(), fast)) ++taken_count;
    ASSERT_NO_FATAL_FAILURE(expect_fast_path_agrees(text));
  }
  EXPECT_GT(taken_count, 900'000u);  // nearly every decimal of up to 19 digits takes it

  // Doubles written the shortest way (as Python's repr and our writers do), 16 to 17 digits.
  std::uniform_real_distribution<double> uniform(0.0, 10.0);
  for (int i = 0; i < 1'000'000; ++i) {
    char buffer[64];
    const double x = uniform(rng) * (rng() % 2 ? 1.0 : 1e-3);
    const auto written = std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::fixed);
    ASSERT_NO_FATAL_FAILURE(expect_fast_path_agrees(std::string(buffer, written.ptr)));
  }
}

TEST(ParsedNumberTest, ReadsIntegersOnly) {
  EXPECT_EQ(parse_integer("1700000000123"), 1700000000123);
  EXPECT_EQ(parse_integer(" -5 "), -5);
  EXPECT_EQ(parse_integer("+5"), 5);
  EXPECT_FALSE(parse_integer("1.0"));
  EXPECT_FALSE(parse_integer(""));
  EXPECT_FALSE(parse_integer("+"));
  EXPECT_FALSE(parse_integer("99999999999999999999"));
}

}  // namespace
}  // namespace streamlearn::stream
