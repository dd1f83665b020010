#include "connectors/synthetic/agrawal_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace streamlearn::connectors {
namespace {

using Record = AgrawalGenerator::Record;

Record record_of(const stream::Event& event) {
  const auto& x = event.features.numeric();
  EXPECT_EQ(x.size(), 9u);
  if (x.size() != 9) return {};
  return {x[0].value, x[1].value, x[2].value, x[3].value, x[4].value,
          x[5].value, x[6].value, x[7].value, x[8].value};
}

int label_of(const AgrawalGenerator& agrawal, const stream::Event& event) {
  return agrawal.class_set().name(event.label.class_id) == "1" ? 1 : 0;
}

Record make(double salary, double commission, double age, double elevel, double loan,
            double hvalue = 300000, double hyears = 10) {
  return {salary, commission, age, elevel, /*car=*/5, /*zipcode=*/3, hvalue, hyears, loan};
}

TEST(AgrawalGeneratorTest, HeaderExampleYieldsRiversNineFeatures) {
  core::FeatureSpace features;
  core::ClassSet classes;
  AgrawalGenerator agrawal({.classification_function = 2}, /*seed=*/42, features, classes);
  stream::Event event;
  agrawal.next(event);
  const char* names[9] = {"salary",  "commission", "age",    "elevel", "car",
                          "zipcode", "hvalue",     "hyears", "loan"};
  ASSERT_EQ(agrawal.columns().size(), 9u);
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(agrawal.columns()[i].name, names[i]);
    EXPECT_FALSE(agrawal.columns()[i].categorical) << names[i];
  }
  EXPECT_EQ(event.features.numeric().size(), 9u);
  EXPECT_TRUE(event.label.is_class());
}

TEST(AgrawalGeneratorTest, FeaturesFollowRiversRanges) {
  core::FeatureSpace features;
  core::ClassSet classes;
  AgrawalGenerator agrawal({}, 1, features, classes);
  stream::Event event;
  bool age_ends[2] = {}, car_ends[2] = {}, zip_ends[2] = {}, hyears_ends[2] = {};
  for (int i = 0; i < 20'000; ++i) {
    agrawal.next(event);
    const Record r = record_of(event);
    ASSERT_GE(r.salary, 20000);
    ASSERT_LT(r.salary, 150000);
    if (r.salary >= 75000) {
      ASSERT_EQ(r.commission, 0.0);
    } else {
      ASSERT_GE(r.commission, 10000);
      ASSERT_LT(r.commission, 85000);
    }
    for (double integral : {r.age, r.elevel, r.car, r.zipcode, r.hyears})
      ASSERT_EQ(integral, std::floor(integral));
    ASSERT_TRUE(r.age >= 20 && r.age <= 80);
    ASSERT_TRUE(r.elevel >= 0 && r.elevel <= 4);
    ASSERT_TRUE(r.car >= 1 && r.car <= 20);
    ASSERT_TRUE(r.zipcode >= 0 && r.zipcode <= 8);
    ASSERT_TRUE(r.hyears >= 1 && r.hyears <= 30);
    ASSERT_GE(r.hvalue, (8 - r.zipcode) * 50000);
    ASSERT_LE(r.hvalue, (8 - r.zipcode) * 150000);
    ASSERT_GE(r.loan, 0);
    ASSERT_LT(r.loan, 500000);
    age_ends[0] |= r.age == 20, age_ends[1] |= r.age == 80;
    car_ends[0] |= r.car == 1, car_ends[1] |= r.car == 20;
    zip_ends[0] |= r.zipcode == 0, zip_ends[1] |= r.zipcode == 8;
    hyears_ends[0] |= r.hyears == 1, hyears_ends[1] |= r.hyears == 30;
  }
  for (const bool* ends : {age_ends, car_ends, zip_ends, hyears_ends}) {
    EXPECT_TRUE(ends[0]);
    EXPECT_TRUE(ends[1]);
  }
}

TEST(AgrawalGeneratorTest, EveryLabelIsItsClassificationFunctionOfTheRecord) {
  for (std::int64_t function = 0; function < 10; ++function) {
    core::FeatureSpace features;
    core::ClassSet classes;
    AgrawalGenerator agrawal({.classification_function = function}, 20 + function, features,
                             classes);
    stream::Event event;
    int positives = 0;
    for (int i = 0; i < 3000; ++i) {
      agrawal.next(event);
      const int label = label_of(agrawal, event);
      ASSERT_EQ(label, AgrawalGenerator::classify(function, record_of(event)))
          << "function " << function << ", event " << i;
      positives += label;
    }
    // Every function yields both classes (function 9 rarely gives 1: equity lifts the income).
    EXPECT_GT(positives, 0) << "function " << function;
    EXPECT_LT(positives, 3000) << "function " << function;
  }
}

TEST(AgrawalGeneratorTest, ClassifyFollowsTheTenFunctionsOnHandMadeRecords) {
  // 0: young or old.
  EXPECT_EQ(AgrawalGenerator::classify(0, make(50000, 0, 39, 0, 0)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(0, make(50000, 0, 40, 0, 0)), 0);
  EXPECT_EQ(AgrawalGenerator::classify(0, make(50000, 0, 60, 0, 0)), 1);
  // 1: a salary band per age group.
  EXPECT_EQ(AgrawalGenerator::classify(1, make(60000, 0, 30, 0, 0)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(1, make(120000, 0, 30, 0, 0)), 0);
  EXPECT_EQ(AgrawalGenerator::classify(1, make(100000, 0, 45, 0, 0)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(1, make(80000, 0, 65, 0, 0)), 0);
  // 2: education levels per age group.
  EXPECT_EQ(AgrawalGenerator::classify(2, make(50000, 0, 30, 1, 0)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(2, make(50000, 0, 30, 2, 0)), 0);
  EXPECT_EQ(AgrawalGenerator::classify(2, make(50000, 0, 50, 3, 0)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(2, make(50000, 0, 70, 1, 0)), 0);
  // 3: education picks the salary band.
  EXPECT_EQ(AgrawalGenerator::classify(3, make(30000, 0, 30, 0, 0)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(3, make(30000, 0, 30, 3, 0)), 0);
  EXPECT_EQ(AgrawalGenerator::classify(3, make(100000, 0, 50, 4, 0)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(3, make(100000, 0, 70, 0, 0)), 0);
  // 4: salary picks the loan band (the paper's function 5, not River's typo'd one).
  EXPECT_EQ(AgrawalGenerator::classify(4, make(60000, 0, 30, 0, 200000)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(4, make(120000, 0, 30, 0, 350000)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(4, make(120000, 0, 30, 0, 150000)), 0);
  EXPECT_EQ(AgrawalGenerator::classify(4, make(60000, 0, 50, 0, 350000)), 1);   // River: 0
  EXPECT_EQ(AgrawalGenerator::classify(4, make(100000, 0, 50, 0, 300000)), 1);  // River: 0
  EXPECT_EQ(AgrawalGenerator::classify(4, make(100000, 0, 70, 0, 80000)), 0);   // River: 1
  EXPECT_EQ(AgrawalGenerator::classify(4, make(40000, 0, 70, 0, 400000)), 1);
  // 5: salary plus commission in a band per age group.
  EXPECT_EQ(AgrawalGenerator::classify(5, make(40000, 20000, 30, 0, 0)), 1);
  EXPECT_EQ(AgrawalGenerator::classify(5, make(40000, 0, 30, 0, 0)), 0);
  // 6: disposable = 2 (salary + commission) / 3 - loan / 5 - 20000; 1 when <= 1.
  EXPECT_EQ(AgrawalGenerator::classify(6, make(90000, 0, 30, 0, 100000)), 0);  // 20000
  EXPECT_EQ(AgrawalGenerator::classify(6, make(90000, 0, 30, 0, 500000)), 1);  // -60000
  // 7: disposable = 2 (salary + commission) / 3 - 5000 elevel - 20000.
  EXPECT_EQ(AgrawalGenerator::classify(7, make(45000, 0, 30, 2, 0)), 1);  // 0
  EXPECT_EQ(AgrawalGenerator::classify(7, make(45000, 0, 30, 0, 0)), 0);  // 10000
  // 8: disposable = 2 (salary + commission) / 3 - 5000 elevel - loan / 5 - 10000.
  EXPECT_EQ(AgrawalGenerator::classify(8, make(60000, 0, 30, 1, 50000)), 0);   // 15000
  EXPECT_EQ(AgrawalGenerator::classify(8, make(60000, 0, 30, 1, 200000)), 1);  // -15000
  // 9: as 8 with equity / 5 instead of the loan; equity = hvalue (hyears - 20) / 10 from 20 years.
  EXPECT_EQ(AgrawalGenerator::classify(9, make(30000, 0, 30, 2, 0, 200000, 25)), 0);  // 20000
  EXPECT_EQ(AgrawalGenerator::classify(9, make(30000, 0, 30, 2, 0, 200000, 10)), 1);  // 0
}

TEST(AgrawalGeneratorTest, BalanceClassesAlternatesTheLabelsStartingWithOne) {
  core::FeatureSpace features;
  core::ClassSet classes;
  // Function 0 labels two thirds of the records 1: unbalanced without the option.
  AgrawalGenerator agrawal({.classification_function = 0, .balance_classes = true}, 8, features,
                           classes);
  stream::Event event;
  for (int i = 0; i < 1000; ++i) {
    agrawal.next(event);
    ASSERT_EQ(label_of(agrawal, event), i % 2 == 0 ? 1 : 0) << "event " << i;
    ASSERT_EQ(label_of(agrawal, event), AgrawalGenerator::classify(0, record_of(event)));
  }
}

TEST(AgrawalGeneratorTest, PerturbationMovesFeaturesWithinTheirRangesAndKeepsTheLabels) {
  core::FeatureSpace features;
  core::ClassSet classes;
  AgrawalGenerator clean({.classification_function = 1}, 9, features, classes);
  AgrawalGenerator noisy({.classification_function = 1, .perturbation = 0.2}, 9, features, classes);
  stream::Event event;
  int disagreements = 0;
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    clean.next(event);
    ASSERT_EQ(label_of(clean, event), AgrawalGenerator::classify(1, record_of(event)));
    noisy.next(event);
    const Record r = record_of(event);
    ASSERT_TRUE(r.salary >= 20000 && r.salary <= 150000);
    ASSERT_TRUE(r.age >= 20 && r.age <= 80 && r.age == std::floor(r.age));
    ASSERT_TRUE(r.hyears >= 1 && r.hyears <= 30 && r.hyears == std::floor(r.hyears));
    ASSERT_TRUE(r.hvalue >= (8 - r.zipcode) * 50000 && r.hvalue <= (8 - r.zipcode) * 150000);
    ASSERT_TRUE(r.loan >= 0 && r.loan <= 500000);
    disagreements += label_of(noisy, event) != AgrawalGenerator::classify(1, r);
  }
  // The label was computed before the features moved, so some no longer match them.
  EXPECT_GT(disagreements, n / 50);
  EXPECT_LT(disagreements, n / 2);
}

TEST(AgrawalGeneratorTest, SameSeedGivesTheSameEvents) {
  core::FeatureSpace features;
  core::ClassSet classes;
  const AgrawalGenerator::Params params{.classification_function = 9, .perturbation = 0.05};
  AgrawalGenerator a(params, 10, features, classes), b(params, 10, features, classes);
  AgrawalGenerator other(params, 11, features, classes);
  stream::Event event_a, event_b, event_other;
  int equal_to_other_seed = 0;
  for (int i = 0; i < 500; ++i) {
    a.next(event_a);
    b.next(event_b);
    other.next(event_other);
    ASSERT_EQ(event_a.features, event_b.features);
    ASSERT_EQ(event_a.label, event_b.label);
    equal_to_other_seed += event_a.features == event_other.features;
  }
  EXPECT_EQ(equal_to_other_seed, 0);
  EXPECT_EQ(a.describe(), "agrawal(classification_function=9, perturbation=0.05)");
}

TEST(AgrawalGeneratorTest, ReadParamsRejectsAFunctionOutsideZeroToNine) {
  const core::ParamMap given = {{"classification_function", "10"}, {"perturbation", "-0.1"}};
  core::ParamReader reader("agrawal", given);
  EXPECT_FALSE(AgrawalGenerator::read_params(reader).has_value());
  const std::string message = reader.finish().message();
  EXPECT_NE(message.find("classification_function: must be 0..9, got 10"), std::string::npos)
      << message;
  EXPECT_NE(message.find("perturbation: must be in [0, 1], got -0.1"), std::string::npos)
      << message;
}

// River's own stream: Agrawal function 0 drifting to function 2 at 50,000 (width 1,000). Far
// from the drift every row's label is its function of the row.
TEST(AgrawalGeneratorTest, ClassifyAgreesWithRiversStreamOnBothSidesOfItsDrift) {
  SL_REQUIRE_SHARED_DIR(shared);
  std::ifstream in(shared / "reference" / "streams" / "agrawal_drift_100k.csv");
  ASSERT_TRUE(in) << "cannot read agrawal_drift_100k.csv";
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line, "salary,commission,age,elevel,car,zipcode,hvalue,hyears,loan,label");
  int row = 0, checked = 0, functions_disagree = 0;
  while (std::getline(in, line)) {
    ++row;
    if (row > 47'000 && row < 53'000) continue;
    std::istringstream fields(line);
    double values[10] = {};
    char comma = 0;
    fields >> values[0];
    for (int i = 1; i < 10; ++i) fields >> comma >> values[i];
    ASSERT_FALSE(fields.fail()) << line;
    const Record r{values[0], values[1], values[2], values[3], values[4],
                   values[5], values[6], values[7], values[8]};
    const std::int64_t function = row <= 47'000 ? 0 : 2;
    ASSERT_EQ(AgrawalGenerator::classify(function, r), static_cast<int>(values[9]))
        << "row " << row << ": " << line;
    functions_disagree += AgrawalGenerator::classify(0, r) != AgrawalGenerator::classify(2, r);
    ++checked;
  }
  EXPECT_EQ(checked, 94'001);
  EXPECT_GT(functions_disagree, 20'000);
}

}  // namespace
}  // namespace streamlearn::connectors
