#include "stream/aggregates/aggregate_kind.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace streamlearn::stream::aggregates {
namespace {

TEST(AggregateKindTest, EveryKindHasAUniqueNameThatMapsBack) {
  std::set<std::string> names;
  for (const AggregateKind kind : kAllAggregateKinds) {
    const std::string_view name = aggregate_kind_name(kind);
    EXPECT_TRUE(names.emplace(name).second) << name;
    EXPECT_EQ(aggregate_kind_from_name(name), kind) << name;
  }
  EXPECT_EQ(names.size(), kAllAggregateKinds.size());
}

TEST(AggregateKindTest, NamesAreTheDocumentedOnes) {
  EXPECT_EQ(known_aggregate_names(),
            "count, sum, mean, var, std, min, max, first, last, nunique, quantile");
  EXPECT_EQ(aggregate_kind_from_name("var"), AggregateKind::kVariance);
  EXPECT_EQ(aggregate_kind_from_name("std"), AggregateKind::kStandardDeviation);
  EXPECT_EQ(aggregate_kind_from_name("nunique"), AggregateKind::kDistinctCount);
}

TEST(AggregateKindTest, UnknownAndMiscasedNamesAreNotKinds) {
  EXPECT_EQ(aggregate_kind_from_name("median"), std::nullopt);
  EXPECT_EQ(aggregate_kind_from_name("Mean"), std::nullopt);
  EXPECT_EQ(aggregate_kind_from_name(""), std::nullopt);
  EXPECT_EQ(aggregate_kind_from_name("variance"), std::nullopt);
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
