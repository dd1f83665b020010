#include "connectors/synthetic/synthetic_stream_registry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamlearn::connectors {
namespace {

std::vector<stream::Event> take(SyntheticStream& stream, int n) {
  std::vector<stream::Event> events(static_cast<std::size_t>(n));
  for (stream::Event& event : events) stream.next(event);
  return events;
}

void expect_same_events(const std::vector<stream::Event>& a, const std::vector<stream::Event>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].features, b[i].features) << "event " << i;
    ASSERT_EQ(a[i].label, b[i].label) << "event " << i;
  }
}

TEST(SyntheticStreamRegistryTest, HeaderExampleBuildsAStreamAndADrift) {
  core::FeatureSpace features;
  core::ClassSet classes;
  const auto& registry = SyntheticStreamRegistry::builtin();
  auto sea = registry.build("sea(variant=2)", /*seed=*/42, features, classes);
  ASSERT_TRUE(sea.is_ok()) << sea.status().message();
  EXPECT_EQ((*sea)->describe(), "sea(variant=2)");
  EXPECT_EQ((*sea)->seed(), 42u);
  auto drifting = registry.build_drift("agrawal", "agrawal(classification_function=2)",
                                       {.position = 50'000, .width = 1'000}, 42, features, classes);
  ASSERT_TRUE(drifting.is_ok()) << drifting.status().message();
  EXPECT_EQ((*drifting)->describe(),
            "concept_drift(stream=agrawal, drift_stream=agrawal(classification_function=2), "
            "position=50000)");
}

TEST(SyntheticStreamRegistryTest, EveryEntryBuildsWithItsDefaultsAndDescribeRebuildsIt) {
  const auto entries = SyntheticStreamRegistry::builtin().entries();
  std::vector<std::string> names;
  for (const auto& entry : entries) names.push_back(entry.name);
  EXPECT_EQ(names, (std::vector<std::string>{"agrawal", "concept_drift", "hyperplane", "random_rbf",
                                             "random_rbf_drift", "sea", "sine", "stagger"}));
  for (const auto& entry : entries) {
    core::FeatureSpace features;
    core::ClassSet classes;
    auto stream = SyntheticStreamRegistry::builtin().build(entry.name, 7, features, classes);
    ASSERT_TRUE(stream.is_ok()) << entry.name << ": " << stream.status().message();
    EXPECT_FALSE((*stream)->columns().empty()) << entry.name;
    const auto events = take(**stream, 200);
    for (const stream::Event& event : events) {
      ASSERT_TRUE(event.label.is_class()) << entry.name;
      ASSERT_FALSE(event.features.empty()) << entry.name;
    }
    if (entry.name != "concept_drift") {
      EXPECT_EQ((*stream)->describe(), entry.name);
    }
    auto rebuilt =
        SyntheticStreamRegistry::builtin().build((*stream)->describe(), 7, features, classes);
    ASSERT_TRUE(rebuilt.is_ok()) << rebuilt.status().message();
    expect_same_events(take(**rebuilt, 200), events);
    auto other_seed = SyntheticStreamRegistry::builtin().build(entry.name, 8, features, classes);
    ASSERT_TRUE(other_seed.is_ok());
    int equal_events = 0;
    const auto other_events = take(**other_seed, 200);
    for (std::size_t i = 0; i < events.size(); ++i)
      equal_events += events[i].features == other_events[i].features;
    EXPECT_LT(equal_events, 20) << entry.name;  // STAGGER repeats one object in 27 by chance
  }
}

TEST(SyntheticStreamRegistryTest, ParametersReachTheGenerator) {
  core::FeatureSpace features;
  core::ClassSet classes;
  auto stream = SyntheticStreamRegistry::builtin().build(
      "hyperplane(n_features=3, mag_change=0.25, sigma=0)", 1, features, classes);
  ASSERT_TRUE(stream.is_ok()) << stream.status().message();
  EXPECT_EQ((*stream)->describe(), "hyperplane(n_features=3, mag_change=0.25, sigma=0)");
  EXPECT_EQ((*stream)->columns().size(), 3u);
}

TEST(SyntheticStreamRegistryTest, ReportsEveryErrorOfAnExpressionAtOnce) {
  core::FeatureSpace features;
  core::ClassSet classes;
  auto stream = SyntheticStreamRegistry::builtin().build("sea(variant=9, noise=2, typo=1)", 1,
                                                         features, classes);
  ASSERT_FALSE(stream.is_ok());
  const std::string message = stream.status().message();
  EXPECT_NE(message.find("stream expression 'sea(variant=9, noise=2, typo=1)': sea:"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("variant: must be 0, 1, 2 or 3"), std::string::npos) << message;
  EXPECT_NE(message.find("noise: must be a probability in [0, 1], got 2"), std::string::npos)
      << message;
  EXPECT_NE(message.find("unknown parameter 'typo' (allowed: variant, noise)"), std::string::npos)
      << message;
}

TEST(SyntheticStreamRegistryTest, UnknownGeneratorListsTheKnownOnesAndPipelinesAreRejected) {
  core::FeatureSpace features;
  core::ClassSet classes;
  auto unknown = SyntheticStreamRegistry::builtin().build("seaa", 1, features, classes);
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find(
                "unknown generator 'seaa' (known: agrawal, concept_drift, hyperplane, random_rbf, "
                "random_rbf_drift, sea, sine, stagger)"),
            std::string::npos)
      << unknown.status().message();
  auto two = SyntheticStreamRegistry::builtin().build("sea | sine", 1, features, classes);
  ASSERT_FALSE(two.is_ok());
  EXPECT_NE(two.status().message().find("name one generator"), std::string::npos);
  auto malformed = SyntheticStreamRegistry::builtin().build("sea(variant=", 1, features, classes);
  ASSERT_FALSE(malformed.is_ok());
  EXPECT_NE(malformed.status().message().find("stream expression 'sea(variant='"),
            std::string::npos)
      << malformed.status().message();
}

TEST(SyntheticStreamRegistryTest, BuildDriftGivesTheTwoStreamsDifferentSeeds) {
  // River seeds both streams alike, so its drift stream replays the first one's features.
  core::FeatureSpace features;
  core::ClassSet classes;
  auto drifting = SyntheticStreamRegistry::builtin().build_drift(
      "sea", "sea(variant=1)", {.position = 10, .width = 1}, 42, features, classes);
  ASSERT_TRUE(drifting.is_ok()) << drifting.status().message();
  const auto& concept_drift = dynamic_cast<const ConceptDriftStream&>(**drifting);
  const auto first = take(*concept_drift.first_stream().clone(), 50);
  const auto second = take(*concept_drift.drift_stream().clone(), 50);
  for (std::size_t i = 0; i < first.size(); ++i)
    ASSERT_FALSE(first[i].features == second[i].features);
  EXPECT_EQ(concept_drift.first_stream().seed(), SyntheticStream::derive_seed(42, 0));
  EXPECT_EQ(concept_drift.drift_stream().seed(), SyntheticStream::derive_seed(42, 1));
}

TEST(SyntheticStreamRegistryTest, ConceptDriftExpressionBuildsWhatBuildDriftBuilds) {
  core::FeatureSpace features;
  core::ClassSet classes;
  auto from_expression = SyntheticStreamRegistry::builtin().build(
      "concept_drift(stream=sea, drift_stream=sea(variant=2), position=100, width=10)", 5, features,
      classes);
  ASSERT_TRUE(from_expression.is_ok()) << from_expression.status().message();
  auto from_call = SyntheticStreamRegistry::builtin().build_drift(
      "sea", "sea(variant=2)", {.position = 100, .width = 10}, 5, features, classes);
  ASSERT_TRUE(from_call.is_ok()) << from_call.status().message();
  expect_same_events(take(**from_expression, 300), take(**from_call, 300));
}

TEST(SyntheticStreamRegistryTest, NestedConceptDriftExpressionsBuild) {
  core::FeatureSpace features;
  core::ClassSet classes;
  auto nested = SyntheticStreamRegistry::builtin().build(
      "concept_drift(stream=stagger, drift_stream=concept_drift(stream=stagger("
      "classification_function=1), drift_stream=stagger(classification_function=2), "
      "position=100, width=1), position=100, width=1)",
      5, features, classes);
  ASSERT_TRUE(nested.is_ok()) << nested.status().message();
  EXPECT_EQ((*nested)->describe(),
            "concept_drift(stream=stagger, drift_stream=concept_drift(stream=stagger("
            "classification_function=1), drift_stream=stagger(classification_function=2), "
            "position=100, width=1), position=100, width=1)");
}

TEST(SyntheticStreamRegistryTest, BuildDriftReportsErrorsInBothExpressionsAndTheWidth) {
  core::FeatureSpace features;
  core::ClassSet classes;
  auto drifting = SyntheticStreamRegistry::builtin().build_drift(
      "seaa", "agrawal(classification_function=12)", {.position = -1, .width = 0}, 1, features,
      classes);
  ASSERT_FALSE(drifting.is_ok());
  const std::string message = drifting.status().message();
  EXPECT_NE(message.find("position: must be >= 0, got -1"), std::string::npos) << message;
  EXPECT_NE(message.find("width: must be >= 1 (1 = a sudden drift), got 0"), std::string::npos)
      << message;
  EXPECT_NE(message.find("stream: stream expression 'seaa': unknown generator 'seaa'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("classification_function: must be 0..9, got 12"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace streamlearn::connectors
