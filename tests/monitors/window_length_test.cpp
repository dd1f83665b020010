#include "monitors/windows/window_length.h"

#include <gtest/gtest.h>

namespace streamlearn::monitors {
namespace {

TEST(WindowLengthTest, PlainIntegerIsACountOfEvents) {
  auto length = WindowLength::parse("5000");
  ASSERT_TRUE(length.is_ok());
  EXPECT_EQ(*length, WindowLength::events(5000));
  EXPECT_FALSE(length->by_time());
}

TEST(WindowLengthTest, UnitsAreEventTimeInMilliseconds) {
  EXPECT_EQ(WindowLength::parse("250ms").value(), WindowLength::milliseconds(250));
  EXPECT_EQ(WindowLength::parse("30s").value(), WindowLength::milliseconds(30'000));
  EXPECT_EQ(WindowLength::parse("10m").value(), WindowLength::milliseconds(600'000));
  EXPECT_EQ(WindowLength::parse("2h").value(), WindowLength::milliseconds(7'200'000));
  EXPECT_EQ(WindowLength::parse("1d").value(), WindowLength::milliseconds(86'400'000));
}

TEST(WindowLengthTest, DescribeReadsBack) {
  for (const char* text : {"5000", "90s", "2h", "1d", "1500ms", "0"}) {
    auto length = WindowLength::parse(text);
    ASSERT_TRUE(length.is_ok()) << text;
    EXPECT_EQ(length->describe(), text);
  }
}

TEST(WindowLengthTest, RejectsMalformedTextSayingWhatIsAllowed) {
  for (const char* text : {"", "ten", "-5", "5 m", "5min", "3.5s", "99999999999999999999d"}) {
    auto length = WindowLength::parse(text);
    ASSERT_FALSE(length.is_ok()) << text;
    EXPECT_NE(length.status().message().find("ms, s, m, h or d"), std::string::npos);
  }
}

}  // namespace
}  // namespace streamlearn::monitors
