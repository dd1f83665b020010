#include "connectors/files/checkpoint_directory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace streamlearn::connectors {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class CheckpointDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = (testing::scratch_dir() / "checkpoints").string(); }

  CheckpointDirectory open(std::size_t keep = 3) {
    auto directory = CheckpointDirectory::open({.path = path_, .keep = keep});
    EXPECT_TRUE(directory) << directory.status().message();
    return std::move(*directory);
  }

  std::string path_;
};

TEST_F(CheckpointDirectoryTest, TheNewestCheckpointIsReadBackAndOnlyTheLastKeepStay) {
  CheckpointDirectory directory = open(3);
  std::vector<std::string> problems;
  auto empty = directory.read_latest(problems);
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->has_value());  // a first start
  for (int i = 1; i <= 5; ++i) {
    auto written = directory.write("state " + std::to_string(i));
    ASSERT_TRUE(written) << written.status().message();
  }
  EXPECT_EQ(directory.sequences(), (std::vector<std::uint64_t>{3, 4, 5}));
  auto latest = directory.read_latest(problems);
  ASSERT_TRUE(latest && latest->has_value());
  EXPECT_EQ((*latest)->payload, "state 5");
  EXPECT_EQ((*latest)->sequence, 5u);
  EXPECT_TRUE(problems.empty());
  // Reopened (a restart), it goes on numbering after the newest file.
  CheckpointDirectory reopened = open(3);
  ASSERT_TRUE(reopened.write("state 6"));
  EXPECT_EQ(reopened.sequences(), (std::vector<std::uint64_t>{4, 5, 6}));
}

TEST_F(CheckpointDirectoryTest, AFlippedByteOrATruncatedFileFallsBackToThePreviousCheckpoint) {
  CheckpointDirectory directory = open(4);
  std::string big(10'000, 'x');
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(directory.write(big + std::to_string(i)));
  const std::vector<std::uint64_t> sequences = directory.sequences();
  ASSERT_EQ(sequences.size(), 3u);
  std::vector<std::string> problems;
  auto latest = directory.read_latest(problems);
  ASSERT_TRUE(latest && latest->has_value());
  const std::string newest = (*latest)->path;

  // Truncated (a disk full, a copy cut short): the previous one is used.
  std::string bytes = read_file(newest);
  write_file(newest, bytes.substr(0, bytes.size() - 100));
  latest = directory.read_latest(problems);
  ASSERT_TRUE(latest && latest->has_value());
  EXPECT_EQ((*latest)->payload, big + "2");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("truncated"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find(newest), std::string::npos) << problems[0];
  EXPECT_TRUE(fs::exists(newest + ".corrupt"));

  // One flipped byte in the payload of the next one: the checksum catches it.
  const std::string second = (*latest)->path;
  bytes = read_file(second);
  bytes[CheckpointDirectory::kHeaderSize + 5000] ^= 0x10;
  write_file(second, bytes);
  problems.clear();
  latest = directory.read_latest(problems);
  ASSERT_TRUE(latest && latest->has_value());
  EXPECT_EQ((*latest)->payload, big + "1");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("checksum mismatch"), std::string::npos) << problems[0];

  // The next checkpoint is numbered after the corrupt ones, which never count as kept.
  auto written = directory.write("after");
  ASSERT_TRUE(written);
  EXPECT_EQ(directory.sequences(), (std::vector<std::uint64_t>{1, 2}));
  problems.clear();
  latest = directory.read_latest(problems);
  EXPECT_EQ((*latest)->payload, "after");
}

TEST_F(CheckpointDirectoryTest, EveryTruncationAndEveryFlippedBitIsDetected) {
  const std::string payload = "weights 0.25 -1.5; offsets 17 42";
  const std::string file = CheckpointDirectory::encode(payload);
  auto decoded = CheckpointDirectory::decode(file);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, payload);
  for (std::size_t size = 0; size < file.size(); ++size)
    EXPECT_FALSE(CheckpointDirectory::decode(file.substr(0, size))) << size;
  for (std::size_t byte = 0; byte < file.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = file;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      EXPECT_FALSE(CheckpointDirectory::decode(flipped)) << byte << ":" << bit;
    }
  }
  EXPECT_FALSE(CheckpointDirectory::decode(file + "x"));  // appended garbage
}

TEST_F(CheckpointDirectoryTest, ATemporaryFileLeftByACrashIsRemovedAndNeverRead) {
  CheckpointDirectory directory = open();
  ASSERT_TRUE(directory.write("complete"));
  const std::string partial = path_ + "/checkpoint-00000000000000000002.slck.tmp";
  write_file(partial, "SLCKPT\r\n half");
  CheckpointDirectory reopened = open();
  EXPECT_FALSE(fs::exists(partial));
  std::vector<std::string> problems;
  auto latest = reopened.read_latest(problems);
  ASSERT_TRUE(latest && latest->has_value());
  EXPECT_EQ((*latest)->payload, "complete");
  EXPECT_TRUE(problems.empty());
}

TEST_F(CheckpointDirectoryTest, BadSettingsAreClearErrors) {
  auto one = CheckpointDirectory::open({.path = path_, .keep = 1});
  ASSERT_FALSE(one);
  EXPECT_NE(one.status().message().find("keep at least 2"), std::string::npos);
  write_file(path_ + "-file", "not a directory");
  auto file = CheckpointDirectory::open({.path = path_ + "-file"});
  ASSERT_FALSE(file);
  EXPECT_NE(file.status().message().find("cannot create it"), std::string::npos)
      << file.status().message();
}

}  // namespace
}  // namespace streamlearn::connectors
