// Runs every registry entry through the same checks (STYLE.md, "Adding a learner"): clone is
// unfitted with equal params; learn_one leaves its input unchanged; same stream, same predictions;
// feature order does not matter; new or missing features are fine; predict before any learn is
// fine; save -> load gives identical predictions. Transformers are checked inside a pipeline with
// each kind of final learner, with the parameters listed in transformer_expressions() (the
// transformers that need cols get them there; a new transformer is checked with its defaults).
// Every model is built with the FeatureSpace its stream is interned in, as the pipeline runtime
// builds it, because the transformers that create features intern them there.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
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
    auto model = LearnerRegistry::builtin().build(GetParam(), &space_);
    EXPECT_TRUE(model.is_ok()) << model.status().message();
    return std::move(model).value();
  }

  // The pipeline's FeatureSpace: the stream's features and whatever the transformers create.
  core::FeatureSpace space_;
};

TEST_P(LearnerConformanceTest, CloneIsUnfittedWithEqualParams) {
  auto model = build();
  const auto events = make_stream(model->task(), 1, space_);
  auto fresh = model->clone();
  const auto trained_predictions = predictions(*model, events, true);
  auto clone = model->clone();
  EXPECT_EQ(clone->describe(), model->describe());
  EXPECT_EQ(predictions(*clone, events, true), predictions(*fresh, events, true));
  (void)trained_predictions;
}

TEST_P(LearnerConformanceTest, LearnOneLeavesItsInputUnchanged) {
  auto model = build();
  const auto events = make_stream(model->task(), 2, space_, 600);
  for (const LabelledEvent& event : events) {
    const FeatureVector before = event.x;
    model->learn_one(event.x, event.y);
    ASSERT_TRUE(event.x == before);
  }
}

TEST_P(LearnerConformanceTest, SameStreamGivesSamePredictions) {
  auto first = build();
  auto second = build();
  const auto events = make_stream(first->task(), 3, space_);
  EXPECT_EQ(predictions(*first, events, true), predictions(*second, events, true));
}

TEST_P(LearnerConformanceTest, FeatureOrderDoesNotMatter) {
  auto model = build();
  auto reordered_model = build();
  const auto events = make_stream(model->task(), 4, space_);
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
  const auto events = make_stream(model->task(), 5, space_);
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
  unseen.add_numeric(space_.feature("never_seen"), 3.0);
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
  const auto events = make_stream(model->task(), 6, space_, 10);
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
  const auto events = make_stream(model->task(), 7, space_, 2000);
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
  predictions(*model, make_stream(model->task(), 8, space_, 500), true);
  core::StateWriter writer;
  model->save(writer);
  const std::string truncated = writer.bytes().substr(0, writer.bytes().size() / 2);
  auto restored = build();
  core::StateReader reader(truncated);
  EXPECT_FALSE(restored->load(reader).is_ok());
}

// The parameters each transformer is checked with: its defaults where they make a valid
// transformer, and settings that exercise cols on the stream's features (a, b, c, late, color).
std::vector<std::string> transformer_expressions(const std::string& name) {
  static const std::map<std::string, std::vector<std::string>> kExpressions = {
      {"bucketize",
       {"bucketize(cols=[a, c], edges=[-1, 0, 1, 5])", "bucketize(cols=[late], edges=[0])"}},
      {"clip", {"clip(min=-1, max=1)", "clip(min=0, cols=[c, late])"}},
      {"cross", {"cross(cols=[a, b])", "cross(cols=[color, c, late])"}},
      {"hash", {"hash", "hash(cols=[color, a], buckets=16, seed=3)"}},
      {"log1p", {"log1p", "log1p(cols=[c])"}},
      {"one_hot", {"one_hot", "one_hot(cols=[color, b])"}},
      {"winsorize", {"winsorize", "winsorize(lower=0.1, upper=0.9, cols=[c, late])"}},
  };
  auto it = kExpressions.find(name);
  return it == kExpressions.end() ? std::vector<std::string>{name} : it->second;
}

std::vector<std::string> registry_expressions() {
  std::vector<std::string> expressions;
  for (const auto& entry : LearnerRegistry::builtin().entries()) {
    if (entry.is_transformer) {
      for (const std::string& transformer : transformer_expressions(entry.name)) {
        expressions.push_back(transformer + " | logistic_regression");
        expressions.push_back(transformer + " | linear_regression");
      }
    } else {
      expressions.push_back(entry.name);
    }
  }
  // Transformers feeding each other: created features crossed, hashed and scaled.
  expressions.push_back(
      "winsorize | clip(min=-3, max=3) | bucketize(cols=[a], edges=[0]) | cross(cols=[a, b]) | "
      "hash(buckets=64) | standard_scaler | logistic_regression");
  expressions.push_back(
      "one_hot(cols=[late]) | log1p | cross(cols=[color, late]) | min_max_scaler | "
      "linear_regression");
  return expressions;
}

// The expression with every run of other characters than letters and digits made one '_'.
std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += c;
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryRegisteredModel, LearnerConformanceTest,
                         ::testing::ValuesIn(registry_expressions()), test_name);

}  // namespace
}  // namespace streamlearn::learners
