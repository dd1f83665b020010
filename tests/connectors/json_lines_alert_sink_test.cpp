#include "connectors/alerts/json_lines_alert_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"

namespace streamlearn::connectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

monitors::Alert make_alert(int sequence, int num_evidence = 2) {
  monitors::Alert alert;
  alert.id = "fraud/psi_amount/" + std::to_string(sequence);
  alert.event_time_ms = 1'795'000'000'000 + sequence;
  alert.wall_time_ms = 1'795'000'000'500 + sequence;
  alert.pipeline = "fraud";
  alert.monitor = "psi_amount";
  alert.feature = "amount";
  alert.statistic = "psi";
  alert.value = 0.31 + sequence;
  alert.threshold = 0.2;
  alert.current = {100, 199, 100, monitors::Alert::kNoTime, monitors::Alert::kNoTime};
  for (int i = 0; i < num_evidence; ++i)
    alert.evidence.emplace_back("statistic_" + std::to_string(i), 0.001 * i);
  return alert;
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::unique_ptr<JsonLinesAlertSink> open_sink(const std::filesystem::path& path) {
  core::Result<std::unique_ptr<JsonLinesAlertSink>> sink = JsonLinesAlertSink::open(path);
  EXPECT_TRUE(sink.is_ok()) << sink.status().message();
  return sink.is_ok() ? std::move(sink).value() : nullptr;
}

TEST(JsonLinesAlertSinkTest, WritesEachAlertAsOneJsonLine) {
  const std::filesystem::path path = testing::scratch_dir() / "alerts.jsonl";
  auto log = JsonLinesAlertSink::open(path);
  ASSERT_TRUE(log) << log.status().message();
  (*log)->publish(make_alert(1));
  (*log)->publish(make_alert(2));
  ASSERT_TRUE((*log)->flush().is_ok());

  EXPECT_THAT(read_lines(path),
              ElementsAre(monitors::to_json(make_alert(1)), monitors::to_json(make_alert(2))));
  EXPECT_EQ((*log)->written(), 2u);
  EXPECT_EQ((*log)->write_errors(), 0u);
  EXPECT_EQ((*log)->destination(), path.string());
}

TEST(JsonLinesAlertSinkTest, AppendsToAnExistingLogAndCreatesAMissingOne) {
  const std::filesystem::path path = testing::scratch_dir() / "alerts.jsonl";
  ASSERT_FALSE(std::filesystem::exists(path));
  open_sink(path)->publish(make_alert(1));
  open_sink(path)->publish(make_alert(2));

  EXPECT_THAT(read_lines(path),
              ElementsAre(monitors::to_json(make_alert(1)), monitors::to_json(make_alert(2))));
}

TEST(JsonLinesAlertSinkTest, LinesReachTheFileBeforeFlush) {
  const std::filesystem::path path = testing::scratch_dir() / "alerts.jsonl";
  std::unique_ptr<JsonLinesAlertSink> log = open_sink(path);
  log->publish(make_alert(1));

  // Another reader sees the line at once: nothing waits in a stdio buffer for a crash to lose.
  EXPECT_THAT(read_lines(path), ElementsAre(monitors::to_json(make_alert(1))));
}

TEST(JsonLinesAlertSinkTest, OpenErrorNamesThePathAndWhatToDo) {
  const std::filesystem::path path = testing::scratch_dir() / "missing-folder" / "alerts.jsonl";
  core::Result<std::unique_ptr<JsonLinesAlertSink>> log = JsonLinesAlertSink::open(path);
  ASSERT_FALSE(log.is_ok());
  EXPECT_THAT(log.status().message(), HasSubstr(path.string()));
  EXPECT_THAT(log.status().message(), HasSubstr("No such file or directory"));
  EXPECT_THAT(log.status().message(), HasSubstr("check that its folder exists"));
}

TEST(JsonLinesAlertSinkTest, WritesToAStreamTheCallerOwns) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* stream = open_memstream(&buffer, &size);
  ASSERT_NE(stream, nullptr);
  {
    JsonLinesAlertSink sink(stream);
    sink.publish(make_alert(7));
    ASSERT_TRUE(sink.flush().is_ok());
    EXPECT_EQ(std::string(buffer, size), monitors::to_json(make_alert(7)) + "\n");
    EXPECT_EQ(sink.destination(), "stream");
  }
  // The sink left the stream open for its owner.
  EXPECT_EQ(std::fputs("more", stream), 1);
  ASSERT_EQ(std::fclose(stream), 0);
  std::free(buffer);
  EXPECT_EQ(JsonLinesAlertSink(stdout).destination(), "stdout");
}

TEST(JsonLinesAlertSinkTest, ConcurrentAppendersNeverInterleaveLines) {
  // Two sinks on one file stand for two processes appending to one alert log; two threads share
  // each sink. Lines of a few kilobytes cross any stdio buffer boundary.
  const std::filesystem::path path = testing::scratch_dir() / "alerts.jsonl";
  std::unique_ptr<JsonLinesAlertSink> first = open_sink(path);
  std::unique_ptr<JsonLinesAlertSink> second = open_sink(path);
  constexpr int kPerThread = 200;
  std::set<std::string> expected;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    for (int i = 0; i < kPerThread; ++i)
      expected.insert(monitors::to_json(make_alert(thread * kPerThread + i, 250)));
    JsonLinesAlertSink* sink = thread % 2 == 0 ? first.get() : second.get();
    threads.emplace_back([sink, thread] {
      for (int i = 0; i < kPerThread; ++i) sink->publish(make_alert(thread * kPerThread + i, 250));
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(first->flush().is_ok());
  ASSERT_TRUE(second->flush().is_ok());

  const std::vector<std::string> lines = read_lines(path);
  ASSERT_EQ(lines.size(), expected.size());
  EXPECT_GT(lines.front().size(), 4096u);
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()), expected);
}

TEST(JsonLinesAlertSinkTest, CountsAWriteErrorAndFlushReportsIt) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  std::unique_ptr<JsonLinesAlertSink> log = open_sink("/dev/full");
  ASSERT_NE(log, nullptr);
  EXPECT_FALSE(log->write_line(monitors::to_json(make_alert(1))));
  log->publish(make_alert(2));

  EXPECT_EQ(log->written(), 0u);
  EXPECT_EQ(log->write_errors(), 2u);
  const core::Status status = log->flush();
  ASSERT_FALSE(status.is_ok());
  EXPECT_THAT(status.message(), HasSubstr("/dev/full"));
  EXPECT_THAT(status.message(), HasSubstr("No space left on device"));
  EXPECT_TRUE(log->flush().is_ok()) << "an error is reported once";
}

}  // namespace
}  // namespace streamlearn::connectors
