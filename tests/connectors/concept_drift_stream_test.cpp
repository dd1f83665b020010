#include "connectors/synthetic/concept_drift_stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "connectors/synthetic/sea_generator.h"
#include "connectors/synthetic/sine_generator.h"

namespace streamlearn::connectors {
namespace {

std::unique_ptr<SeaGenerator> sea(std::int64_t variant, std::uint64_t seed,
                                  core::FeatureSpace& features, core::ClassSet& classes) {
  return std::make_unique<SeaGenerator>(SeaGenerator::Params{.variant = variant}, seed, features,
                                        classes);
}

// A stream with one categorical feature named x0, to clash with SEA's numeric x0.
class CategoricalXZero final : public SyntheticStream {
 public:
  CategoricalXZero(core::FeatureSpace& features, core::ClassSet& classes)
      : SyntheticStream(0, features, classes) {
    add_categorical_column("x0");
  }
  std::string describe() const override { return "categorical_x0"; }
  void next(stream::Event& event) override { event.clear(); }
  std::unique_ptr<SyntheticStream> clone() const override {
    return std::make_unique<CategoricalXZero>(feature_space(), class_set());
  }
};

TEST(ConceptDriftStreamTest, HeaderExampleDriftsFromOneSeaVariantToAnother) {
  core::FeatureSpace features;
  core::ClassSet classes;
  ConceptDriftStream drifting(
      std::make_unique<SeaGenerator>(SeaGenerator::Params{.variant = 0}, 1, features, classes),
      std::make_unique<SeaGenerator>(SeaGenerator::Params{.variant = 2}, 2, features, classes),
      {.position = 50'000, .width = 1'000}, /*seed=*/3);
  stream::Event event;
  drifting.next(event);
  EXPECT_EQ(event.features.numeric().size(), 3u);
  EXPECT_EQ(drifting.columns().size(), 3u);
  EXPECT_EQ(drifting.describe(),
            "concept_drift(stream=sea, drift_stream=sea(variant=2), position=50000)");
}

TEST(ConceptDriftStreamTest, DriftProbabilityIsRiversSigmoid) {
  const ConceptDriftStream::Params params{.position = 1000, .width = 200};
  EXPECT_DOUBLE_EQ(ConceptDriftStream::drift_probability(1000, params), 0.5);
  EXPECT_DOUBLE_EQ(ConceptDriftStream::drift_probability(900, params), 1 / (1 + std::exp(2.0)));
  EXPECT_DOUBLE_EQ(ConceptDriftStream::drift_probability(1100, params), 1 / (1 + std::exp(-2.0)));
  EXPECT_DOUBLE_EQ(ConceptDriftStream::drift_probability(1, params), 1 / (1 + std::exp(19.98)));
  for (int d = 1; d < 1000; d += 37)
    EXPECT_NEAR(ConceptDriftStream::drift_probability(1000 - d, params) +
                    ConceptDriftStream::drift_probability(1000 + d, params),
                1.0, 1e-12);
}

// Counts, per range of event numbers, how many events came from the drift stream; SEA variant 0
// (threshold 8) then variant 2 (threshold 7), so the labels say which concept an event follows.
TEST(ConceptDriftStreamTest, EventsComeFromTheFirstConceptBeforeAndTheSecondAfterTheChange) {
  core::FeatureSpace features;
  core::ClassSet classes;
  const ConceptDriftStream::Params params{.position = 100'000, .width = 10'000};
  ConceptDriftStream drifting(sea(0, 1, features, classes), sea(2, 2, features, classes), params,
                              3);
  stream::Event event;
  std::uint64_t drift_before = 0, drift_near = 0, near = 0, first_after = 0;
  for (std::uint64_t t = 1; t <= 140'000; ++t) {
    drifting.next(event);
    const bool from_drift = drifting.last_from_drift_stream();
    const auto& x = event.features.numeric();
    const bool positive = classes.name(event.label.class_id) == "1";
    ASSERT_EQ(positive, SeaGenerator::classify(from_drift ? 2 : 0, x[0].value, x[1].value));
    if (t < 70'000) drift_before += from_drift;   // position - 3 widths
    if (t > 130'000) first_after += !from_drift;  // position + 3 widths
    if (t >= 99'000 && t <= 101'000) {
      ++near;
      drift_near += from_drift;
    }
  }
  EXPECT_EQ(drift_before, 0u);
  EXPECT_EQ(first_after, 0u);
  EXPECT_NEAR(static_cast<double>(drift_near) / near, 0.5, 0.05);  // sd 0.011
  EXPECT_EQ(drifting.num_events(), 140'000u);
  EXPECT_GT(drifting.num_drift_events(), 40'000u);
}

TEST(ConceptDriftStreamTest, WidthOneIsASuddenDrift) {
  core::FeatureSpace features;
  core::ClassSet classes;
  ConceptDriftStream drifting(sea(0, 1, features, classes), sea(2, 2, features, classes),
                              {.position = 500, .width = 1}, 4);
  stream::Event event;
  for (int t = 1; t <= 1000; ++t) {
    drifting.next(event);
    // p(t) is below 1e-5 three events before the position and above 1 - 1e-5 three after.
    if (t <= 497) {
      ASSERT_FALSE(drifting.last_from_drift_stream()) << "event " << t;
    } else if (t >= 503) {
      ASSERT_TRUE(drifting.last_from_drift_stream()) << "event " << t;
    }
  }
}

TEST(ConceptDriftStreamTest, OnlyTheStreamDrawnFromAdvances) {
  core::FeatureSpace features;
  core::ClassSet classes;
  ConceptDriftStream drifting(sea(0, 1, features, classes), sea(2, 2, features, classes),
                              {.position = 300, .width = 200}, 5);
  // Fresh copies of the two streams replay what each yielded, in order, with no gaps.
  auto first = drifting.first_stream().clone();
  auto second = drifting.drift_stream().clone();
  stream::Event event, expected;
  for (int t = 1; t <= 600; ++t) {
    drifting.next(event);
    (drifting.last_from_drift_stream() ? second : first)->next(expected);
    ASSERT_EQ(event.features, expected.features) << "event " << t;
    ASSERT_EQ(event.label, expected.label) << "event " << t;
  }
}

TEST(ConceptDriftStreamTest, NestedDriftsComposeWithTheInnerPositionCountedFromTheOuterDrift) {
  core::FeatureSpace features;
  core::ClassSet classes;
  // Variant 0, then 1 from about event 1000, then 2 from about 1000 + 1000.
  auto inner = std::make_unique<ConceptDriftStream>(sea(1, 2, features, classes),
                                                    sea(2, 3, features, classes),
                                                    ConceptDriftStream::Params{1000, 1}, 4);
  ConceptDriftStream drifting(sea(0, 1, features, classes), std::move(inner), {1000, 1}, 5);
  stream::Event event;
  // Events whose label tells the variant in force from another one, per (variant, other).
  int telling[3][3] = {};
  for (int t = 1; t <= 3000; ++t) {
    drifting.next(event);
    std::int64_t variant = -1;
    if (t < 995) variant = 0;
    if (t > 1005 && t < 1995) variant = 1;
    if (t > 2005) variant = 2;
    if (variant < 0) continue;
    const auto& x = event.features.numeric();
    const bool positive = classes.name(event.label.class_id) == "1";
    ASSERT_EQ(positive, SeaGenerator::classify(variant, x[0].value, x[1].value)) << "event " << t;
    for (std::int64_t other = 0; other < 3; ++other)
      telling[variant][other] += SeaGenerator::classify(other, x[0].value, x[1].value) !=
                                 SeaGenerator::classify(variant, x[0].value, x[1].value);
  }
  for (int variant = 0; variant < 3; ++variant) {
    for (int other = 0; other < 3; ++other) {
      if (other == variant) continue;
      EXPECT_GT(telling[variant][other], 10) << variant << " vs " << other;
    }
  }
}

TEST(ConceptDriftStreamTest, CloneStartsOverWithTheSameChoices) {
  core::FeatureSpace features;
  core::ClassSet classes;
  ConceptDriftStream drifting(sea(0, 1, features, classes), sea(2, 2, features, classes),
                              {.position = 200, .width = 100}, 6);
  auto clone = drifting.clone();
  EXPECT_EQ(clone->describe(), drifting.describe());
  stream::Event a, b;
  for (int t = 1; t <= 400; ++t) {
    drifting.next(a);
    clone->next(b);
    ASSERT_EQ(a.features, b.features);
    ASSERT_EQ(a.label, b.label);
  }
}

TEST(ConceptDriftStreamTest, ColumnsAreTheUnionOfBothStreamsColumns) {
  core::FeatureSpace features;
  core::ClassSet classes;
  ConceptDriftStream drifting(
      std::make_unique<SineGenerator>(SineGenerator::Params{}, 1, features, classes),
      std::make_unique<SineGenerator>(SineGenerator::Params{.has_noise = true}, 2, features,
                                      classes),
      {.position = 10, .width = 1}, 7);
  ASSERT_EQ(drifting.columns().size(), 4u);
  EXPECT_EQ(drifting.columns()[0].name, "x0");
  EXPECT_EQ(drifting.columns()[3].name, "x3");
  stream::Event event;
  drifting.next(event);
  EXPECT_EQ(event.features.numeric().size(), 2u);  // the first stream's event
}

TEST(ConceptDriftStreamTest, CheckCompatibleRejectsAFeatureThatChangesKind) {
  core::FeatureSpace features;
  core::ClassSet classes;
  const SeaGenerator numeric({}, 1, features, classes);
  const CategoricalXZero categorical(features, classes);
  const core::Status status = ConceptDriftStream::check_compatible(numeric, categorical);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.message(),
            "feature 'x0' is numeric in sea but categorical in categorical_x0; a drift cannot "
            "change the kind of a feature");
  core::FeatureSpace other_features;
  const SeaGenerator elsewhere({}, 1, other_features, classes);
  EXPECT_FALSE(ConceptDriftStream::check_compatible(numeric, elsewhere).is_ok());
  EXPECT_TRUE(ConceptDriftStream::check_compatible(numeric, numeric).is_ok());
}

}  // namespace
}  // namespace streamlearn::connectors
