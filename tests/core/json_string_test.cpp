#include "core/json_string.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace streamlearn::core {
namespace {

std::string as_json(std::string_view text) {
  std::string out = "prefix:";
  append_json_string(text, out);
  return out;
}

TEST(JsonStringTest, EscapesQuotesBackslashesAndControlCharactersOnly) {
  EXPECT_EQ(as_json(""), "prefix:\"\"");
  EXPECT_EQ(as_json("plain"), "prefix:\"plain\"");
  EXPECT_EQ(as_json("a\"b\\c"), "prefix:\"a\\\"b\\\\c\"");
  EXPECT_EQ(as_json("\n\r\t"), "prefix:\"\\n\\r\\t\"");
  EXPECT_EQ(as_json(std::string("x\0y\x1f", 4)), "prefix:\"x\\u0000y\\u001f\"");
  EXPECT_EQ(as_json("caf\xc3\xa9 \x7f"), "prefix:\"caf\xc3\xa9 \x7f\"");  // UTF-8 and DEL as they are
  EXPECT_EQ(as_json("\"ends with\\"), "prefix:\"\\\"ends with\\\\\"");
}

TEST(JsonStringTest, AnyAsciiTextReadsBackAsItself) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 127);
  for (int i = 0; i < 2000; ++i) {
    std::string text(static_cast<std::size_t>(length(rng)), ' ');
    for (char& c : text) c = static_cast<char>(byte(rng));
    std::string json;
    append_json_string(text, json);
    EXPECT_EQ(nlohmann::json::parse(json).get<std::string>(), text);
  }
}

}  // namespace
}  // namespace streamlearn::core
