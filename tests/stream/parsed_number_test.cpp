#include "stream/parsed_number.h"

#include <gtest/gtest.h>

#include <cmath>

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
