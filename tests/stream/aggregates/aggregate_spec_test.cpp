#include "stream/aggregates/aggregate_spec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamlearn::stream::aggregates {
namespace {

AggregateSpec parsed(std::string_view expression) {
  auto spec = parse_aggregate_spec(expression);
  EXPECT_TRUE(spec.is_ok()) << spec.status().message();
  return spec.is_ok() ? spec.value() : AggregateSpec{};
}

std::string error_of(std::string_view expression) {
  auto spec = parse_aggregate_spec(expression);
  EXPECT_FALSE(spec.is_ok()) << expression << " parsed as " << spec->expression();
  return spec.status().message();
}

TEST(AggregateSpecTest, ParsesEveryKindWithItsDefaults) {
  for (const AggregateKind kind : kAllAggregateKinds) {
    const std::string expression = std::string(aggregate_kind_name(kind)) + "(amount)";
    const AggregateSpec spec = parsed(expression);
    EXPECT_EQ(spec.kind, kind) << expression;
    EXPECT_EQ(spec.field, "amount");
    EXPECT_EQ(spec.expression(), expression);
  }
  EXPECT_EQ(std::get<Variance::Params>(parsed("var(x)").params), Variance::Params{});
  EXPECT_EQ(std::get<Variance::Params>(parsed("std(x)").params), Variance::Params{});
  EXPECT_EQ(std::get<DistinctCount::Params>(parsed("nunique(x)").params), DistinctCount::Params{});
  EXPECT_EQ(std::get<Quantile::Params>(parsed("quantile(x)").params), Quantile::Params{});
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parsed("mean(x)").params));
}

TEST(AggregateSpecTest, CountNeedsNoField) {
  const AggregateSpec events = parsed("count()");
  EXPECT_EQ(events.kind, AggregateKind::kCount);
  EXPECT_EQ(events.field, "");
  EXPECT_EQ(events.expression(), "count()");
  EXPECT_EQ(parsed("count(amount)").field, "amount");
  EXPECT_EQ(parsed(" count ( ) ").expression(), "count()");
}

TEST(AggregateSpecTest, ParsesParameters) {
  const AggregateSpec p99 = parsed("quantile(latency, q=0.99, alpha=0.01)");
  EXPECT_EQ(p99.kind, AggregateKind::kQuantile);
  EXPECT_EQ(p99.field, "latency");
  EXPECT_EQ(std::get<Quantile::Params>(p99.params),
            (Quantile::Params{.q = 0.99, .alpha = 0.01, .max_num_buckets = 2048}));
  EXPECT_EQ(p99.expression(), "quantile(latency, q=0.99)");
  EXPECT_EQ(std::get<Quantile::Params>(
                parsed("  quantile ( latency ,max_num_buckets = 512,alpha=0.05 )").params),
            (Quantile::Params{.q = 0.5, .alpha = 0.05, .max_num_buckets = 512}));
  EXPECT_EQ(std::get<DistinctCount::Params>(parsed("nunique(user, precision=14)").params).precision,
            14u);
  EXPECT_EQ(std::get<Variance::Params>(parsed("var(x, ddof=0)").params).ddof, 0u);
  EXPECT_EQ(std::get<Variance::Params>(parsed("std(x, ddof=2)").params).ddof, 2u);
}

TEST(AggregateSpecTest, FieldsMayBeDottedOrQuoted) {
  EXPECT_EQ(parsed("mean(payload.amount)").field, "payload.amount");
  EXPECT_EQ(parsed("mean(user-id)").field, "user-id");
  EXPECT_EQ(parsed("mean('order amount')").field, "order amount");
  EXPECT_EQ(parsed("mean(\"it's\")").field, "it's");
  EXPECT_EQ(parsed("quantile('a, b)', q=0.9)").field, "a, b)");
  EXPECT_EQ(parsed("mean('order amount')").expression(), "mean('order amount')");
  EXPECT_EQ(parsed("mean(\"it's\")").expression(), "mean(\"it's\")");
}

TEST(AggregateSpecTest, ExpressionParsesBackToAnEqualSpec) {
  for (const char* expression :
       {"count()", "count(amount)", "sum(amount)", "mean('order amount')", "var(x, ddof=0)",
        "std(x, ddof=3)", "min(x)", "max(x)", "first(x)", "last(x)", "nunique(user, precision=4)",
        "quantile(latency, q=0.999, alpha=0.001, max_num_buckets=65536)",
        "quantile(latency, q=0, alpha=0.5, max_num_buckets=16)", "quantile(x, q=1)"}) {
    const AggregateSpec spec = parsed(expression);
    EXPECT_EQ(spec.expression(), expression);
    EXPECT_EQ(parsed(spec.expression()), spec) << expression;
  }
  // Numbers in ParamWriter's shortest round-trip form, as describe() writes them elsewhere.
  const AggregateSpec finest = parsed("quantile(x, alpha=0.0001)");
  EXPECT_EQ(finest.expression(), "quantile(x, alpha=1e-04)");
  EXPECT_EQ(parsed(finest.expression()), finest);
}

TEST(AggregateSpecTest, SyntaxErrorsSayWhereAndWhat) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "aggregate '': expected an aggregate such as mean(amount) or count()"},
      {"   ", "aggregate '   ': expected an aggregate such as mean(amount) or count()"},
      {"(x)", "aggregate '(x)': at column 1: expected an aggregate name"},
      {"mean", "aggregate 'mean': at column 5: expected '(' after 'mean'"},
      {"mean amount", "aggregate 'mean amount': at column 6: expected '(' after 'mean'"},
      {"mean(amount", "aggregate 'mean(amount': at column 12: expected ',' or ')'"},
      {"mean(amount; x)", "aggregate 'mean(amount; x)': at column 12: expected ',' or ')'"},
      {"mean(amount) x", "aggregate 'mean(amount) x': at column 14: unexpected text after ')'"},
      {"mean(,)",
       "aggregate 'mean(,)': at column 6: expected a field name, a parameter (key=value) or ')'"},
      {"mean(a, ,)", "aggregate 'mean(a, ,)': at column 9: expected a parameter (key=value)"},
      {"quantile(latency, 0.9)",
       "aggregate 'quantile(latency, 0.9)': at column 19: '0.9' is not key=value: only the first "
       "argument can be the field, parameters are written key=value"},
      {"quantile(latency, 'x')",
       "aggregate 'quantile(latency, 'x')': at column 19: only the first argument can be the "
       "field"},
      {"quantile(latency, q=)",
       "aggregate 'quantile(latency, q=)': at column 19: parameter 'q' has no value"},
      {"quantile(latency, q=0.5, q=0.6)",
       "aggregate 'quantile(latency, q=0.5, q=0.6)': at column 26: parameter 'q' is given twice"},
      {"mean(a, x.y=1)", "aggregate 'mean(a, x.y=1)': at column 9: 'x.y' is not a parameter name"},
      {"mean('amount)",
       "aggregate 'mean('amount)': at column 6: the quoted field name is not "
       "closed"},
      {"mean('')", "aggregate 'mean('')': at column 6: the field name is empty"},
  };
  for (const auto& [expression, message] : cases) EXPECT_EQ(error_of(expression), message);
}

TEST(AggregateSpecTest, UnknownAggregateListsTheKnownOnes) {
  EXPECT_EQ(error_of("median(x)"),
            "aggregate 'median(x)': unknown aggregate 'median' (known: count, sum, mean, var, std, "
            "min, max, first, last, nunique, quantile)");
  EXPECT_EQ(error_of("Mean(x)"),
            "aggregate 'Mean(x)': unknown aggregate 'Mean' (known: count, sum, mean, var, std, "
            "min, max, first, last, nunique, quantile)");
}

TEST(AggregateSpecTest, AggregatesOtherThanCountNeedAField) {
  EXPECT_EQ(error_of("mean()"),
            "aggregate 'mean()': mean needs the field it aggregates first, as in mean(<field>)");
  EXPECT_EQ(error_of("quantile(q=0.9)"),
            "aggregate 'quantile(q=0.9)': quantile needs the field it aggregates first, as in "
            "quantile(<field>, q=0.99)");
}

TEST(AggregateSpecTest, BadParametersAreAllReportedWithTheirRanges) {
  EXPECT_EQ(error_of("quantile(latency, q=1.5, alpha=0, max_num_buckets=8, typo=1)"),
            "aggregate 'quantile(latency, q=1.5, alpha=0, max_num_buckets=8, typo=1)':\n"
            "  - q: must be from 0 to 1, got 1.5\n"
            "  - alpha: must be from 0.0001 to 0.5 (the relative error), got 0\n"
            "  - max_num_buckets: must be an integer from 16 to 65536, got 8\n"
            "  - unknown parameter 'typo' (allowed: q, alpha, max_num_buckets)");
  EXPECT_EQ(error_of("quantile(latency, q=-0.1)"),
            "aggregate 'quantile(latency, q=-0.1)':\n  - q: must be from 0 to 1, got -0.1");
  EXPECT_EQ(error_of("quantile(latency, alpha=0.6)"),
            "aggregate 'quantile(latency, alpha=0.6)':\n"
            "  - alpha: must be from 0.0001 to 0.5 (the relative error), got 0.6");
  EXPECT_EQ(error_of("quantile(latency, max_num_buckets=70000)"),
            "aggregate 'quantile(latency, max_num_buckets=70000)':\n"
            "  - max_num_buckets: must be an integer from 16 to 65536, got 70000");
  EXPECT_EQ(error_of("quantile(latency, q=abc)"),
            "aggregate 'quantile(latency, q=abc)':\n  - q='abc' is not a finite number");
  EXPECT_EQ(error_of("nunique(user, precision=3)"),
            "aggregate 'nunique(user, precision=3)':\n"
            "  - precision: must be an integer from 4 to 18 (2^precision registers), got 3");
  EXPECT_EQ(error_of("nunique(user, precision=19)"),
            "aggregate 'nunique(user, precision=19)':\n"
            "  - precision: must be an integer from 4 to 18 (2^precision registers), got 19");
  EXPECT_EQ(error_of("var(x, ddof=-1)"),
            "aggregate 'var(x, ddof=-1)':\n"
            "  - ddof: must be an integer >= 0 (the divisor is n - ddof), got -1");
  EXPECT_EQ(error_of("std(x, ddof=1.5)"),
            "aggregate 'std(x, ddof=1.5)':\n  - ddof='1.5' is not an integer");
  EXPECT_EQ(error_of("count(x, q=1)"),
            "aggregate 'count(x, q=1)':\n  - unknown parameter 'q' (allowed: none)");
  EXPECT_EQ(error_of("mean(amount, alpha=0.1)"),
            "aggregate 'mean(amount, alpha=0.1)':\n  - unknown parameter 'alpha' (allowed: none)");
}

}  // namespace
}  // namespace streamlearn::stream::aggregates
