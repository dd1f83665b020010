#include "stream/features/window_operator.h"

#include <gtest/gtest.h>

#include "core/model_expression.h"

namespace streamlearn::stream::features {
namespace {

WindowSpec spec_of(const std::string& step) {
  auto steps = core::parse_model_expression(step);
  EXPECT_TRUE(steps.is_ok()) << steps.status().message();
  auto spec = parse_window_spec((*steps)[0]);
  EXPECT_TRUE(spec.is_ok()) << spec.status().message();
  return *spec;
}

class Events {
 public:
  Event make(const std::string& user, std::int64_t time_ms, std::optional<double> amount) {
    Event event;
    event.event_time_ms = time_ms;
    const core::FeatureId id = space.feature("user");
    event.features.add_categorical(id, space.value(user), space.indicator(id, space.value(user)));
    if (amount) event.features.add_numeric(space.feature("amount"), *amount);
    return event;
  }
  std::optional<double> feature(const Event& event, const std::string& name) {
    const core::NumericFeature* f = event.features.find_numeric(space.feature(name));
    return f ? std::optional<double>(f->value) : std::nullopt;
  }
  core::FeatureSpace space;
};

TEST(WindowOperatorTest, AppendsTheAmountSpentByTheUserInTheCurrentHour) {
  Events events;
  WindowOperator window(spec_of("window(by=user, size=1h, agg=[sum(amount), count()])"),
                        events.space);
  Event a = events.make("alice", 1'000, 10.0);
  window.apply(a);
  Event b = events.make("alice", 2'000, 5.0);
  window.apply(b);
  Event c = events.make("bob", 3'000, 7.0);
  window.apply(c);
  Event d = events.make("alice", 3'600'000, 1.0);  // the next hour
  window.apply(d);
  EXPECT_EQ(events.feature(b, "sum(amount)@user_1h"), 15.0);
  EXPECT_EQ(events.feature(b, "count()@user_1h"), 2.0);
  EXPECT_EQ(events.feature(c, "sum(amount)@user_1h"), 7.0);
  EXPECT_EQ(events.feature(d, "sum(amount)@user_1h"), 1.0);
  EXPECT_EQ(events.feature(b, "amount"), 5.0);  // the event's own features stay
}

TEST(WindowOperatorTest, AMeanOfNothingIsAMissingFeatureAndACountIsZero) {
  Events events;
  WindowOperator window(spec_of("window(by=user, size=1h, agg=[mean(amount), count(amount)])"),
                        events.space);
  Event a = events.make("alice", 1'000, std::nullopt);
  window.apply(a);
  EXPECT_EQ(events.feature(a, "mean(amount)@user_1h"), std::nullopt);
  EXPECT_EQ(events.feature(a, "count(amount)@user_1h"), 0.0);
}

TEST(WindowOperatorTest, LateEventsChangeNothingAndAreCounted) {
  Events events;
  WindowOperator window(spec_of("window(by=user, size=1m, out_of_order=10s, agg=[count()])"),
                        events.space);
  Event a = events.make("alice", 65'000, 1.0);
  window.apply(a);
  Event in_time = events.make("alice", 59'000, 1.0);  // window [0, 60s) closes at watermark 60s
  EXPECT_EQ(window.apply(in_time), WindowOperator::Outcome::kApplied);
  Event b = events.make("alice", 70'000, 1.0);  // watermark 60s
  window.apply(b);
  Event late = events.make("alice", 30'000, 1.0);
  EXPECT_TRUE(window.late(late));
  EXPECT_EQ(window.apply(late), WindowOperator::Outcome::kLate);
  EXPECT_EQ(events.feature(late, "count()@user_1m"), std::nullopt);
  EXPECT_EQ(events.feature(b, "count()@user_1m"), 2.0);
  EXPECT_EQ(window.counters().late, 1u);
}

TEST(WindowOperatorTest, EvictsTheLeastRecentlyUpdatedKeyBeyondMaxKeys) {
  Events events;
  WindowOperator window(spec_of("window(by=user, events=10, max_keys=2, agg=[count()])"),
                        events.space);
  for (const char* user : {"a", "b", "a", "c"}) {  // c evicts b, the least recently updated
    Event e = events.make(user, 0, 1.0);
    window.apply(e);
  }
  EXPECT_EQ(window.num_keys(), 2u);
  EXPECT_EQ(window.counters().keys.evicted, 1u);
  Event a = events.make("a", 0, 1.0);
  window.apply(a);
  EXPECT_EQ(events.feature(a, "count()@user_last_10"), 3.0);
  Event b = events.make("b", 0, 1.0);
  window.apply(b);
  EXPECT_EQ(events.feature(b, "count()@user_last_10"), 1.0);  // b started again
}

TEST(WindowOperatorTest, DropsKeysIdleForTheTtlInEventTime) {
  Events events;
  WindowOperator window(spec_of("window(by=user, events=5, ttl=1m, agg=[count()])"),
                        events.space);
  Event a = events.make("a", 0, 1.0);
  window.apply(a);
  Event b = events.make("b", 30'000, 1.0);
  window.apply(b);
  Event c = events.make("c", 60'000, 1.0);  // a idle for 1m: dropped
  window.apply(c);
  EXPECT_EQ(window.num_keys(), 2u);
  EXPECT_EQ(window.counters().keys.expired, 1u);
  Event a2 = events.make("a", 61'000, 1.0);
  window.apply(a2);
  EXPECT_EQ(events.feature(a2, "count()@user_last_5"), 1.0);
}

TEST(WindowOperatorTest, TimeWindowKeysGoOnceTheirWindowsClosedAndMemoryStaysFlat) {
  Events events;
  WindowOperator window(spec_of("window(by=user, size=1s, agg=[mean(amount)])"), events.space);
  // 100 new keys every second for 1000 seconds: at most two seconds' worth are held.
  std::size_t most_keys = 0;
  for (int second = 0; second < 1000; ++second) {
    for (int k = 0; k < 100; ++k) {
      Event e = events.make("u" + std::to_string(second * 100 + k), second * 1000 + k, 1.0);
      window.apply(e);
    }
    most_keys = std::max(most_keys, window.num_keys());
  }
  EXPECT_LE(most_keys, 200u);
  EXPECT_GE(window.counters().keys.closed, 99'800u);
  EXPECT_EQ(window.counters().keys.evicted, 0u);
}

TEST(WindowOperatorTest, TargetAggregateSeesOnlyLabelsKnownBeforeThePrediction) {
  Events events;
  WindowOperator target(spec_of("target_agg(by=user)"), events.space);
  Event first = events.make("alice", 0, 1.0);
  target.apply(first);
  EXPECT_EQ(events.feature(first, "mean(target)@user"), std::nullopt);  // nothing known yet
  target.learn_label(first.features, 0, core::Target::of_value(10.0));
  Event second = events.make("alice", 1, 1.0);
  target.apply(second);  // predicted before its own label is known
  EXPECT_EQ(events.feature(second, "mean(target)@user"), 10.0);
  Event third = events.make("alice", 2, 1.0);
  target.apply(third);  // the second label has not come yet
  EXPECT_EQ(events.feature(third, "mean(target)@user"), 10.0);
  target.learn_label(second.features, 1, core::Target::of_value(20.0));
  target.learn_label(third.features, 2, core::Target::of_value(30.0));
  Event fourth = events.make("alice", 3, 1.0);
  target.apply(fourth);
  EXPECT_EQ(events.feature(fourth, "mean(target)@user"), 20.0);
  Event bob = events.make("bob", 4, 1.0);
  target.apply(bob);
  EXPECT_EQ(events.feature(bob, "mean(target)@user"), std::nullopt);
}

TEST(WindowOperatorTest, TargetAggregateOfClassesIsThePositiveRate) {
  Events events;
  WindowOperator target(spec_of("target_agg(by=user, events=4)"), events.space);
  Event e = events.make("alice", 0, 1.0);
  for (core::ClassId label : {1, 0, 1, 1, 1}) target.learn_label(e.features, 0, core::Target::of_class(label));
  target.apply(e);
  EXPECT_EQ(events.feature(e, "mean(target)@user_last_4"), 0.75);
}

// The user as a key field (the schema's key or an entity), as decoders carry it: text, not
// interned.
Event with_user_key(core::FeatureSpace& space, const std::string& user, std::int64_t time_ms,
                    double amount) {
  Event event;
  event.event_time_ms = time_ms;
  event.features.add_key(space.feature("user"), user);
  event.features.add_numeric(space.feature("amount"), amount);
  return event;
}

TEST(WindowOperatorTest, GroupsByKeyFieldsAsByFeaturesWithoutInterningThem) {
  Events events;
  WindowOperator window(spec_of("window(by=user, size=1h, agg=[sum(amount)])"), events.space);
  WindowOperator target(spec_of("target_agg(by=user)"), events.space);
  const std::size_t values = events.space.num_values();
  Event a = with_user_key(events.space, "alice", 1'000, 10.0);
  Event b = events.make("alice", 2'000, 5.0);  // a categorical user of the same text: same key
  Event c = with_user_key(events.space, "carol", 3'000, 7.0);
  for (Event* event : {&a, &b, &c}) {
    window.apply(*event);
    target.apply(*event);
  }
  EXPECT_EQ(events.feature(b, "sum(amount)@user_1h"), 15.0);
  EXPECT_EQ(events.feature(c, "sum(amount)@user_1h"), 7.0);
  EXPECT_EQ(events.space.num_values(), values + 1);  // only b's categorical "alice"
  // A label that comes later finds the key in the features kept with the prediction.
  const core::FeatureVector kept = c.features;
  c.clear();
  target.learn_label(kept, 3'000, core::Target::of_value(2.5));
  Event d = with_user_key(events.space, "carol", 4'000, 1.0);
  target.apply(d);
  EXPECT_EQ(events.feature(d, "mean(target)@user"), 2.5);
  // An event without the key field gets no window features (counted).
  Event keyless;
  keyless.event_time_ms = 5'000;
  window.apply(keyless);
  EXPECT_EQ(window.counters().keyless, 1u);
  std::vector<std::pair<std::string, double>> found;
  const std::string carol[1] = {"carol"};
  ASSERT_TRUE(window.lookup(carol, found));
  EXPECT_EQ(found[0].second, 7.0);
}

TEST(WindowOperatorTest, LooksUpAKeysCurrentAggregates) {
  Events events;
  WindowOperator window(spec_of("window(by=user, size=1h, agg=[sum(amount), mean(amount)])"),
                        events.space);
  Event a = events.make("alice", 1'000, 4.0);
  window.apply(a);
  std::vector<std::pair<std::string, double>> found;
  const std::string alice[1] = {"alice"}, carol[1] = {"carol"};
  ASSERT_TRUE(window.lookup(alice, found));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], (std::pair<std::string, double>{"sum(amount)@user_1h", 4.0}));
  EXPECT_FALSE(window.lookup(carol, found));
}

}  // namespace
}  // namespace streamlearn::stream::features
