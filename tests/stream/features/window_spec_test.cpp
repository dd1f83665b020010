#include "stream/features/window_spec.h"

#include <gtest/gtest.h>

#include "core/model_expression.h"
#include "stream/features/duration.h"

namespace streamlearn::stream::features {
namespace {

core::Result<WindowSpec> parse(const std::string& step) {
  auto steps = core::parse_model_expression(step);
  if (!steps) return steps.status();
  return parse_window_spec((*steps)[0]);
}

TEST(WindowSpecTest, ReadsTheKindFromItsParameters) {
  auto tumbling = parse("window(by=user, size=1h, agg=[mean(amount), count()])");
  ASSERT_TRUE(tumbling.is_ok()) << tumbling.status().message();
  EXPECT_EQ(tumbling->kind, WindowKind::kTumbling);
  EXPECT_EQ(tumbling->size_ms, 3'600'000);
  EXPECT_EQ(tumbling->step_ms, 3'600'000);
  EXPECT_EQ(tumbling->feature_name(0), "mean(amount)@user_1h");
  EXPECT_EQ(tumbling->feature_name(1), "count()@user_1h");

  auto hopping = parse("window(by=[user, device], size=1h, step=5m, agg=[sum(amount)])");
  ASSERT_TRUE(hopping.is_ok()) << hopping.status().message();
  EXPECT_EQ(hopping->kind, WindowKind::kHopping);
  EXPECT_EQ(hopping->by, (std::vector<std::string>{"user", "device"}));
  EXPECT_EQ(hopping->feature_name(0), "sum(amount)@user_device_1h_every_5m");

  EXPECT_EQ(parse("window(gap=30m, agg=[count()])")->kind, WindowKind::kSession);
  EXPECT_EQ(parse("window(gap=30m, agg=[count()])")->feature_name(0), "count()@key_session_30m");
  EXPECT_EQ(parse("window(by=s, events=100, agg=[max(t)])")->feature_name(0), "max(t)@s_last_100");
  EXPECT_EQ(parse("window(by=s, agg=[nunique(m)])")->kind, WindowKind::kUnbounded);
}

TEST(WindowSpecTest, TargetAggregatesTheLabelWithRiversNames) {
  auto spec = parse("target_agg(by=user)");
  ASSERT_TRUE(spec.is_ok()) << spec.status().message();
  EXPECT_TRUE(spec->of_target);
  EXPECT_EQ(spec->feature_name(0), "mean(target)@user");
  auto quantile = parse("target_agg(by=user, how=quantile(q=0.9), size=1d)");
  ASSERT_TRUE(quantile.is_ok()) << quantile.status().message();
  EXPECT_EQ(quantile->feature_name(0), "quantile(target, q=0.9)@user_1d");
  EXPECT_EQ(quantile->expression(), "target_agg(by=user, size=1d, how=quantile(q=0.9))");
}

TEST(WindowSpecTest, ExpressionParsesBackToAnEqualSpec) {
  for (const char* text :
       {"window(by=user, size=1h, agg=[mean(amount), count()])",
        "window(by=[user, 'device id'], size=1h, step=5m, agg=[quantile(x, q=0.99)], "
        "out_of_order=30s, lateness=1m, late=dead_letter, ttl=1d, max_keys=10, name=w)",
        "window(gap=30m, agg=[count()], time=processing)", "target_agg(by=user, how=sum, events=50)"}) {
    auto spec = parse(text);
    ASSERT_TRUE(spec.is_ok()) << text << ": " << spec.status().message();
    auto again = parse(spec->expression());
    ASSERT_TRUE(again.is_ok()) << spec->expression() << ": " << again.status().message();
    EXPECT_EQ(again->expression(), spec->expression());
    EXPECT_EQ(again->by, spec->by);
    EXPECT_EQ(again->name, spec->name);
    EXPECT_EQ(again->aggregates, spec->aggregates);
  }
}

TEST(WindowSpecTest, ReportsEveryBadParameterAtOnce) {
  auto spec = parse("window(by=user, size=1h, step=7m, agg=[mean(), median(x)], late=later, "
                    "ttl=5, colour=red)");
  ASSERT_FALSE(spec.is_ok());
  const std::string message = spec.status().message();
  for (const char* part : {"step: must divide size", "mean needs the field", "unknown aggregate 'median'",
                           "late: 'later' is not one of: drop, dead_letter", "'5' is not a duration",
                           "unknown parameter 'colour'"})
    EXPECT_NE(message.find(part), std::string::npos) << part << " in\n" << message;
}

TEST(WindowSpecTest, RefusesConflictingKindsAndTimeBoundsOnCountWindows) {
  EXPECT_FALSE(parse("window(size=1h, gap=5m, agg=[count()])").is_ok());
  EXPECT_FALSE(parse("window(events=10, lateness=1m, agg=[count()])").is_ok());
  EXPECT_FALSE(parse("window(step=5m, agg=[count()])").is_ok());
  EXPECT_FALSE(parse("window(by=user)").is_ok());
}

TEST(WindowSpecTest, DurationsNeedAUnitAndFormatShortest) {
  EXPECT_EQ(parse_duration_ms("250ms").value(), 250);
  EXPECT_EQ(parse_duration_ms("30s").value(), 30'000);
  EXPECT_EQ(parse_duration_ms("2d").value(), 172'800'000);
  EXPECT_FALSE(parse_duration_ms("30").is_ok());
  EXPECT_FALSE(parse_duration_ms("1w").is_ok());
  EXPECT_FALSE(parse_duration_ms("0s").is_ok());
  EXPECT_TRUE(parse_duration_ms("0s", true).is_ok());
  EXPECT_FALSE(parse_duration_ms("99999999999999999999d").is_ok());
  EXPECT_EQ(format_duration(3'600'000), "1h");
  EXPECT_EQ(format_duration(90'000), "90s");
  EXPECT_EQ(format_duration(1'500), "1500ms");
}

}  // namespace
}  // namespace streamlearn::stream::features
