#include "stream/pending_predictions.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "learners/learner_registry.h"
#include "stream/prequential_evaluator.h"
#include "tests/core/corrupted_states.h"
#include "tests/monitors/alert_text.h"

namespace streamlearn::stream {
namespace {

Prediction at_time(std::int64_t time_ms, std::uint64_t position) {
  Prediction prediction;
  prediction.value = core::Target::of_class(1);
  prediction.time_ms = time_ms;
  prediction.position = position;
  return prediction;
}

core::FeatureVector features(double value) {
  core::FeatureVector x;
  x.add_numeric(0, value);
  return x;
}

TEST(PendingPredictionsTest, FindsByIdWithTheFeaturesAndPredictionKept) {
  PendingPredictions pending(10, 1000);
  pending.add("e1", features(1.5), at_time(100, 0));
  pending.add("e2", features(2.5), at_time(101, 1));
  const PendingPredictions::Entry* entry = pending.find("e2");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->features, features(2.5));
  EXPECT_EQ(entry->prediction.position, 1u);
  pending.remove("e2");
  EXPECT_EQ(pending.find("e2"), nullptr);
  EXPECT_NE(pending.find("e1"), nullptr);
  EXPECT_EQ(pending.size(), 1u);
}

TEST(PendingPredictionsTest, EvictsTheOldestWhenFull) {
  PendingPredictions pending(3, 1'000'000);
  for (int i = 0; i < 5; ++i) pending.add("e" + std::to_string(i), features(i), at_time(i, i));
  EXPECT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending.evicted(), 2u);
  EXPECT_EQ(pending.find("e0"), nullptr);
  EXPECT_EQ(pending.find("e1"), nullptr);
  EXPECT_NE(pending.find("e2"), nullptr);
  EXPECT_NE(pending.find("e4"), nullptr);
}

TEST(PendingPredictionsTest, ExpiresInEventTimeAfterTheTtl) {
  PendingPredictions pending(100, 50);
  pending.add("a", features(0), at_time(1000, 0));
  pending.add("b", features(0), at_time(1020, 1));
  EXPECT_EQ(pending.expire(1050), 0u);  // exactly the TTL: still pending
  EXPECT_EQ(pending.expire(1051), 1u);
  EXPECT_EQ(pending.find("a"), nullptr);
  EXPECT_NE(pending.find("b"), nullptr);
  EXPECT_EQ(pending.expire(10'000), 1u);
  EXPECT_EQ(pending.expired(), 2u);
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingPredictionsTest, EntriesWithoutTimeExpireOnlyByCapacity) {
  PendingPredictions pending(2, 10);
  pending.add("a", features(0), at_time(Event::kNoTime, 0));
  EXPECT_EQ(pending.expire(1'000'000), 0u);
  EXPECT_NE(pending.find("a"), nullptr);
}

TEST(PendingPredictionsTest, ASecondPredictionForAnIdReplacesTheFirst) {
  PendingPredictions pending(10, 1000);
  pending.add("a", features(1), at_time(0, 0));
  pending.add("a", features(2), at_time(5, 7));
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.replaced(), 1u);
  EXPECT_EQ(pending.find("a")->prediction.position, 7u);
  EXPECT_EQ(pending.find("a")->features, features(2));
}

TEST(PendingPredictionsTest, MatchedEntriesBehindALongWaiterKeepTheQueueBounded) {
  // One entry never labelled (and without time) at the front; millions matched behind it.
  PendingPredictions pending(10, 1000);
  pending.add("waiter", features(0), at_time(Event::kNoTime, 0));
  for (int i = 0; i < 200'000; ++i) {
    const std::string id = "e" + std::to_string(i);
    pending.add(id, features(i), at_time(i, i));
    pending.remove(id);
  }
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.evicted(), 0u);
  EXPECT_NE(pending.find("waiter"), nullptr);
  // Capacity still counts live entries only.
  for (int i = 0; i < 9; ++i) pending.add("k" + std::to_string(i), features(i), at_time(i, i));
  EXPECT_EQ(pending.evicted(), 0u);
  pending.add("overflow", features(0), at_time(0, 0));
  EXPECT_EQ(pending.evicted(), 1u);
  EXPECT_EQ(pending.find("waiter"), nullptr);
}


// What `streamlearn run` does with events whose labels come later as label records, by id (as
// ServingPipeline): predict, keep the prediction pending, match the label when it arrives, learn.
// Event i has its own id, but one in nine shares one of four ids (replaced while pending); a label
// record for it arrives 1 to 60 events later, or never (one in eight: expired by the TTL,
// or evicted from the 30 slots); times are half a second apart, with a jump of 100 s every 500
// events that expires what waits (TTL 60 s), and some events have no time.
class LabelledLater {
 public:
  LabelledLater()
      : model_(learners::LearnerRegistry::builtin().build("gaussian_nb").value()),
        evaluator_(*model_, {.rolling_window = 30}),
        pending_(30, 60'000) {
    classes_.intern("no");
  }

  void feed(std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t i = from; i < to; ++i) {
      // Label records due now, for the events that asked for one at this step.
      for (std::uint64_t j = i >= 60 ? i - 60 : 0; j < i; ++j)
        if (label_delay(j) == i - j) match(j);
      std::mt19937_64 rng(i * 13 + 1);
      std::normal_distribution<double> normal;
      event_.clear();
      event_.id = id_of(i);
      event_.event_time_ms =
          i % 97 == 0 ? Event::kNoTime : static_cast<std::int64_t>(500 * i + 100'000 * (i / 500));
      const core::FeatureId color = space_.feature("color");
      const core::SymbolId value = space_.value(i % 3 == 0 ? "red" : "blue");
      event_.features.add_numeric(space_.feature("x"), normal(rng) + (i % 3 == 0 ? 1.0 : 0.0));
      event_.features.add_categorical(color, value, space_.indicator(color, value));
      if (event_.event_time_ms != Event::kNoTime && event_.event_time_ms > clock_ms_) {
        clock_ms_ = event_.event_time_ms;
        outputs_.push_back("expired " + std::to_string(pending_.expire(clock_ms_)));
      }
      const Prediction& prediction = evaluator_.predict(event_);
      std::string line = "predicted " + event_.id;
      for (double p : prediction.proba.values()) line += " " + testing::bits(p);
      outputs_.push_back(line);
      pending_.add(event_.id, event_.features, prediction);
    }
  }

  std::vector<std::string> summary() const {
    std::vector<std::string> lines = outputs_;
    lines.push_back("pending " + std::to_string(pending_.size()) + " evicted " +
                    std::to_string(pending_.evicted()) + " expired " +
                    std::to_string(pending_.expired()) + " replaced " +
                    std::to_string(pending_.replaced()));
    std::vector<std::pair<std::string, double>> metrics;
    evaluator_.report(metrics);
    for (const auto& [name, value] : metrics) lines.push_back(name + " " + testing::bits(value));
    return lines;
  }

  std::string save() const {
    core::StateWriter out;
    space_.save(out);
    classes_.save(out);
    out.write(clock_ms_);
    evaluator_.save(out);
    pending_.save(out);
    return out.bytes();
  }

  core::Status load(const std::string& bytes) {
    core::StateReader in(bytes);
    SL_RETURN_IF_ERROR(space_.load(in));
    SL_RETURN_IF_ERROR(classes_.load(in));
    if (!in.read(clock_ms_)) return in.status("test");
    SL_RETURN_IF_ERROR(evaluator_.load(in));
    return pending_.load(in, space_, classes_);
  }

  const std::vector<std::string>& outputs() const { return outputs_; }
  const PendingPredictions& pending() const { return pending_; }

 private:
  static std::string id_of(std::uint64_t i) {
    return i % 9 == 0 ? "shared" + std::to_string(i % 4) : "e" + std::to_string(i);
  }

  // 0: never labelled; else the label record comes this many events later.
  static std::uint64_t label_delay(std::uint64_t i) {
    const std::uint64_t hash = (i * 0x9E3779B97F4A7C15ULL) >> 40;
    return hash % 8 == 0 ? 0 : 1 + hash % 60;
  }

  void match(std::uint64_t j) {
    const std::string id = id_of(j);
    const PendingPredictions::Entry* entry = pending_.find(id);
    if (entry == nullptr) {
      outputs_.push_back("unmatched " + id);
      return;
    }
    std::mt19937_64 rng(j * 13 + 1);
    std::normal_distribution<double> normal;
    const bool yes = normal(rng) > 0.0;
    const core::Target label = core::Target::of_class(classes_.intern(yes ? "yes" : "no"));
    outputs_.push_back("matched " + id + " at " + std::to_string(entry->prediction.position));
    evaluator_.learn(entry->features, entry->prediction, label);
    pending_.remove(id);
  }

  core::FeatureSpace space_;
  core::ClassSet classes_;
  std::unique_ptr<learners::Learner> model_;
  PrequentialEvaluator evaluator_;
  PendingPredictions pending_;
  Event event_;
  std::int64_t clock_ms_ = Event::kNoTime;
  std::vector<std::string> outputs_;
};

TEST(PendingPredictionsTest, RestoredBufferMatchesExpiresAndEvictsAsTheUninterruptedOne) {
  constexpr std::uint64_t kLength = 3000;
  LabelledLater reference;
  reference.feed(0, kLength);
  EXPECT_GT(reference.pending().evicted(), 0u);
  EXPECT_GT(reference.pending().expired(), 0u);
  EXPECT_GT(reference.pending().replaced(), 0u);
  for (std::uint64_t cut : {30u, 700u, 1500u, 2999u}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    LabelledLater original;
    original.feed(0, cut);
    const std::size_t before = original.outputs().size();
    const std::string state = original.save();
    LabelledLater restored;
    const core::Status loaded = restored.load(state);
    ASSERT_TRUE(loaded.is_ok()) << loaded.message();
    EXPECT_EQ(restored.save(), state);
    original.feed(cut, kLength);
    restored.feed(cut, kLength);
    std::vector<std::string> expected = original.summary();
    expected.erase(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(before));
    EXPECT_EQ(restored.summary(), expected);
    EXPECT_EQ(restored.save(), original.save());
  }
}

TEST(PendingPredictionsTest, LoadRefusesAnotherCapacityAndIdsUnknownToTheSpace) {
  PendingPredictions pending(10, 1000);
  pending.add("a", features(1.5), at_time(100, 0));
  core::StateWriter out;
  pending.save(out);
  const std::string state = out.bytes();
  core::FeatureSpace space;
  space.feature("x");
  core::ClassSet classes;
  classes.intern("0");
  PendingPredictions larger(20, 1000);
  core::StateReader in(state);
  const core::Status status = larger.load(in, space, classes);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("configuration changed"), std::string::npos) << status.message();
  PendingPredictions same(10, 1000);
  core::FeatureSpace empty;
  core::StateReader again(state);
  EXPECT_FALSE(same.load(again, empty, classes).is_ok()) << "feature 0 is not in an empty space";
  EXPECT_EQ(same.size(), 0u);
}

TEST(PendingPredictionsTest, KeepsKeyFieldsAcrossACheckpoint) {
  // A target_agg keyed by an entity learns the label from the kept key field, also after a
  // restart.
  core::FeatureSpace space;
  const core::FeatureId amount = space.feature("amount");
  const core::FeatureId user = space.feature("user");
  core::ClassSet classes;
  classes.intern("0");
  classes.intern("1");
  core::FeatureVector x;
  x.add_numeric(amount, 3.0);
  x.add_key(user, "a-user-id-longer-than-small-strings");
  Prediction prediction = at_time(100, 0);
  prediction.proba.reset(2);
  prediction.proba[1] = 1.0;
  PendingPredictions pending(10, 1000);
  pending.add("e1", x, prediction);
  core::StateWriter out;
  pending.save(out);
  PendingPredictions restored(10, 1000);
  core::StateReader in(out.bytes());
  ASSERT_TRUE(restored.load(in, space, classes).is_ok());
  const PendingPredictions::Entry* entry = restored.find("e1");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->features, x);
  EXPECT_EQ(entry->features.find_key(user), "a-user-id-longer-than-small-strings");
  core::FeatureSpace without_user;
  without_user.feature("amount");
  PendingPredictions refused(10, 1000);
  core::StateReader again(out.bytes());
  EXPECT_FALSE(refused.load(again, without_user, classes).is_ok())
      << "the key field's name is not in the space";
}

TEST(PendingPredictionsTest, CorruptStatesFailOrServeOnNeverCrash) {
  LabelledLater original;
  original.feed(0, 1200);
  testing::for_each_corrupted_state(original.save(), 13, 250, [](const std::string& bytes) {
    LabelledLater restored;
    if (!restored.load(bytes).is_ok()) return;
    restored.feed(1200, 1500);
  });
}

}  // namespace
}  // namespace streamlearn::stream
