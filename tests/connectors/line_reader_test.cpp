#include "connectors/files/line_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace streamlearn::connectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::filesystem::path write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return path;
}

std::filesystem::path write_gzip(const std::filesystem::path& path, std::string_view content) {
  gzFile file = gzopen(path.c_str(), "wb");
  EXPECT_NE(file, nullptr);
  EXPECT_EQ(gzwrite(file, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  EXPECT_EQ(gzclose(file), Z_OK);
  return path;
}

std::vector<std::string> read_all(LineReader& reader) {
  std::vector<std::string> lines;
  while (std::optional<std::string_view> line = reader.next()) lines.emplace_back(*line);
  EXPECT_TRUE(reader.status().is_ok()) << reader.status().message();
  return lines;
}

LineReader open_or_die(const std::filesystem::path& path, LineReader::Options options = {}) {
  core::Result<LineReader> reader = LineReader::open(path, options);
  EXPECT_TRUE(reader.is_ok()) << reader.status().message();
  return std::move(reader).value();
}

TEST(LineReaderTest, ReadsTheHeaderExample) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "events.csv", "a\nb\n");
  core::Result<LineReader> reader = LineReader::open(path);
  ASSERT_TRUE(reader.is_ok()) << reader.status().message();
  std::vector<std::string> lines;
  while (std::optional<std::string_view> line = reader->next()) lines.emplace_back(*line);
  EXPECT_TRUE(reader->status().is_ok());
  EXPECT_THAT(lines, ElementsAre("a", "b"));
}

TEST(LineReaderTest, ReadsALastLineWithoutNewline) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "f.txt", "one\ntwo");
  LineReader reader = open_or_die(path);
  EXPECT_THAT(read_all(reader), ElementsAre("one", "two"));
}

TEST(LineReaderTest, DropsCarriageReturnsBeforeNewlines) {
  const auto path =
      write_file(streamlearn::testing::scratch_dir() / "f.txt", "one\r\n\r\ntwo\r\nthree\r");
  LineReader reader = open_or_die(path);
  EXPECT_THAT(read_all(reader), ElementsAre("one", "", "two", "three"));
}

TEST(LineReaderTest, KeepsEmptyLines) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "f.txt", "\n\na\n\n");
  LineReader reader = open_or_die(path);
  EXPECT_THAT(read_all(reader), ElementsAre("", "", "a", ""));
}

TEST(LineReaderTest, EmptyFileHasNoLines) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "f.txt", "");
  LineReader reader = open_or_die(path);
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.status().is_ok());
  EXPECT_EQ(reader.line_number(), 0u);
}

TEST(LineReaderTest, TracksLineNumbersAndByteOffsets) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "f.txt", "ab\r\n\ncde\nf");
  LineReader reader = open_or_die(path);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> positions;
  while (reader.next()) positions.emplace_back(reader.line_number(), reader.line_offset_bytes());
  EXPECT_THAT(positions, ElementsAre(std::pair<std::uint64_t, std::uint64_t>{1, 0},
                                     std::pair<std::uint64_t, std::uint64_t>{2, 4},
                                     std::pair<std::uint64_t, std::uint64_t>{3, 5},
                                     std::pair<std::uint64_t, std::uint64_t>{4, 9}));
}

TEST(LineReaderTest, SkipsAUtf8ByteOrderMark) {
  const auto path =
      write_file(streamlearn::testing::scratch_dir() / "f.csv", "\xEF\xBB\xBFx,y\n1,2\n");
  LineReader reader = open_or_die(path);
  EXPECT_THAT(read_all(reader), ElementsAre("x,y", "1,2"));
}

TEST(LineReaderTest, ReadsGzipFilesTransparently) {
  const auto dir = streamlearn::testing::scratch_dir();
  write_gzip(dir / "f.csv.gz", "x,y\r\n1,2\n3,4");
  LineReader reader = open_or_die(dir / "f.csv.gz");
  EXPECT_THAT(read_all(reader), ElementsAre("x,y", "1,2", "3,4"));
  EXPECT_TRUE(reader.compressed());
  EXPECT_EQ(reader.line_offset_bytes(), 9u);  // offsets count decompressed bytes

  // Recognised by content, not by name.
  write_gzip(dir / "misnamed.csv", "a\nb\n");
  LineReader misnamed = open_or_die(dir / "misnamed.csv");
  EXPECT_THAT(read_all(misnamed), ElementsAre("a", "b"));

  write_file(dir / "plain.csv", "a\n");
  EXPECT_FALSE(open_or_die(dir / "plain.csv").compressed());
}

TEST(LineReaderTest, ReadsConcatenatedGzipMembers) {
  const auto dir = streamlearn::testing::scratch_dir();
  write_gzip(dir / "a.gz", "1\n2\n");
  write_gzip(dir / "b.gz", "3\n");
  std::ifstream a(dir / "a.gz", std::ios::binary);
  std::ifstream b(dir / "b.gz", std::ios::binary);
  std::ofstream both(dir / "both.gz", std::ios::binary);
  both << a.rdbuf() << b.rdbuf();
  both.close();
  LineReader reader = open_or_die(dir / "both.gz");
  EXPECT_THAT(read_all(reader), ElementsAre("1", "2", "3"));
}

TEST(LineReaderTest, GrowsTheBufferForLinesLongerThanIt) {
  const std::string long_line(5000, 'x');
  const auto path = write_file(streamlearn::testing::scratch_dir() / "f.txt",
                               "short\n" + long_line + "\nend\n" + long_line);
  LineReader reader = open_or_die(path, {.buffer_size_bytes = 64});
  EXPECT_THAT(read_all(reader), ElementsAre("short", long_line, "end", long_line));
}

TEST(LineReaderTest, LinesCrossingBufferBoundariesComeOutWhole) {
  std::string content;
  std::vector<std::string> expected;
  for (int i = 0; i < 2000; ++i) {
    expected.push_back(std::to_string(i * 7919) + (i % 3 == 0 ? ",abc" : ""));
    content += expected.back() + (i % 5 == 0 ? "\r\n" : "\n");
  }
  const auto dir = streamlearn::testing::scratch_dir();
  write_file(dir / "f.txt", content);
  write_gzip(dir / "f.txt.gz", content);
  for (const char* name : {"f.txt", "f.txt.gz"}) {
    LineReader reader = open_or_die(dir / name, {.buffer_size_bytes = 100});
    EXPECT_EQ(read_all(reader), expected) << name;
    EXPECT_EQ(reader.line_number(), 2000u);
  }
}

TEST(LineReaderTest, MissingFileIsAnErrorWithThePathAndReason) {
  const auto path = streamlearn::testing::scratch_dir() / "nope.csv";
  core::Result<LineReader> reader = LineReader::open(path);
  ASSERT_FALSE(reader.is_ok());
  EXPECT_THAT(reader.status().message(), HasSubstr(path.string()));
  EXPECT_THAT(reader.status().message(), HasSubstr("No such file or directory"));
}

TEST(LineReaderTest, DirectoryIsAnError) {
  const auto dir = streamlearn::testing::scratch_dir();
  core::Result<LineReader> reader = LineReader::open(dir);
  ASSERT_FALSE(reader.is_ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("is a directory"));
}

TEST(LineReaderTest, TruncatedGzipIsAReadErrorNotTheEnd) {
  const auto dir = streamlearn::testing::scratch_dir();
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
  write_gzip(dir / "full.gz", content);
  std::ifstream full(dir / "full.gz", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(full)), std::istreambuf_iterator<char>());
  write_file(dir / "cut.gz", std::string_view(bytes).substr(0, bytes.size() / 2));

  LineReader reader = open_or_die(dir / "cut.gz", {.buffer_size_bytes = 4096});
  std::uint64_t lines = 0;
  while (reader.next()) ++lines;
  EXPECT_GT(lines, 0u);
  EXPECT_LT(lines, 20000u);
  ASSERT_FALSE(reader.status().is_ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("cut.gz"));
  EXPECT_THAT(reader.status().message(), HasSubstr("truncated"));
}

}  // namespace
}  // namespace streamlearn::connectors
