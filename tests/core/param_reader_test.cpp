#include "core/param_reader.h"

#include <gtest/gtest.h>

namespace streamlearn::core {
namespace {

TEST(ParamReaderTest, GivesDefaultsAndParsedValues) {
  const ParamMap given = {{"lr", "0.5"}, {"grace_period", "100"}, {"binary_split", "true"},
                          {"buckets", "2^4"}};
  ParamReader reader("model", given);
  EXPECT_EQ(reader.number("lr", 0.01), 0.5);
  EXPECT_EQ(reader.number("l2", 0.0), 0.0);
  EXPECT_EQ(reader.integer("grace_period", 200), 100);
  EXPECT_TRUE(reader.boolean("binary_split", false));
  EXPECT_EQ(reader.number("buckets", 1), 16.0);
  EXPECT_TRUE(reader.finish().is_ok());
}

TEST(ParamReaderTest, ReportsEveryErrorAtOnceWithTheAllowedKeys) {
  const ParamMap given = {{"lr", "fast"}, {"typo", "1"}, {"grace_period", "1.5"}};
  ParamReader reader("hoeffding_tree", given);
  reader.number("lr", 0.01);
  reader.integer("grace_period", 200);
  const Status status = reader.finish();
  ASSERT_FALSE(status.is_ok());
  const std::string& message = status.message();
  EXPECT_NE(message.find("hoeffding_tree"), std::string::npos);
  EXPECT_NE(message.find("lr='fast' is not a finite number"), std::string::npos) << message;
  EXPECT_NE(message.find("grace_period='1.5' is not an integer"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown parameter 'typo' (allowed: lr, grace_period)"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace streamlearn::core

namespace streamlearn::core {
namespace {

TEST(ParamReaderTest, IntegersAcceptPowersAndRejectOverflow) {
  const ParamMap given = {{"buckets", "2^18"}, {"one", "7^0"}, {"negative", "-2^3"},
                          {"largest", "2^62"}, {"minus_one", "-1^1000000000000"},
                          {"too_big", "2^63"}, {"way_too_big", "10^30"},
                          {"negative_exponent", "2^-1"}, {"fraction", "2^1.5"}};
  ParamReader reader("hash", given);
  EXPECT_EQ(reader.integer("buckets", 1), 262144);
  EXPECT_EQ(reader.integer("one", 5), 1);
  EXPECT_EQ(reader.integer("negative", 0), -8);
  EXPECT_EQ(reader.integer("largest", 0), std::int64_t{1} << 62);
  EXPECT_EQ(reader.integer("minus_one", 0), 1);
  EXPECT_EQ(reader.integer("too_big", 3), 3);  // the fallback, with an error
  EXPECT_EQ(reader.integer("way_too_big", 3), 3);
  EXPECT_EQ(reader.integer("negative_exponent", 3), 3);
  EXPECT_EQ(reader.integer("fraction", 3), 3);
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("too_big='2^63' overflows a 64-bit integer"), std::string::npos)
      << message;
  EXPECT_NE(message.find("way_too_big='10^30' overflows"), std::string::npos) << message;
  EXPECT_NE(message.find("negative_exponent='2^-1' is not an integer"), std::string::npos)
      << message;
  EXPECT_NE(message.find("fraction='2^1.5' is not an integer"), std::string::npos) << message;
}

TEST(ParamReaderTest, NumbersRejectPowersBeyondTheDoubleRange) {
  const ParamMap given = {{"big", "2^2000"}, {"small", "10^-3"}};
  ParamReader reader("model", given);
  EXPECT_EQ(reader.number("big", 1.0), 1.0);
  EXPECT_DOUBLE_EQ(reader.number("small", 1.0), 0.001);
  EXPECT_NE(reader.finish().message().find("big='2^2000' is not a finite number"),
            std::string::npos);
}

TEST(ParamReaderTest, NamesReadBracketedListsSingleNamesAndQuotedNames) {
  const ParamMap given = {{"cols", "[country, device]"},
                          {"one", "country"},
                          {"quoted", "[ 'unit price' , \"it's\", zip=94110, a*b ]"},
                          {"single", "[amount]"}};
  ParamReader reader("cross", given);
  EXPECT_EQ(reader.names("cols"), (std::vector<std::string>{"country", "device"}));
  EXPECT_EQ(reader.names("one"), (std::vector<std::string>{"country"}));
  EXPECT_EQ(reader.names("quoted"),
            (std::vector<std::string>{"unit price", "it's", "zip=94110", "a*b"}));
  EXPECT_EQ(reader.names("single"), (std::vector<std::string>{"amount"}));
  EXPECT_TRUE(reader.names("absent").empty());
  EXPECT_TRUE(reader.finish().is_ok()) << reader.finish().message();
}

TEST(ParamReaderTest, MalformedNameListsAreReportedWithTheReason) {
  const ParamMap given = {{"empty", "[]"},          {"unclosed", "[a, b"},
                          {"trailing", "[a, ]"},    {"twice", "[a, b, a]"},
                          {"spaces", "unit price"}, {"open_quote", "['a, b]"},
                          {"no_comma", "[a b]"}};
  ParamReader reader("hash", given);
  for (const auto& [key, value] : given) EXPECT_TRUE(reader.names(key).empty()) << key;
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("empty='[]' is not a list of names: the list is empty"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("unclosed='[a, b' is not a list of names: the list is not closed"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("trailing='[a, ]' is not a list of names: expected a name after the "
                         "last ','"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("'a' is listed twice"), std::string::npos) << message;
  EXPECT_NE(message.find("spaces='unit price' is not a list of names: several names are written "
                         "as a list"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("a quoted name is not closed"), std::string::npos) << message;
  EXPECT_NE(message.find("expected ',' after 'a'"), std::string::npos) << message;
}

TEST(ParamReaderTest, NumbersReadListsOfFiniteNumbers) {
  const ParamMap given = {{"edges", "[0, 10, 1e2, -2.5]"}, {"one", "5"}, {"bad", "[1, x]"},
                          {"infinite", "[1, inf]"},        {"empty", "[ ]"}};
  ParamReader reader("bucketize", given);
  EXPECT_EQ(reader.numbers("edges"), (std::vector<double>{0, 10, 100, -2.5}));
  EXPECT_EQ(reader.numbers("one"), (std::vector<double>{5}));
  EXPECT_TRUE(reader.numbers("bad").empty());
  EXPECT_TRUE(reader.numbers("infinite").empty());
  EXPECT_TRUE(reader.numbers("empty").empty());
  EXPECT_TRUE(reader.numbers("absent").empty());
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("bad='[1, x]' is not a list of numbers: 'x' is not a finite number"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("'inf' is not a finite number"), std::string::npos) << message;
  EXPECT_NE(message.find("empty='[ ]' is not a list of numbers: the list is empty"),
            std::string::npos)
      << message;
}

TEST(ParamReaderTest, GivenDoesNotCountAsAskingAndErrorAddsAWholeEntryMessage) {
  const ParamMap given = {{"cols", "[a]"}};
  ParamReader reader("hash", given);
  EXPECT_TRUE(reader.given("cols"));
  EXPECT_FALSE(reader.given("edges"));
  reader.error("'hash' creates features");
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("- 'hash' creates features"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown parameter 'cols' (allowed: none)"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace streamlearn::core
