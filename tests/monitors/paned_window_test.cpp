#include "monitors/windows/paned_window.h"

#include <gtest/gtest.h>

#include <vector>

namespace streamlearn::monitors {
namespace {

// A sum of the values placed: enough to see which events each window covers.
struct Sum {
  double total = 0;
  void clear() { total = 0; }
  void merge(const Sum& other) { total += other.total; }
};

struct Closed {
  double total;
  WindowBounds bounds;
};

class Recorder {
 public:
  explicit Recorder(PanedWindow<Sum>& window) : window_(window) {}
  void observe(double x, std::uint64_t position, std::int64_t time_ms = WindowBounds::kNoTime) {
    window_.observe(
        position, time_ms, [&](Sum& pane) { pane.total += x; },
        [&](const Sum& sum, const WindowBounds& bounds) { closed.push_back({sum.total, bounds}); });
  }
  std::vector<Closed> closed;

 private:
  PanedWindow<Sum>& window_;
};

TEST(PanedWindowTest, TumblingCountWindowHandsOverEveryBlock) {
  PanedWindow<Sum> window(WindowLength::events(3), WindowLength::events(3), Sum{});
  Recorder recorder(window);
  for (std::uint64_t i = 0; i < 10; ++i) recorder.observe(static_cast<double>(i), i);
  ASSERT_EQ(recorder.closed.size(), 3u);
  EXPECT_EQ(recorder.closed[0].total, 0 + 1 + 2);
  EXPECT_EQ(recorder.closed[1].total, 3 + 4 + 5);
  EXPECT_EQ(recorder.closed[2].total, 6 + 7 + 8);
  EXPECT_EQ(recorder.closed[2].bounds.first_event, 6u);
  EXPECT_EQ(recorder.closed[2].bounds.last_event, 8u);
  EXPECT_EQ(recorder.closed[2].bounds.count, 3u);
}

TEST(PanedWindowTest, SlidingCountWindowCoversTheLastSizeEventsEveryStep) {
  PanedWindow<Sum> window(WindowLength::events(4), WindowLength::events(2), Sum{});
  Recorder recorder(window);
  for (std::uint64_t i = 0; i < 8; ++i) recorder.observe(static_cast<double>(i), i);
  // Windows end after events 3, 5 and 7 (the first needs two whole panes).
  ASSERT_EQ(recorder.closed.size(), 3u);
  EXPECT_EQ(recorder.closed[0].total, 0 + 1 + 2 + 3);
  EXPECT_EQ(recorder.closed[1].total, 2 + 3 + 4 + 5);
  EXPECT_EQ(recorder.closed[2].total, 4 + 5 + 6 + 7);
  EXPECT_EQ(recorder.closed[2].bounds.first_event, 4u);
  EXPECT_EQ(recorder.closed[2].bounds.count, 4u);
}

TEST(PanedWindowTest, TimeWindowsAlignToTheEpochAndCloseOnALaterEvent) {
  PanedWindow<Sum> window(WindowLength::milliseconds(1000), WindowLength::milliseconds(1000),
                          Sum{});
  Recorder recorder(window);
  recorder.observe(1, 0, 1500);  // pane [1000, 2000)
  recorder.observe(2, 1, 1999);
  EXPECT_TRUE(recorder.closed.empty());
  recorder.observe(4, 2, 2000);  // closes [1000, 2000) before being placed
  ASSERT_EQ(recorder.closed.size(), 1u);
  EXPECT_EQ(recorder.closed[0].total, 3);
  EXPECT_EQ(recorder.closed[0].bounds.start_time_ms, 1500);
  EXPECT_EQ(recorder.closed[0].bounds.end_time_ms, 1999);
  recorder.observe(8, 3, 5500);  // a gap: closes [2000, 3000) only
  ASSERT_EQ(recorder.closed.size(), 2u);
  EXPECT_EQ(recorder.closed[1].total, 4);
}

TEST(PanedWindowTest, SlidingTimeWindowTakesLateEventsIntoKeptPanesOnly) {
  PanedWindow<Sum> window(WindowLength::milliseconds(3000), WindowLength::milliseconds(1000),
                          Sum{});
  Recorder recorder(window);
  recorder.observe(1, 0, 0);
  recorder.observe(2, 1, 1000);
  recorder.observe(4, 2, 2000);
  recorder.observe(8, 3, 500);     // out of order, pane [0, 1000) is still kept
  recorder.observe(16, 4, 3000);   // closes the window [0, 3000)
  ASSERT_EQ(recorder.closed.size(), 1u);
  EXPECT_EQ(recorder.closed[0].total, 1 + 2 + 4 + 8);
  recorder.observe(32, 5, 999);    // older than the oldest kept pane [1000, 2000): late
  EXPECT_EQ(window.late(), 1u);
  recorder.observe(64, 6, 4000);   // closes [1000, 4000)
  ASSERT_EQ(recorder.closed.size(), 2u);
  EXPECT_EQ(recorder.closed[1].total, 2 + 4 + 16);
}

TEST(PanedWindowTest, EventsWithoutTimeAreCountedNotPlacedInTimeWindows) {
  PanedWindow<Sum> window(WindowLength::milliseconds(10), WindowLength::milliseconds(10), Sum{});
  Recorder recorder(window);
  recorder.observe(1, 0, 5);
  recorder.observe(100, 1);
  recorder.observe(1, 2, 15);
  EXPECT_EQ(window.untimed(), 1u);
  ASSERT_EQ(recorder.closed.size(), 1u);
  EXPECT_EQ(recorder.closed[0].total, 1);
}

TEST(PanedWindowTest, ResetStartsOver) {
  PanedWindow<Sum> window(WindowLength::events(2), WindowLength::events(1), Sum{});
  Recorder recorder(window);
  recorder.observe(1, 0);
  window.reset();
  recorder.observe(2, 1);
  EXPECT_TRUE(recorder.closed.empty());  // one pane since the reset, the window needs two
  recorder.observe(4, 2);
  ASSERT_EQ(recorder.closed.size(), 1u);
  EXPECT_EQ(recorder.closed[0].total, 6);
}

}  // namespace
}  // namespace streamlearn::monitors
