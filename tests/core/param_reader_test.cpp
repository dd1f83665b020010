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
