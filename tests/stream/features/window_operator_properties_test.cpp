// Every window kind and aggregate against a brute-force recomputation: random streams with many
// keys, events out of order and late ones, and many window sizes. For each event the oracle keeps
// every accepted event, decides lateness from the watermark's definition, selects the events of
// the window that the event reads and aggregates them afresh; the operator's features must be
// equal (exactly for count, min, max, first, last, nunique and quantile; within 1e-9 relative for
// the floating-point sums of sum, mean, var and std), and late events must be exactly the
// oracle's. Keys dropped because their windows closed must change nothing (no ttl, no max_keys
// here: those are in window_operator_test.cpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/feature_space.h"
#include "core/model_expression.h"
#include "core/xxhash64.h"
#include "stream/aggregates/distinct_count.h"
#include "stream/aggregates/quantile.h"
#include "stream/features/window_operator.h"

namespace streamlearn::stream::features {
namespace {

constexpr const char* kAggregates =
    "[count(), count(amount), sum(amount), mean(amount), var(amount), std(amount, ddof=0), "
    "min(amount), max(amount), first(amount), last(amount), nunique(merchant), nunique(amount), "
    "quantile(amount, q=0.9)]";

struct Accepted {
  std::string key;
  std::int64_t time_ms;
  std::uint64_t arrival;
  std::optional<double> amount;
  std::optional<std::string> merchant;
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The expected value of each aggregate of kAggregates over `events`, in window order; NaN when
// undefined.
std::vector<double> brute_force(const std::vector<const Accepted*>& events) {
  std::vector<double> amounts;
  std::set<std::string> merchants;
  aggregates::DistinctCount merchant_sketch, amount_sketch;
  aggregates::Quantile quantile(aggregates::Quantile::Params{.q = 0.9});
  std::set<double> distinct_amounts;
  for (const Accepted* event : events) {
    if (event->amount) {
      amounts.push_back(*event->amount);
      amount_sketch.update(*event->amount);
      quantile.update(*event->amount);
    }
    if (event->merchant) {
      merchant_sketch.update(core::xxhash64(*event->merchant));  // as the operator hashes texts
      merchants.insert(*event->merchant);
    }
  }
  const double nan = std::nan("");
  const auto n = static_cast<double>(amounts.size());
  long double sum = 0;
  for (double x : amounts) sum += x;
  const double mean = amounts.empty() ? nan : static_cast<double>(sum / amounts.size());
  long double squares = 0;
  for (double x : amounts) squares += (x - static_cast<long double>(sum) / amounts.size()) *
                                      (x - static_cast<long double>(sum) / amounts.size());
  const double var1 = amounts.size() < 2 ? nan : static_cast<double>(squares / (n - 1));
  const double var0 = amounts.empty() ? nan : static_cast<double>(squares / n);
  const double nunique_merchants =
      merchants.size() <= aggregates::DistinctCount::kExactLimit
          ? static_cast<double>(merchants.size())
          : merchant_sketch.value();
  return {static_cast<double>(events.size()),
          n,
          static_cast<double>(sum),
          mean,
          var1,
          std::sqrt(var0),
          amounts.empty() ? nan : *std::min_element(amounts.begin(), amounts.end()),
          amounts.empty() ? nan : *std::max_element(amounts.begin(), amounts.end()),
          amounts.empty() ? nan : amounts.front(),
          amounts.empty() ? nan : amounts.back(),
          nunique_merchants,
          amount_sketch.value(),
          quantile.value()};
}

struct Case {
  std::string parameters;  // size=..., gap=..., events=...
  WindowKind kind;
  std::int64_t size_ms = 0, step_ms = 0, gap_ms = 0, out_of_order_ms = 0, lateness_ms = 0;
  std::size_t events = 0;
};

class Oracle {
 public:
  explicit Oracle(Case c) : case_(std::move(c)) {}

  // Whether the event is late; if not, keeps it and returns the events its window reads.
  std::optional<std::vector<const Accepted*>> add(Accepted event) {
    latest_ = std::max(latest_, event.time_ms);
    const std::int64_t watermark = latest_ - case_.out_of_order_ms;
    const std::int64_t t = event.time_ms;
    switch (case_.kind) {
      case WindowKind::kTumbling:
      case WindowKind::kHopping:
        if ((floor_div(t, case_.step_ms) + 1) * case_.step_ms + case_.lateness_ms <= watermark)
          return std::nullopt;
        break;
      case WindowKind::kSession:
        if (t + case_.gap_ms + case_.lateness_ms <= watermark) return std::nullopt;
        break;
      default:
        break;
    }
    accepted_.push_back(std::make_unique<Accepted>(std::move(event)));
    const Accepted& self = *accepted_.back();
    std::vector<const Accepted*> of_key;
    for (const auto& e : accepted_)
      if (e->key == self.key) of_key.push_back(e.get());  // arrival order
    std::vector<const Accepted*> window;
    switch (case_.kind) {
      case WindowKind::kTumbling:
      case WindowKind::kHopping: {
        const std::int64_t last = floor_div(t, case_.step_ms);
        const std::int64_t first = last - case_.size_ms / case_.step_ms + 1;
        for (const Accepted* e : of_key) {
          const std::int64_t pane = floor_div(e->time_ms, case_.step_ms);
          if (pane >= first && pane <= last) window.push_back(e);
        }
        // Panes in time order, arrival order within a pane.
        std::stable_sort(window.begin(), window.end(), [&](const Accepted* a, const Accepted* b) {
          return floor_div(a->time_ms, case_.step_ms) < floor_div(b->time_ms, case_.step_ms);
        });
        break;
      }
      case WindowKind::kSession: {
        std::vector<const Accepted*> by_time = of_key;
        std::stable_sort(by_time.begin(), by_time.end(),
                         [](const Accepted* a, const Accepted* b) { return a->time_ms < b->time_ms; });
        std::size_t start = 0;
        std::int64_t last_ms = by_time[0]->time_ms;
        for (std::size_t i = 1; i <= by_time.size(); ++i) {
          if (i < by_time.size() && by_time[i]->time_ms < last_ms + case_.gap_ms) {
            last_ms = std::max(last_ms, by_time[i]->time_ms);
            continue;
          }
          const bool contains = by_time[start]->time_ms <= t && t <= last_ms;
          if (contains)
            for (std::size_t j = start; j < i; ++j) window.push_back(by_time[j]);
          if (i < by_time.size()) {
            start = i;
            last_ms = by_time[i]->time_ms;
          }
        }
        break;
      }
      case WindowKind::kCount:
        window.assign(of_key.end() - static_cast<std::ptrdiff_t>(
                                         std::min(case_.events, of_key.size())),
                      of_key.end());
        break;
      case WindowKind::kUnbounded:
        window = of_key;
        break;
    }
    return window;
  }

 private:
  Case case_;
  std::int64_t latest_ = std::numeric_limits<std::int64_t>::min();
  std::vector<std::unique_ptr<Accepted>> accepted_;
};

WindowSpec spec_of(const std::string& parameters) {
  auto steps = core::parse_model_expression("window(by=user, " + parameters +
                                            ", agg=" + kAggregates + ") | logistic_regression");
  EXPECT_TRUE(steps.is_ok()) << steps.status().message();
  auto spec = parse_window_spec((*steps)[0]);
  EXPECT_TRUE(spec.is_ok()) << spec.status().message();
  return *spec;
}

std::vector<Case> cases() {
  std::vector<Case> all;
  for (std::int64_t out_of_order : {0, 2000})
    for (std::int64_t lateness : {0, 3000}) {
      const std::string bounds = "out_of_order=" + std::to_string(out_of_order) +
                                 "ms, lateness=" + std::to_string(lateness) + "ms";
      for (std::int64_t size : {1000, 5000})
        all.push_back({"size=" + std::to_string(size) + "ms, " + bounds, WindowKind::kTumbling,
                       size, size, 0, out_of_order, lateness});
      for (auto [size, step] : {std::pair<std::int64_t, std::int64_t>{4000, 1000}, {9000, 3000}})
        all.push_back({"size=" + std::to_string(size) + "ms, step=" + std::to_string(step) +
                           "ms, " + bounds,
                       WindowKind::kHopping, size, step, 0, out_of_order, lateness});
      for (std::int64_t gap : {700, 4000})
        all.push_back({"gap=" + std::to_string(gap) + "ms, " + bounds, WindowKind::kSession, 0, 0,
                       gap, out_of_order, lateness});
    }
  for (std::size_t events : {1, 5, 17})
    all.push_back({"events=" + std::to_string(events), WindowKind::kCount, 0, 0, 0, 0, 0, events});
  all.push_back({"name=all", WindowKind::kUnbounded});
  return all;
}

void expect_equal_feature(double expected, const core::FeatureVector& x, core::FeatureId id,
                          const std::string& name, std::size_t aggregate, const std::string& where) {
  const core::NumericFeature* feature = x.find_numeric(id);
  if (std::isnan(expected)) {
    EXPECT_EQ(feature, nullptr) << where << name << " should be missing";
    return;
  }
  ASSERT_NE(feature, nullptr) << where << name << " missing, expected " << expected;
  const bool floating = aggregate >= 2 && aggregate <= 5;  // sum, mean, var, std
  if (floating)
    EXPECT_NEAR(feature->value, expected, 1e-9 * std::max(1.0, std::abs(expected))) << where << name;
  else
    EXPECT_EQ(feature->value, expected) << where << name;
}

TEST(WindowOperatorPropertiesTest, EveryWindowKindEqualsBruteForceOnRandomStreams) {
  std::mt19937_64 rng(20261121);
  std::size_t late_seen = 0, checked = 0;
  for (const Case& c : cases()) {
    for (int repetition = 0; repetition < 2; ++repetition) {
      core::FeatureSpace space;
      const WindowSpec spec = spec_of(c.parameters);
      ASSERT_EQ(spec.kind, c.kind) << c.parameters;
      WindowOperator window(spec, space);
      Oracle oracle(c);
      const core::FeatureId user = space.feature("user"), amount = space.feature("amount"),
                            merchant = space.feature("merchant");
      std::vector<core::FeatureId> outputs;
      for (std::size_t i = 0; i < spec.aggregates.size(); ++i)
        outputs.push_back(space.feature(spec.feature_name(i)));
      const std::size_t num_keys = 1 + rng() % (repetition == 0 ? 4 : 40);
      std::int64_t clock = 1'700'000'000'000 + static_cast<std::int64_t>(rng() % 100'000);
      for (std::uint64_t arrival = 0; arrival < 1500; ++arrival) {
        clock += static_cast<std::int64_t>(rng() % 800);
        std::int64_t time_ms = clock;
        if (rng() % 4 == 0) time_ms -= static_cast<std::int64_t>(rng() % 9000);  // out of order
        Accepted event{"u" + std::to_string(rng() % num_keys), time_ms, arrival, std::nullopt,
                       std::nullopt};
        if (rng() % 10 != 0) event.amount = std::round((static_cast<double>(rng() % 100'000) / 100.0 - 200.0) * 4) / 4;
        if (rng() % 5 != 0) event.merchant = "m" + std::to_string(rng() % (arrival % 2 ? 8 : 90));
        Event e;
        e.event_time_ms = time_ms;
        e.features.add_categorical(user, space.value(event.key),
                                   space.indicator(user, space.value(event.key)));
        if (event.amount) e.features.add_numeric(amount, *event.amount);
        if (event.merchant) {
          const core::SymbolId value = space.value(*event.merchant);
          e.features.add_categorical(merchant, value, space.indicator(merchant, value));
        }
        const auto expected = oracle.add(event);
        const std::string where = c.parameters + ", event " + std::to_string(arrival) + ": ";
        const WindowOperator::Outcome outcome = window.apply(e);
        ASSERT_EQ(outcome == WindowOperator::Outcome::kLate, !expected.has_value()) << where;
        if (!expected) {
          ++late_seen;
          ASSERT_EQ(e.features.numeric().size(), event.amount ? 1u : 0u) << where;
          continue;
        }
        const std::vector<double> values = brute_force(*expected);
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (c.kind == WindowKind::kSession && (i == 8 || i == 9)) {
            // first and last of a session: in the order its parts joined (session_window.h), so
            // only that they are values of the session.
            const core::NumericFeature* feature = e.features.find_numeric(outputs[i]);
            ASSERT_EQ(feature != nullptr, !std::isnan(values[i])) << where;
            if (feature == nullptr) continue;
            EXPECT_TRUE(std::any_of(expected->begin(), expected->end(), [&](const Accepted* a) {
              return a->amount == feature->value;
            })) << where << spec.feature_name(i);
            continue;
          }
          expect_equal_feature(values[i], e.features, outputs[i], spec.feature_name(i), i, where);
        }
        ++checked;
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
  EXPECT_GT(late_seen, 1000u);  // the streams do exercise lateness
  EXPECT_GT(checked, 50'000u);
}

}  // namespace
}  // namespace streamlearn::stream::features
