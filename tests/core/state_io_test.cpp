#include "core/state_io.h"

#include <gtest/gtest.h>

namespace streamlearn::core {
namespace {

TEST(StateIoTest, RoundTripsValuesStringsAndVectors) {
  StateWriter writer;
  writer.write<std::uint32_t>(3);
  writer.write<double>(-1.5);
  writer.write_string("hello");
  writer.write_vector(std::vector<double>{1.0, 2.0, 3.0});
  StateReader reader(writer.bytes());
  std::uint32_t version = 0;
  double value = 0;
  std::string text;
  std::vector<double> values;
  ASSERT_TRUE(reader.read(version));
  ASSERT_TRUE(reader.read(value));
  ASSERT_TRUE(reader.read_string(text));
  ASSERT_TRUE(reader.read_vector(values));
  EXPECT_EQ(version, 3u);
  EXPECT_EQ(value, -1.5);
  EXPECT_EQ(text, "hello");
  EXPECT_EQ(values, (std::vector<double>{1.0, 2.0, 3.0}));
  EXPECT_TRUE(reader.at_end());
  EXPECT_TRUE(reader.status("test").is_ok());
}

TEST(StateIoTest, TruncatedInputFailsInsteadOfReadingPastTheEnd) {
  StateWriter writer;
  writer.write_vector(std::vector<double>(100, 1.0));
  const std::string truncated = writer.bytes().substr(0, 50);
  StateReader reader(truncated);
  std::vector<double> values;
  EXPECT_FALSE(reader.read_vector(values));
  EXPECT_FALSE(reader.status("model").is_ok());
  EXPECT_NE(reader.status("model").message().find("model"), std::string::npos);
}

TEST(StateIoTest, VersionMismatchIsAnError) {
  StateWriter writer;
  writer.write<std::uint32_t>(7);
  StateReader reader(writer.bytes());
  EXPECT_FALSE(reader.expect_version(1));
  EXPECT_FALSE(reader.status("x").is_ok());
}

}  // namespace
}  // namespace streamlearn::core
