// Runs every registry entry through the same checks (STYLE.md, "Adding a learner"): clone is
// unfitted with equal params; learn_one leaves its input unchanged; same stream, same predictions;
// feature order does not matter; new or missing features are fine; predict before any learn is
// fine; save -> load gives identical predictions. Transformers are checked inside a pipeline with
// each kind of final learner.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "learners/learner_registry.h"

namespace streamlearn::learners {
namespace {

struct LabelledEvent {
  FeatureVector x;
  Target y;
};

// A seeded stream with numeric features, one categorical feature, a feature that appears only
// halfway through and one that is missing from every third event.
std::vector<LabelledEvent> make_stream(Task task, std::uint64_t seed, core::FeatureSpace& space,
                                       std::size_t count = 1500) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<LabelledEvent> events(count);
  const core::FeatureId a = space.feature("a"), b = space.feature("b"), c = space.feature("c");
  const core::FeatureId late = space.feature("late"), color = space.feature("color");
  const core::SymbolId colors[3] = {space.value("red"), space.value("green"), space.value("blue")};
  for (std::size_t i = 0; i < count; ++i) {
    LabelledEvent& event = events[i];
    const double xa = normal(rng), xb = normal(rng), xc = 5.0 + 2.0 * normal(rng);
    event.x.add_numeric(a, xa);
    event.x.add_numeric(b, xb);
    if (i % 3 != 0) event.x.add_numeric(c, xc);
    if (i > count / 2) event.x.add_numeric(late, normal(rng));
    const std::size_t k = rng() % 3;
    event.x.add_categorical(color, colors[k], space.indicator(color, colors[k]));
    const double signal = 1.5 * xa - xb + (k == 0 ? 1.0 : 0.0) + 0.3 * normal(rng);
    event.y = task == Task::kClassification ? Target::of_class(signal > 0 ? 1 : 0)
                                            : Target::of_value(signal);
  }
  return events;
}

std::vector<double> predictions(Learner& model, const std::vector<LabelledEvent>& events,
                                bool learn) {
  std::vector<double> out;
  ClassProbabilities proba;
  for (const LabelledEvent& event : events) {
    if (model.task() == Task::kClassification) {
      model.predict_proba_one(event.x, proba);
      out.push_back(proba.empty() ? -1.0 : proba.get(1));
    } else {
      const Target prediction = model.predict_one(event.x);
      out.push_back(prediction.has_value() ? prediction.value : -1e300);
    }
    if (learn) model.learn_one(event.x, event.y);
  }
  return out;
}

class LearnerConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Learner> build() {
    auto model = LearnerRegistry::builtin().build(GetParam());
    EXPECT_TRUE(model.is_ok()) << model.status().message();
    return std::move(model).value();
  }
};

TEST_P(LearnerConformanceTest, CloneIsUnfittedWithEqualParams) {
  auto model = build();
  core::FeatureSpace space;
  const auto events = make_stream(model->task(), 1, space);
  auto fresh = model->clone();
  const auto trained_predictions = predictions(*model, events, true);
  auto clone = model->clone();
  EXPECT_EQ(clone->describe(), model->describe());
  EXPECT_EQ(predictions(*clone, events, true), predictions(*fresh, events, true));
  (void)trained_predictions;
}

TEST_P(LearnerConformanceTest, LearnOneLeavesItsInputUnchanged) {
  auto model = build();
  core::FeatureSpace space;
  const auto events = make_stream(model->task(), 2, space, 600);
  for (const LabelledEvent& event : events) {
    const FeatureVector before = event.x;
    model->learn_one(event.x, event.y);
    ASSERT_TRUE(event.x == before);
  }
}

TEST_P(LearnerConformanceTest, SameStreamGivesSamePredictions) {
  auto first = build();
  auto second = build();
  core::FeatureSpace space;
  const auto events = make_stream(first->task(), 3, space);
  EXPECT_EQ(predictions(*first, events, true), predictions(*second, events, true));
}

TEST_P(LearnerConformanceTest, FeatureOrderDoesNotMatter) {
  auto model = build();
  auto reordered_model = build();
  core::FeatureSpace space;
  const auto events = make_stream(model->task(), 4, space);
  auto reordered = events;
  for (LabelledEvent& event : reordered) std::reverse(event.x.mutable_numeric().begin(), event.x.mutable_numeric().end());
  const auto expected = predictions(*model, events, true);
  const auto actual = predictions(*reordered_model, reordered, true);
  ASSERT_EQ(expected.size(), actual.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    ASSERT_NEAR(expected[i], actual[i], 1e-9 * std::max(1.0, std::abs(expected[i]))) << "event " << i;
}

TEST_P(LearnerConformanceTest, NewAndMissingFeaturesGiveValidPredictions) {
  auto model = build();
  core::FeatureSpace space;
  const auto events = make_stream(model->task(), 5, space);
  ClassProbabilities proba;
  for (const LabelledEvent& event : events) {
    if (model->task() == Task::kClassification) {
      model->predict_proba_one(event.x, proba);
      if (!proba.empty()) {
        double sum = 0;
        for (double p : proba.values()) {
          ASSERT_GE(p, 0.0);
          ASSERT_LE(p, 1.0);
          sum += p;
        }
        ASSERT_NEAR(sum, 1.0, 1e-9);
      }
    } else {
      const Target prediction = model->predict_one(event.x);
      ASSERT_TRUE(std::isfinite(prediction.value));
    }
    model->learn_one(event.x, event.y);
  }
  // An event with no features at all, and one with only never-seen features.
  FeatureVector empty;
  FeatureVector unseen;
  unseen.add_numeric(space.feature("never_seen"), 3.0);
  for (const FeatureVector* x : {&empty, &unseen}) {
    if (model->task() == Task::kClassification) {
      model->predict_proba_one(*x, proba);
      ASSERT_FALSE(proba.empty());
    } else {
      ASSERT_TRUE(std::isfinite(model->predict_one(*x).value));
    }
  }
}

TEST_P(LearnerConformanceTest, PredictBeforeAnyLearnIsFine) {
  auto model = build();
  core::FeatureSpace space;
  const auto events = make_stream(model->task(), 6, space, 10);
  ClassProbabilities proba;
  for (const LabelledEvent& event : events) {
    const Target prediction = model->predict_one(event.x);
    if (model->task() == Task::kClassification) {
      model->predict_proba_one(event.x, proba);
      EXPECT_EQ(prediction.has_value(), !proba.empty());
    } else {
      EXPECT_TRUE(std::isfinite(prediction.value));
    }
  }
}

TEST_P(LearnerConformanceTest, SaveThenLoadGivesIdenticalPredictions) {
  auto model = build();
  core::FeatureSpace space;
  const auto events = make_stream(model->task(), 7, space, 2000);
  const std::vector<LabelledEvent> first_half(events.begin(), events.begin() + 1000);
  const std::vector<LabelledEvent> second_half(events.begin() + 1000, events.end());
  predictions(*model, first_half, true);
  core::StateWriter writer;
  model->save(writer);
  auto restored = build();
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored->load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  EXPECT_EQ(predictions(*restored, second_half, true), predictions(*model, second_half, true));
}

TEST_P(LearnerConformanceTest, LoadRejectsTruncatedState) {
  auto model = build();
  core::FeatureSpace space;
  predictions(*model, make_stream(model->task(), 8, space, 500), true);
  core::StateWriter writer;
  model->save(writer);
  const std::string truncated = writer.bytes().substr(0, writer.bytes().size() / 2);
  auto restored = build();
  core::StateReader reader(truncated);
  EXPECT_FALSE(restored->load(reader).is_ok());
}

std::vector<std::string> registry_expressions() {
  std::vector<std::string> expressions;
  for (const auto& entry : LearnerRegistry::builtin().entries()) {
    if (entry.is_transformer) {
      expressions.push_back(entry.name + " | logistic_regression");
      expressions.push_back(entry.name + " | linear_regression");
    } else {
      expressions.push_back(entry.name);
    }
  }
  return expressions;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryRegisteredModel, LearnerConformanceTest,
                         ::testing::ValuesIn(registry_expressions()), test_name);

}  // namespace
}  // namespace streamlearn::learners
