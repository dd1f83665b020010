#include "connectors/synthetic/sea_generator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/param_reader.h"
#include "tests/test_support.h"

namespace streamlearn::connectors {
namespace {

struct Point {
  double x[3];
  bool positive;
};

Point next_point(SeaGenerator& sea, stream::Event& event) {
  sea.next(event);
  Point point{};
  const auto& numeric = event.features.numeric();
  EXPECT_EQ(numeric.size(), 3u);
  for (std::size_t i = 0; i < 3 && i < numeric.size(); ++i) point.x[i] = numeric[i].value;
  point.positive = sea.class_set().name(event.label.class_id) == "1";
  return point;
}

TEST(SeaGeneratorTest, HeaderExampleYieldsThreeFeaturesAndABinaryLabel) {
  core::FeatureSpace features;
  core::ClassSet classes;
  SeaGenerator sea({.variant = 0, .noise = 0.1}, /*seed=*/42, features, classes);
  stream::Event event;
  sea.next(event);
  ASSERT_EQ(sea.columns().size(), 3u);
  EXPECT_EQ(sea.columns()[0].name, "x0");
  EXPECT_EQ(sea.columns()[2].name, "x2");
  EXPECT_FALSE(sea.columns()[1].categorical);
  EXPECT_EQ(event.features.numeric().size(), 3u);
  ASSERT_TRUE(event.label.is_class());
  const std::string& label = classes.name(event.label.class_id);
  EXPECT_TRUE(label == "0" || label == "1") << label;
}

TEST(SeaGeneratorTest, LabelIsOneExactlyWhenXZeroPlusXOneExceedsTheVariantsThreshold) {
  const double thresholds[4] = {8.0, 9.0, 7.0, 9.5};
  for (std::int64_t variant = 0; variant < 4; ++variant) {
    core::FeatureSpace features;
    core::ClassSet classes;
    SeaGenerator sea({.variant = variant}, 100 + variant, features, classes);
    EXPECT_EQ(SeaGenerator::threshold(variant), thresholds[variant]);
    stream::Event event;
    int positives = 0;
    for (int i = 0; i < 5000; ++i) {
      const Point p = next_point(sea, event);
      ASSERT_EQ(p.positive, p.x[0] + p.x[1] > thresholds[variant]) << "variant " << variant;
      positives += p.positive;
    }
    // P(x0 + x1 > t) for two U(0, 10): (20 - t)^2 / 200 when t >= 10, else 1 - t^2 / 200.
    const double expected = 1.0 - thresholds[variant] * thresholds[variant] / 200.0;
    EXPECT_NEAR(positives / 5000.0, expected, 0.03) << "variant " << variant;
  }
}

TEST(SeaGeneratorTest, FeaturesAreUniformOnZeroToTen) {
  core::FeatureSpace features;
  core::ClassSet classes;
  SeaGenerator sea({}, 3, features, classes);
  stream::Event event;
  double sum = 0;
  for (int i = 0; i < 30'000; ++i) {
    const Point p = next_point(sea, event);
    for (double x : p.x) {
      ASSERT_GE(x, 0.0);
      ASSERT_LT(x, 10.0);
      sum += x;
    }
  }
  EXPECT_NEAR(sum / 90'000, 5.0, 0.05);  // sd of the mean: 0.01
}

TEST(SeaGeneratorTest, NoiseFlipsThatFractionOfLabels) {
  core::FeatureSpace features;
  core::ClassSet classes;
  SeaGenerator sea({.variant = 1, .noise = 0.2}, 4, features, classes);
  stream::Event event;
  int flipped = 0;
  for (int i = 0; i < 20'000; ++i) {
    const Point p = next_point(sea, event);
    flipped += p.positive != SeaGenerator::classify(1, p.x[0], p.x[1]);
  }
  EXPECT_NEAR(flipped / 20'000.0, 0.2, 0.015);  // sd 0.0028
}

TEST(SeaGeneratorTest, SameSeedGivesTheSameEventsAndCloneStartsOver) {
  core::FeatureSpace features;
  core::ClassSet classes;
  SeaGenerator a({.variant = 2, .noise = 0.1}, 5, features, classes);
  SeaGenerator b({.variant = 2, .noise = 0.1}, 5, features, classes);
  SeaGenerator other({.variant = 2, .noise = 0.1}, 6, features, classes);
  stream::Event event_a, event_b, event_other;
  std::vector<stream::Event> first_events;
  int equal_to_other_seed = 0;
  for (int i = 0; i < 200; ++i) {
    a.next(event_a);
    b.next(event_b);
    other.next(event_other);
    ASSERT_EQ(event_a.features, event_b.features);
    ASSERT_EQ(event_a.label, event_b.label);
    equal_to_other_seed += event_a.features == event_other.features;
    first_events.push_back(event_a);
  }
  EXPECT_EQ(equal_to_other_seed, 0);
  auto clone = a.clone();
  EXPECT_EQ(clone->describe(), a.describe());
  EXPECT_EQ(clone->seed(), 5u);
  for (const stream::Event& expected : first_events) {
    clone->next(event_a);
    ASSERT_EQ(event_a.features, expected.features);
    ASSERT_EQ(event_a.label, expected.label);
  }
}

TEST(SeaGeneratorTest, DescribeNamesOnlyParametersThatDifferFromRiversDefaults) {
  core::FeatureSpace features;
  core::ClassSet classes;
  EXPECT_EQ(SeaGenerator({}, 1, features, classes).describe(), "sea");
  EXPECT_EQ(SeaGenerator({.variant = 2, .noise = 0.1}, 1, features, classes).describe(),
            "sea(variant=2, noise=0.1)");
}

TEST(SeaGeneratorTest, ReadParamsRejectsAnUnknownVariantAndANoiseThatIsNoProbability) {
  const core::ParamMap given = {{"variant", "4"}, {"noise", "1.5"}};
  core::ParamReader reader("sea", given);
  EXPECT_FALSE(SeaGenerator::read_params(reader).has_value());
  const core::Status status = reader.finish();
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("variant: must be 0, 1, 2 or 3"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("noise: must be a probability in [0, 1], got 1.5"),
            std::string::npos)
      << status.message();
}

// River's own stream: SEA(variant=0) drifting to SEA(variant=1) at 50,000 (width 1,000). Far from
// the drift every row follows its variant's rule, which pins River's direction: 1 = above.
TEST(SeaGeneratorTest, ClassifyAgreesWithRiversStreamOnBothSidesOfItsDrift) {
  SL_REQUIRE_SHARED_DIR(shared);
  std::ifstream in(shared / "reference" / "streams" / "sea_drift_100k.csv");
  ASSERT_TRUE(in) << "cannot read sea_drift_100k.csv";
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line, "x0,x1,x2,label");
  int row = 0, checked = 0, variants_disagree = 0;
  while (std::getline(in, line)) {
    ++row;
    if (row > 47'000 && row < 53'000) continue;
    std::istringstream fields(line);
    double x0 = 0, x1 = 0, x2 = 0;
    char comma = 0;
    int label = 0;
    fields >> x0 >> comma >> x1 >> comma >> x2 >> comma >> label;
    ASSERT_FALSE(fields.fail()) << line;
    const std::int64_t variant = row <= 47'000 ? 0 : 1;
    ASSERT_EQ(SeaGenerator::classify(variant, x0, x1), label == 1) << "row " << row << ": " << line;
    variants_disagree += SeaGenerator::classify(0, x0, x1) != SeaGenerator::classify(1, x0, x1);
    ++checked;
  }
  EXPECT_EQ(checked, 94'001);
  EXPECT_GT(variants_disagree, 5'000);  // the check can tell the variants apart
}

}  // namespace
}  // namespace streamlearn::connectors
