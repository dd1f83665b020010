#include "monitors/windows/paned_window.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/core/corrupted_states.h"

namespace streamlearn::monitors {
namespace {

// A sum of the values placed: enough to see which events each window covers.
struct Sum {
  double total = 0;
  void clear() { total = 0; }
  void merge(const Sum& other) { total += other.total; }
  void save(core::StateWriter& out) const { out.write(total); }
  core::Status load(core::StateReader& in) {
    in.read(total);
    return in.status("sum");
  }
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


std::string saved(const PanedWindow<Sum>& window) {
  core::StateWriter out;
  window.save(out);
  return out.bytes();
}

TEST(PanedWindowTest, RestoredWindowHandsOverTheSameWindows) {
  // By count and by event time (with gaps and late events): the window restored at any point
  // closes the same windows with the same sums and bounds as the one that ran on.
  for (const bool by_time : {false, true}) {
    const WindowLength size = by_time ? WindowLength::milliseconds(40) : WindowLength::events(4);
    const WindowLength step = by_time ? WindowLength::milliseconds(10) : WindowLength::events(1);
    // Out of order by a few ms, every 11th event 60 ms late (older than the panes kept), and a
    // gap of 200 ms at 30.
    const auto time_of = [](std::uint64_t i) {
      return static_cast<std::int64_t>(i * 3 + (i % 7 == 0 ? 0 : 5) + (i >= 30 ? 200 : 0)) -
             (i % 11 == 5 ? 60 : 0);
    };
    for (std::uint64_t cut = 0; cut < 60; ++cut) {
      SCOPED_TRACE(std::to_string(by_time) + ", cut at " + std::to_string(cut));
      PanedWindow<Sum> original(size, step, Sum{});
      Recorder first(original);
      for (std::uint64_t i = 0; i < cut; ++i) first.observe(static_cast<double>(i), i, time_of(i));
      PanedWindow<Sum> restored(size, step, Sum{});
      const std::string state = saved(original);
      core::StateReader in(state);
      ASSERT_TRUE(restored.load(in).is_ok());
      EXPECT_EQ(saved(restored), state);
      Recorder ran_on(original), resumed(restored);
      for (std::uint64_t i = cut; i < 60; ++i) {
        ran_on.observe(static_cast<double>(i), i, time_of(i));
        resumed.observe(static_cast<double>(i), i, time_of(i));
      }
      ASSERT_EQ(resumed.closed.size(), ran_on.closed.size());
      for (std::size_t w = 0; w < ran_on.closed.size(); ++w) {
        EXPECT_EQ(resumed.closed[w].total, ran_on.closed[w].total);
        EXPECT_EQ(resumed.closed[w].bounds.first_event, ran_on.closed[w].bounds.first_event);
        EXPECT_EQ(resumed.closed[w].bounds.count, ran_on.closed[w].bounds.count);
      }
      EXPECT_EQ(restored.late(), original.late());
      if (by_time) {
        EXPECT_GT(original.late(), 0u);
      }
      EXPECT_EQ(saved(restored), saved(original));
    }
  }
}

TEST(PanedWindowTest, LoadRefusesAnotherShapeAndCorruptPositions) {
  PanedWindow<Sum> original(WindowLength::milliseconds(40), WindowLength::milliseconds(10), Sum{});
  Recorder recorder(original);
  for (std::uint64_t i = 0; i < 20; ++i) recorder.observe(1, i, static_cast<std::int64_t>(i * 7));
  const std::string state = saved(original);
  PanedWindow<Sum> other(WindowLength::milliseconds(60), WindowLength::milliseconds(10), Sum{});
  core::StateReader in(state);
  EXPECT_NE(other.load(in).message().find("has 4 panes, this one 6"), std::string::npos);
  testing::for_each_corrupted_state(state, 6, 300, [](const std::string& bytes) {
    PanedWindow<Sum> window(WindowLength::milliseconds(40), WindowLength::milliseconds(10), Sum{});
    core::StateReader corrupt(bytes);
    if (!window.load(corrupt).is_ok()) return;
    Recorder resumed(window);
    for (std::uint64_t i = 20; i < 40; ++i) resumed.observe(1, i, static_cast<std::int64_t>(i * 7));
  });
}

}  // namespace
}  // namespace streamlearn::monitors
