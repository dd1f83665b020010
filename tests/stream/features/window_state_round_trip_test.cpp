// FeatureStage::save / load: the state of every window kind, for every aggregate, with and without
// ttl and max_keys, survives a checkpoint bit for bit. Random streams with many keys, events out
// of order, late, untimed and without their `by` fields, and labels known some events later run to
// a random cut; the state saved there is loaded into a freshly built stage, and both stages go on
// with the rest of the stream: every feature vector must be identical (the doubles' bits, and a
// missing feature missing in both), and so must the counters and the bytes each saves at the end.
// Truncated and corrupted state must fail cleanly or load into a usable state (this file runs
// under the ASan+UBSan build too), and state saved from one window does not load into another.

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/feature_space.h"
#include "core/state_io.h"
#include "stream/features/feature_stage.h"

namespace streamlearn::stream::features {
namespace {

constexpr const char* kAggregates =
    "[count(), count(merchant), sum(amount), mean(amount), var(amount), std(amount, ddof=0), "
    "min(amount), max(amount), first(amount), last(amount), nunique(merchant), nunique(amount), "
    "quantile(amount, q=0.9)]";
constexpr const char* kHows[] = {
    "count", "sum",     "mean",           "var", "std", "min", "max", "first",
    "last",  "nunique", "quantile(q=0.9)"};
struct Kind {
  const char* parameters;
  bool timed;
};
constexpr Kind kKinds[] = {
    {"size=5s, out_of_order=2s, lateness=1s", true},  // tumbling
    {"size=9s, step=3s, out_of_order=1s", true},      // hopping
    {"gap=4s, out_of_order=2s, lateness=1s", true},   // session
    {"events=5", false},                              // count
    {"", false},                                      // unbounded
};
// The bounds on keys; the last also rejects late events (time windows only).
constexpr const char* kBounds[] = {"", "ttl=15s", "max_keys=7", "ttl=8s, max_keys=12"};

std::string join(std::initializer_list<std::string> parts) {
  std::string text;
  for (const std::string& part : parts)
    if (!part.empty()) text += (text.empty() ? "" : ", ") + part;
  return text;
}

// The window steps of one case: for window(), one keyed by a categorical field with every
// aggregate, one by a categorical and a numeric field, one by the event's key; for target_agg, one
// step per aggregate of the label, and one global.
std::string windows_of(bool of_target, const std::string& kind, const std::string& bounds) {
  std::string steps;
  if (of_target) {
    for (const char* how : kHows)
      steps += "target_agg(" + join({"by=user", "how=" + std::string(how), kind, bounds}) + ") | ";
    steps += "target_agg(" + join({kind, bounds, "name=everyone"}) + ") | ";
  } else {
    steps +=
        "window(" + join({"by=user", kind, bounds, std::string("agg=") + kAggregates}) + ") | ";
    steps += "window(" + join({"by=[user, device]", kind, bounds, "agg=[count(), last(amount)]"}) +
             ") | ";
    steps +=
        "window(" + join({kind, bounds, "name=k", "agg=[sum(amount), nunique(merchant)]"}) + ") | ";
  }
  return steps;
}

std::vector<WindowSpec> specs_of(const std::string& steps) {
  auto split = FeatureStage::split(steps + "logistic_regression");
  EXPECT_TRUE(split.is_ok()) << split.status().message();
  return split.is_ok() ? split->windows : std::vector<WindowSpec>{};
}

// One event as the generator draws it, before its names are interned in a FeatureSpace.
struct RawEvent {
  std::string key;
  std::int64_t time_ms = Event::kNoTime;
  std::optional<std::string> user;
  std::optional<double> device;
  std::optional<double> amount;
  std::optional<std::string> merchant;
  core::Target label;
  std::uint64_t label_delay = 0;  // events after this one before the label is known
};

std::vector<RawEvent> random_stream(std::mt19937_64& rng, std::size_t num_events,
                                    std::size_t num_keys, bool class_labels) {
  std::vector<RawEvent> stream;
  std::int64_t clock = 1'700'000'000'000 + static_cast<std::int64_t>(rng() % 100'000);
  for (std::size_t i = 0; i < num_events; ++i) {
    RawEvent event;
    clock += static_cast<std::int64_t>(rng() % 800);
    event.key = "k" + std::to_string(rng() % num_keys);
    if (rng() % 33 != 0) {
      event.time_ms = clock;
      if (rng() % 4 == 0) event.time_ms -= static_cast<std::int64_t>(rng() % 9000);  // out of order
    }
    if (rng() % 20 != 0) event.user = "u" + std::to_string(rng() % num_keys);
    if (rng() % 10 != 0) event.device = static_cast<double>(rng() % 3) + 0.5;
    if (rng() % 10 != 0) event.amount = static_cast<double>(rng() % 100'000) / 7.0 - 3000.0;
    if (rng() % 5 != 0) event.merchant = "m" + std::to_string(rng() % (i % 2 ? 8 : 90));
    if (rng() % 10 != 0)
      event.label = class_labels ? core::Target::of_class(static_cast<core::ClassId>(rng() % 2))
                                 : core::Target::of_value(static_cast<double>(rng() % 1000) / 3.0);
    event.label_delay = rng() % 30;
    stream.push_back(std::move(event));
  }
  return stream;
}

// A stage on its own FeatureSpace with the labels it waits for, driven through a stream. Two runs
// fed the same events intern the same names in the same order, so their feature ids agree.
class StageRun {
 public:
  explicit StageRun(const std::string& steps) : stage_(specs_of(steps), space_) {}

  struct Applied {
    bool rejected = false;
    core::FeatureVector features;
  };
  // Learns the labels due by `arrival`, then applies the event (or only interns its names).
  Applied step(const RawEvent& raw, std::uint64_t arrival, bool apply = true) {
    Event event = make_event(raw);
    Applied applied;
    if (!apply) return applied;
    for (auto due = pending_.begin(); due != pending_.end() && due->first <= arrival;
         due = pending_.erase(due))
      stage_.learn_label(due->second.x, due->second.time_ms, due->second.y);
    applied.rejected = stage_.apply(event).has_value();
    if (!applied.rejected && raw.label.has_value())
      pending_.emplace(arrival + raw.label_delay,
                       Pending{event.features, event.event_time_ms, raw.label});
    applied.features = std::move(event.features);
    return applied;
  }

  FeatureStage& stage() { return stage_; }
  std::string save() const {
    core::StateWriter out;
    stage_.save(out);
    return out.bytes();
  }
  core::Status load(std::string_view bytes) {
    core::StateReader in(bytes);
    return stage_.load(in);
  }
  // The labels still to come, as the pipeline's own checkpoint would restore them.
  void take_pending_of(const StageRun& other) { pending_ = other.pending_; }

 private:
  struct Pending {
    core::FeatureVector x;
    std::int64_t time_ms;
    core::Target y;
  };

  Event make_event(const RawEvent& raw) {
    Event event;
    event.key = raw.key;
    event.event_time_ms = raw.time_ms;
    const auto add_category = [&](std::string_view field, const std::string& text) {
      const core::FeatureId id = space_.feature(field);
      const core::SymbolId value = space_.value(text);
      event.features.add_categorical(id, value, space_.indicator(id, value));
    };
    if (raw.user) add_category("user", *raw.user);
    if (raw.device) event.features.add_numeric(space_.feature("device"), *raw.device);
    if (raw.amount) event.features.add_numeric(space_.feature("amount"), *raw.amount);
    if (raw.merchant) add_category("merchant", *raw.merchant);
    return event;
  }

  core::FeatureSpace space_;
  FeatureStage stage_;
  std::multimap<std::uint64_t, Pending> pending_;  // by the arrival its label is known at
};

void expect_identical(const StageRun::Applied& original, const StageRun::Applied& restored,
                      const std::string& where) {
  ASSERT_EQ(original.rejected, restored.rejected) << where;
  const auto& a = original.features.numeric();
  const auto& b = restored.features.numeric();
  ASSERT_EQ(a.size(), b.size()) << where << "a different number of features";
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].id, b[i].id) << where << "feature " << i;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(a[i].value), std::bit_cast<std::uint64_t>(b[i].value))
        << where << "feature " << i << ": " << a[i].value << " vs " << b[i].value;
  }
}

// Totals over every run, to check that the streams do exercise what a checkpoint must carry.
struct Coverage {
  std::uint64_t late = 0, untimed = 0, keyless = 0, labels = 0, late_labels = 0, closed = 0,
                expired = 0, evicted = 0, keys_at_cut = 0;
};

void expect_equal_counters(FeatureStage& original, FeatureStage& restored, const std::string& where,
                           Coverage* coverage = nullptr) {
  ASSERT_EQ(original.windows().size(), restored.windows().size());
  for (std::size_t w = 0; w < original.windows().size(); ++w) {
    const WindowOperator::Counters a = original.windows()[w].counters();
    const WindowOperator::Counters b = restored.windows()[w].counters();
    const std::string window = where + original.windows()[w].spec().expression() + ": ";
    EXPECT_EQ(a.events, b.events) << window << "events";
    EXPECT_EQ(a.late, b.late) << window << "late";
    EXPECT_EQ(a.untimed, b.untimed) << window << "untimed";
    EXPECT_EQ(a.keyless, b.keyless) << window << "keyless";
    EXPECT_EQ(a.labels, b.labels) << window << "labels";
    EXPECT_EQ(a.late_labels, b.late_labels) << window << "late_labels";
    EXPECT_EQ(a.keys.closed, b.keys.closed) << window << "closed";
    EXPECT_EQ(a.keys.expired, b.keys.expired) << window << "expired";
    EXPECT_EQ(a.keys.evicted, b.keys.evicted) << window << "evicted";
    EXPECT_EQ(original.windows()[w].num_keys(), restored.windows()[w].num_keys()) << window;
    EXPECT_EQ(original.windows()[w].watermark_ms(), restored.windows()[w].watermark_ms()) << window;
    if (coverage) {
      coverage->late += a.late;
      coverage->untimed += a.untimed;
      coverage->keyless += a.keyless;
      coverage->labels += a.labels;
      coverage->late_labels += a.late_labels;
      coverage->closed += a.keys.closed;
      coverage->expired += a.keys.expired;
      coverage->evicted += a.keys.evicted;
    }
  }
}

// Runs `steps` over a random stream with checkpoints at random cuts: at each, the state is saved
// and loaded into a freshly built stage, which must then go on exactly as the original does until
// the next cut (where their states must save to the same bytes) or the end.
void check_round_trip(const std::string& steps, std::mt19937_64& rng, bool class_labels,
                      Coverage& coverage) {
  const std::size_t num_keys = rng() % 2 ? 2 + rng() % 5 : 10 + rng() % 50;
  const std::vector<RawEvent> stream = random_stream(rng, 1200, num_keys, class_labels);
  std::vector<std::size_t> cuts;
  for (int k = 0; k < 4; ++k) cuts.push_back(rng() % stream.size());
  std::sort(cuts.begin(), cuts.end());
  cuts.push_back(stream.size());
  StageRun original(steps);
  for (std::size_t i = 0; i < cuts[0]; ++i) original.step(stream[i], i);
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const std::string where = steps + " cut at " + std::to_string(cuts[k]) + ": ";
    StageRun restored(steps);
    for (std::size_t i = 0; i < cuts[k]; ++i) restored.step(stream[i], i, /*apply=*/false);
    const std::string checkpoint = original.save();
    const core::Status loaded = restored.load(checkpoint);
    ASSERT_TRUE(loaded.is_ok()) << where << loaded.message();
    restored.take_pending_of(original);
    ASSERT_EQ(restored.save(), checkpoint) << where << "saving the restored stage";
    for (const WindowOperator& window : original.stage().windows())
      coverage.keys_at_cut += window.num_keys();
    expect_equal_counters(original.stage(), restored.stage(), where);
    for (std::size_t i = cuts[k]; i < cuts[k + 1]; ++i) {
      const StageRun::Applied a = original.step(stream[i], i);
      const StageRun::Applied b = restored.step(stream[i], i);
      expect_identical(a, b, where + "event " + std::to_string(i) + ": ");
      if (::testing::Test::HasFatalFailure()) return;
    }
    const std::string until = where + "until " + std::to_string(cuts[k + 1]) + ": ";
    expect_equal_counters(original.stage(), restored.stage(), until,
                          k + 2 == cuts.size() ? &coverage : nullptr);
    EXPECT_EQ(original.save(), restored.save()) << until << "the states differ";
  }
}

TEST(WindowStateRoundTripTest, EveryWindowKindAndAggregateGoesOnIdenticallyAfterACheckpoint) {
  std::mt19937_64 rng(20261122);
  Coverage coverage;
  std::size_t runs = 0;
  for (const bool of_target : {false, true})
    for (const Kind& kind : kKinds)
      for (const char* bounds : kBounds)
        for (int repetition = 0; repetition < 3; ++repetition) {
          const bool dead_letter = kind.timed && bounds == kBounds[3];
          const std::string steps = windows_of(
              of_target, kind.parameters, join({bounds, dead_letter ? "late=dead_letter" : ""}));
          check_round_trip(steps, rng, repetition == 1, coverage);
          if (HasFailure()) return;
          ++runs;
        }
  EXPECT_EQ(runs, 2u * 5 * 4 * 3);
  // The streams do exercise every piece of state a checkpoint carries.
  EXPECT_GT(coverage.keys_at_cut, 5000u);
  EXPECT_GT(coverage.late, 10'000u);
  EXPECT_GT(coverage.untimed, 5000u);
  EXPECT_GT(coverage.keyless, 10'000u);
  EXPECT_GT(coverage.labels, 100'000u);
  EXPECT_GT(coverage.late_labels, 50'000u);
  EXPECT_GT(coverage.closed, 20'000u);
  EXPECT_GT(coverage.expired, 10'000u);
  EXPECT_GT(coverage.evicted, 10'000u);
}

// A stage with a window of every kind and a few aggregates, small enough to truncate everywhere.
constexpr const char* kMixedSteps =
    "window(by=user, size=5s, out_of_order=2s, lateness=1s, ttl=6s, agg=[count(), mean(amount), "
    "nunique(merchant), quantile(amount)]) | "
    "window(by=user, size=6s, step=2s, max_keys=5, agg=[var(amount), first(amount)]) | "
    "window(by=user, gap=3s, out_of_order=1s, agg=[sum(amount), max(amount)]) | "
    "window(by=[user, device], events=4, max_keys=6, agg=[count(merchant), std(amount), "
    "min(amount), nunique(amount)]) | "
    "window(ttl=10s, agg=[last(amount), count()]) | "
    "target_agg(by=user, how=mean, size=4s) | ";

struct Checkpoint {
  std::vector<RawEvent> stream;
  std::size_t cut;
  std::string bytes;
  std::string empty_bytes;  // what a fresh stage saves
};

Checkpoint mixed_checkpoint() {
  std::mt19937_64 rng(7);
  Checkpoint checkpoint{random_stream(rng, 400, 6, false), 300, {}, {}};
  StageRun run(kMixedSteps);
  checkpoint.empty_bytes = run.save();
  for (std::size_t i = 0; i < checkpoint.cut; ++i) run.step(checkpoint.stream[i], i);
  checkpoint.bytes = run.save();
  return checkpoint;
}

// A fresh run on which the stream has been interned up to the cut.
std::unique_ptr<StageRun> fresh_run(const Checkpoint& checkpoint) {
  auto run = std::make_unique<StageRun>(kMixedSteps);
  for (std::size_t i = 0; i < checkpoint.cut; ++i) run->step(checkpoint.stream[i], i, false);
  return run;
}

TEST(WindowStateRoundTripTest, EveryTruncationFailsAndLeavesTheStageUnchanged) {
  const Checkpoint checkpoint = mixed_checkpoint();
  ASSERT_GT(checkpoint.bytes.size(), 2000u);
  std::unique_ptr<StageRun> run = fresh_run(checkpoint);
  for (std::size_t size = 0; size < checkpoint.bytes.size(); ++size) {
    const core::Status status = run->load(std::string_view(checkpoint.bytes).substr(0, size));
    ASSERT_FALSE(status.is_ok()) << "loaded the first " << size << " bytes";
    ASSERT_FALSE(status.message().empty());
  }
  EXPECT_EQ(run->save(), checkpoint.empty_bytes);
  ASSERT_TRUE(run->load(checkpoint.bytes).is_ok());
  EXPECT_EQ(run->save(), checkpoint.bytes);
}

TEST(WindowStateRoundTripTest, CorruptBytesFailOrLoadAStateThatKeepsWorking) {
  const Checkpoint checkpoint = mixed_checkpoint();
  std::mt19937_64 rng(99);
  std::size_t failed = 0, loaded = 0;
  std::unique_ptr<StageRun> run = fresh_run(checkpoint);
  for (int flip = 0; flip < 3000; ++flip) {
    std::string bytes = checkpoint.bytes;
    const std::size_t position = rng() % bytes.size();
    bytes[position] = static_cast<char>(bytes[position] ^ static_cast<char>(1 + rng() % 255));
    if (!run->load(bytes).is_ok()) {
      ++failed;
      continue;
    }
    ++loaded;
    // Whatever loaded must keep working: the rest of the stream, and another save and load.
    for (std::size_t i = checkpoint.cut; i < checkpoint.stream.size(); ++i)
      run->step(checkpoint.stream[i], i);
    const std::string again = run->save();
    std::unique_ptr<StageRun> reloaded = fresh_run(checkpoint);
    EXPECT_TRUE(reloaded->load(again).is_ok()) << "flip at byte " << position;
    run = fresh_run(checkpoint);
  }
  EXPECT_EQ(run->save(), checkpoint.empty_bytes);  // failed loads changed nothing
  EXPECT_GT(failed, 300u);
  EXPECT_GT(loaded, 300u);
}

// Replaces the n-th occurrence of a saved 64-bit time in `bytes`.
std::string with_time_replaced(std::string bytes, std::int64_t time_ms, int n,
                               std::int64_t replacement) {
  const std::string pattern(reinterpret_cast<const char*>(&time_ms), sizeof(time_ms));
  std::size_t at = bytes.find(pattern);
  for (int i = 0; i < n && at != std::string::npos; ++i) at = bytes.find(pattern, at + 1);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) std::memcpy(bytes.data() + at, &replacement, sizeof(replacement));
  return bytes;
}

TEST(WindowStateRoundTripTest, TimesWhoseWindowArithmeticWouldOverflowAreRefused) {
  // No stream can produce these times (the windows' own arithmetic would overflow on them), so a
  // state holding them is corrupt; loading it must fail rather than overflow later.
  const std::string steps = "window(by=user, gap=1m, out_of_order=1s, agg=[count()]) | ";
  const std::int64_t time_ms = 1'234'567'890'123;
  StageRun run(steps);
  run.step(RawEvent{"k", time_ms, "alice", std::nullopt, 2.0, std::nullopt, {}, 0}, 0);
  const std::string bytes = run.save();
  const std::int64_t min = std::numeric_limits<std::int64_t>::min();
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  // The window's latest time (its watermark subtracts out_of_order), the key's latest time, and
  // the session's last (the third is the session's first).
  for (const int n : {0, 1, 3}) {
    StageRun restored(steps);
    EXPECT_TRUE(restored.load(with_time_replaced(bytes, time_ms, n, time_ms + 1)).is_ok()) << n;
    const std::int64_t bad = n == 0 ? min + 10 : max - 10;
    EXPECT_FALSE(restored.load(with_time_replaced(bytes, time_ms, n, bad)).is_ok()) << n;
  }
}

TEST(WindowStateRoundTripTest, StateOfAnotherWindowIsRefusedWithBothExpressions) {
  StageRun hour("window(by=user, size=1h, agg=[mean(amount)]) | ");
  hour.step(RawEvent{"k", 1'000, "alice", std::nullopt, 2.0, std::nullopt, {}, 0}, 0);
  const std::string bytes = hour.save();

  StageRun two_hours("window(by=user, size=2h, agg=[mean(amount)]) | ");
  const std::string before = two_hours.save();
  const core::Status status = two_hours.load(bytes);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("window step 1 of 1"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("'window(by=user, size=1h, agg=[mean(amount)])'"),
            std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("'window(by=user, size=2h, agg=[mean(amount)])'"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(two_hours.save(), before);

  StageRun other_aggregate("window(by=user, size=1h, agg=[sum(amount)]) | ");
  EXPECT_FALSE(other_aggregate.load(bytes).is_ok());
  StageRun two_windows("window(by=user, size=1h, agg=[mean(amount)]) | target_agg(by=user) | ");
  const core::Status count = two_windows.load(bytes);
  ASSERT_FALSE(count.is_ok());
  EXPECT_NE(count.message().find(
                "the saved state has 1 window step but this pipeline has 2 window steps"),
            std::string::npos)
      << count.message();
}

}  // namespace
}  // namespace streamlearn::stream::features
