#include "learners/tree/hoeffding_tree_classifier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/feature_space.h"
#include "learners/learner_registry.h"
#include "tests/learners/reference_stream.h"
#include "tests/test_support.h"

namespace streamlearn::learners {
namespace {

using core::ClassId;

FeatureVector numeric(std::initializer_list<double> values) {
  FeatureVector x;
  core::FeatureId id = 0;
  for (double value : values) x.add_numeric(id++, value);
  return x;
}

// Two informative-or-not features: the class is x0 > 0.5, x1 is noise.
struct SeparableStream {
  explicit SeparableStream(std::uint64_t seed) : rng(seed) {}
  std::pair<FeatureVector, ClassId> next() {
    const double x0 = uniform(rng);
    const double x1 = uniform(rng);
    return {numeric({x0, x1}), x0 > 0.5 ? 1u : 0u};
  }
  std::mt19937_64 rng;
  std::uniform_real_distribution<double> uniform{0.0, 1.0};
};

TEST(HoeffdingTreeClassifierTest, LearnsAndPredictsAsInTheHeaderExample) {
  HoeffdingTreeClassifier model({});
  ClassProbabilities proba;
  model.predict_proba_one(numeric({0.2, 0.7}), proba);
  EXPECT_TRUE(proba.empty());  // nothing learned: no prediction, the event is not scored

  model.learn_one(numeric({0.2, 0.7}), Target::of_class(0));
  model.learn_one(numeric({0.9, 0.1}), Target::of_class(1));
  model.predict_proba_one(numeric({0.2, 0.7}), proba);
  ASSERT_EQ(proba.size(), 2u);
  EXPECT_NEAR(proba[0] + proba[1], 1.0, 1e-12);
  EXPECT_EQ(model.describe(), "hoeffding_tree");
}

TEST(HoeffdingTreeClassifierTest, ReproducesRiverPrequentialScoresOnSeaDrift) {
  SL_REQUIRE_SHARED_DIR(shared);
  const testing::ReferenceStream stream =
      testing::read_reference_stream(shared / "reference/streams/sea_drift_100k.csv");
  HoeffdingTreeClassifier model({});
  const testing::PrequentialScore result = testing::score_prequential(model, stream);
  // river_prequential.json, model "hoeffding_tree" = tree.HoeffdingTreeClassifier().
  EXPECT_EQ(result.scored, 99999u);
  EXPECT_NEAR(result.accuracy, 0.974469744697447, 1e-9);
  EXPECT_NEAR(result.log_loss, 0.09397948271799285, 1e-9);
}

TEST(HoeffdingTreeClassifierTest, ReproducesRiverPrequentialScoresOnAgrawalDrift) {
  SL_REQUIRE_SHARED_DIR(shared);
  const testing::ReferenceStream stream =
      testing::read_reference_stream(shared / "reference/streams/agrawal_drift_100k.csv");
  HoeffdingTreeClassifier model({});
  const testing::PrequentialScore result = testing::score_prequential(model, stream);
  EXPECT_EQ(result.scored, 99999u);
  EXPECT_NEAR(result.accuracy, 0.986059860598606, 1e-9);
  EXPECT_NEAR(result.log_loss, 0.06038357986292448, 1e-9);
}

TEST(HoeffdingTreeClassifierTest, SplitsOnTheInformativeFeatureOfASeparableStream) {
  SeparableStream train(/*seed=*/7);
  HoeffdingTreeClassifier model({});
  for (int i = 0; i < 3000; ++i) {
    auto [x, y] = train.next();
    model.learn_one(x, Target::of_class(y));
  }
  EXPECT_GE(model.num_branches(), 1u);

  // Majority-class leaves isolate what the splits learned: far better than the 50% base rate.
  HoeffdingTreeClassifier::Params params;
  params.leaf_prediction = HoeffdingTreeClassifier::LeafPrediction::kMajorityClass;
  HoeffdingTreeClassifier majority(params);
  SeparableStream train_again(/*seed=*/7);
  for (int i = 0; i < 3000; ++i) {
    auto [x, y] = train_again.next();
    majority.learn_one(x, Target::of_class(y));
  }
  ASSERT_GE(majority.num_branches(), 1u);
  SeparableStream test(/*seed=*/8);
  int correct = 0;
  for (int i = 0; i < 1000; ++i) {
    auto [x, y] = test.next();
    correct += majority.predict_one(x) == Target::of_class(y) ? 1 : 0;
  }
  EXPECT_GT(correct, 950);
  // Moving x1 alone never changes the prediction: no split uses it.
  ClassProbabilities low, high;
  majority.predict_proba_one(numeric({0.3, 0.0}), low);
  majority.predict_proba_one(numeric({0.3, 1.0}), high);
  EXPECT_EQ(low.values(), high.values());
}

TEST(HoeffdingTreeClassifierTest, SplitsACategoricalFeatureOneBranchPerValue) {
  core::FeatureSpace space;
  const core::FeatureId color = space.feature("color");
  const std::vector<core::SymbolId> values = {space.value("red"), space.value("green"),
                                              space.value("blue")};
  auto event = [&](core::SymbolId value) {
    FeatureVector x;
    x.add_categorical(color, value, space.indicator(color, value));
    return x;
  };
  HoeffdingTreeClassifier model({});
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1000; ++i) {
    const std::size_t k = rng() % 3;
    model.learn_one(event(values[k]), Target::of_class(k == 1 ? 1 : 0));
  }
  ASSERT_EQ(model.num_branches(), 1u);
  EXPECT_EQ(model.num_leaves(), 3u);
  EXPECT_EQ(model.predict_one(event(values[1])), Target::of_class(1));
  EXPECT_EQ(model.predict_one(event(values[0])), Target::of_class(0));

  // A value never seen gets a branch of its own when it is learned.
  const core::SymbolId purple = space.value("purple");
  model.learn_one(event(purple), Target::of_class(1));
  EXPECT_EQ(model.num_leaves(), 4u);
}

// A numeric and a categorical feature that both matter, with some label noise, so that the tree
// grows numeric and multiway branches and keeps learning.
struct MixedStream {
  explicit MixedStream(std::uint64_t seed) : rng(seed) {
    for (const char* name : {"a", "b", "c", "d"}) values.push_back(space.value(name));
  }
  std::pair<FeatureVector, ClassId> next() {
    FeatureVector x;
    const double x0 = uniform(rng);
    const std::size_t k = rng() % values.size();
    x.add_numeric(number, x0);
    x.add_categorical(color, values[k], space.indicator(color, values[k]));
    const bool positive = k < 2 ? x0 > 0.3 : x0 > 0.8;
    const bool flip = uniform(rng) < 0.05;
    return {std::move(x), positive != flip ? 1u : 0u};
  }
  std::mt19937_64 rng;
  std::uniform_real_distribution<double> uniform{0.0, 1.0};
  core::FeatureSpace space;
  core::FeatureId number = space.feature("number");
  core::FeatureId color = space.feature("color");
  std::vector<core::SymbolId> values;
};

TEST(HoeffdingTreeClassifierTest, SaveLoadRoundTripGivesIdenticalPredictions) {
  HoeffdingTreeClassifier::Params params;
  params.grace_period = 50;
  HoeffdingTreeClassifier model(params);
  MixedStream stream(/*seed=*/11);
  for (int i = 0; i < 6000; ++i) {
    auto [x, y] = stream.next();
    model.learn_one(x, Target::of_class(y));
  }
  ASSERT_GE(model.num_branches(), 2u);
  core::StateWriter writer;
  model.save(writer);

  HoeffdingTreeClassifier restored(params);
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored.load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  EXPECT_EQ(restored.num_nodes(), model.num_nodes());

  // Both keep learning the same events and must agree bit for bit, splits included.
  ClassProbabilities expected, actual;
  for (int i = 0; i < 3000; ++i) {
    auto [x, y] = stream.next();
    model.predict_proba_one(x, expected);
    restored.predict_proba_one(x, actual);
    ASSERT_EQ(expected.values(), actual.values()) << "event " << i;
    model.learn_one(x, Target::of_class(y));
    restored.learn_one(x, Target::of_class(y));
  }
  core::StateWriter again;
  restored.save(again);
  core::StateWriter original;
  model.save(original);
  EXPECT_EQ(again.bytes(), original.bytes());
}

TEST(HoeffdingTreeClassifierTest, LoadRejectsTruncatedStateAndOtherParameters) {
  HoeffdingTreeClassifier model({});
  SeparableStream stream(/*seed=*/5);
  for (int i = 0; i < 500; ++i) {
    auto [x, y] = stream.next();
    model.learn_one(x, Target::of_class(y));
  }
  core::StateWriter writer;
  model.save(writer);
  const std::string& bytes = writer.bytes();

  HoeffdingTreeClassifier truncated_target({});
  core::StateReader truncated(std::string_view(bytes).substr(0, bytes.size() - 3));
  EXPECT_FALSE(truncated_target.load(truncated).is_ok());

  HoeffdingTreeClassifier::Params gini;
  gini.split_criterion = HoeffdingTreeClassifier::Criterion::kGini;
  HoeffdingTreeClassifier other(gini);
  core::StateReader reader(bytes);
  const core::Status status = other.load(reader);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("hoeffding_tree(split_criterion=gini)"), std::string::npos)
      << status.message();
}

TEST(HoeffdingTreeClassifierTest, LoadOfACorruptedStateFailsOrGivesAUsableModel) {
  HoeffdingTreeClassifier::Params params;
  params.grace_period = 50;
  HoeffdingTreeClassifier model(params);
  MixedStream stream(/*seed=*/4);
  for (int i = 0; i < 3000; ++i) {
    auto [x, y] = stream.next();
    model.learn_one(x, Target::of_class(y));
  }
  core::StateWriter writer;
  model.save(writer);
  const std::string bytes = writer.bytes();
  int loaded = 0;
  ClassProbabilities proba;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string corrupted = bytes;
    corrupted[i] = static_cast<char>(corrupted[i] ^ 0xA5);
    HoeffdingTreeClassifier target(params);
    core::StateReader reader(corrupted);
    if (!target.load(reader).is_ok()) continue;
    ++loaded;  // a flipped weight or threshold is still a valid tree: it must keep working
    for (int j = 0; j < 3; ++j) {
      auto [x, y] = stream.next();
      target.predict_proba_one(x, proba);
      target.learn_one(x, Target::of_class(y));
    }
  }
  EXPECT_GT(loaded, 0);
  EXPECT_LT(loaded, static_cast<int>(bytes.size()));
}

TEST(HoeffdingTreeClassifierTest, CloneIsUnfittedWithTheSameParameters) {
  auto built = LearnerRegistry::builtin().build("hoeffding_tree(grace_period=100, tau=0.1)");
  ASSERT_TRUE(built.is_ok()) << built.status().message();
  Learner& model = **built;
  SeparableStream stream(/*seed=*/2);
  for (int i = 0; i < 1000; ++i) {
    auto [x, y] = stream.next();
    model.learn_one(x, Target::of_class(y));
  }
  const std::unique_ptr<Learner> clone = model.clone();
  EXPECT_EQ(clone->describe(), "hoeffding_tree(grace_period=100, tau=0.1)");
  EXPECT_EQ(clone->describe(), model.describe());
  ClassProbabilities proba;
  clone->predict_proba_one(numeric({0.9, 0.5}), proba);
  EXPECT_TRUE(proba.empty());
  model.predict_proba_one(numeric({0.9, 0.5}), proba);
  EXPECT_FALSE(proba.empty());
}

TEST(HoeffdingTreeClassifierTest, FactoryReadsRiverParametersAndRejectsBadValues) {
  const auto& registry = LearnerRegistry::builtin();
  auto model = registry.build(
      "hoeffding_tree(grace_period=50, max_depth=4, split_criterion=gini, delta=0.001, "
      "leaf_prediction=mc, binary_split=true, merit_preprune=false)");
  ASSERT_TRUE(model.is_ok()) << model.status().message();
  EXPECT_EQ((*model)->describe(),
            "hoeffding_tree(grace_period=50, max_depth=4, split_criterion=gini, delta=0.001, "
            "leaf_prediction=mc, binary_split=true, merit_preprune=false)");

  auto bad = registry.build(
      "hoeffding_tree(grace_period=0, split_criterion=hellinger, delta=2, leaf_prediction=knn, "
      "max_share_to_split=0)");
  ASSERT_FALSE(bad.is_ok());
  const std::string message = bad.status().message();
  for (const char* key :
       {"grace_period", "split_criterion", "delta", "leaf_prediction", "max_share_to_split"})
    EXPECT_NE(message.find(key), std::string::npos) << key << " in " << message;
}

TEST(HoeffdingTreeClassifierTest, MaxDepthStopsGrowth) {
  HoeffdingTreeClassifier::Params params;
  params.grace_period = 20;
  params.max_depth = 1;
  HoeffdingTreeClassifier model(params);
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int i = 0; i < 5000; ++i) {
    const double x0 = uniform(rng), x1 = uniform(rng);
    // An XOR-like target that a deeper tree would keep splitting.
    const ClassId y = (x0 > 0.5) != (x1 > 0.3) ? 1 : 0;
    model.learn_one(numeric({x0, x1}), Target::of_class(y));
  }
  EXPECT_LE(model.depth(), 1u);
  EXPECT_GE(model.num_branches(), 1u);
  EXPECT_EQ(model.num_inactive_leaves(), model.num_leaves());
}

}  // namespace
}  // namespace streamlearn::learners
