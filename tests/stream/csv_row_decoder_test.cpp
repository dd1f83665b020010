#include "stream/csv_row_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace streamlearn::stream {
namespace {

using ::testing::HasSubstr;

class CsvRowDecoderTest : public ::testing::Test {
 protected:
  CsvRowDecoder make(std::string_view header, const EventSchema& schema) {
    core::Result<CsvRowDecoder> decoder = CsvRowDecoder::create(header, schema, space_, classes_);
    EXPECT_TRUE(decoder.is_ok()) << decoder.status().message();
    return std::move(decoder).value();
  }

  double numeric(const Event& event, std::string_view name) {
    const core::NumericFeature* feature = event.features.find_numeric(space_.feature(name));
    EXPECT_NE(feature, nullptr) << name;
    return feature ? feature->value : -1.0;
  }

  // The value text of the categorical feature `name`, or "" when it is absent.
  std::string categorical(const Event& event, std::string_view name) {
    for (const core::CategoricalFeature& feature : event.features.categorical())
      if (feature.id == space_.feature(name)) return space_.value_text(feature.value);
    return "";
  }

  core::FeatureSpace space_;
  core::ClassSet classes_;
  Event event_;
};

TEST_F(CsvRowDecoderTest, DecodesTheHeaderExample) {
  CsvRowDecoder decoder = make("x,color,label", {.target = "label"});
  ASSERT_FALSE(decoder.decode("1.5,red,UP", event_));
  EXPECT_EQ(numeric(event_, "x"), 1.5);
  EXPECT_EQ(categorical(event_, "color"), "red");
  ASSERT_TRUE(event_.label.is_class());
  EXPECT_EQ(classes_.name(event_.label.class_id), "UP");
  EXPECT_EQ(event_.features.size(), 2u);
}

TEST_F(CsvRowDecoderTest, KeepsClassLabelTextExactly) {
  CsvRowDecoder decoder = make("x,label", {.target = "label"});
  ASSERT_FALSE(decoder.decode("1,DOWN", event_));
  EXPECT_EQ(classes_.name(event_.label.class_id), "DOWN");
  ASSERT_FALSE(decoder.decode("1, UP ", event_));
  EXPECT_EQ(classes_.name(event_.label.class_id), " UP ");
}

TEST_F(CsvRowDecoderTest, BinaryLabelsMapZeroAndOneToTheirIds) {
  CsvRowDecoder decoder = make("x,label", {.target = "label"});
  ASSERT_FALSE(decoder.decode("1,1", event_));
  EXPECT_EQ(event_.label, core::Target::of_class(1));
  ASSERT_FALSE(decoder.decode("1,0", event_));
  EXPECT_EQ(event_.label, core::Target::of_class(0));
  EXPECT_EQ(classes_.name(0), "0");
}

TEST_F(CsvRowDecoderTest, TellsNumericFromCategoricalByTheWholeField) {
  CsvRowDecoder decoder = make("a,b,c,d,e,f,g", {});
  ASSERT_FALSE(decoder.decode("1e-3, 2.5 ,+3,-.5,12abc,0x1A,1 000", event_));
  EXPECT_EQ(numeric(event_, "a"), 0.001);
  EXPECT_EQ(numeric(event_, "b"), 2.5);
  EXPECT_EQ(numeric(event_, "c"), 3.0);
  EXPECT_EQ(numeric(event_, "d"), -0.5);
  EXPECT_EQ(categorical(event_, "e"), "12abc");
  EXPECT_EQ(categorical(event_, "f"), "0x1A");
  EXPECT_EQ(categorical(event_, "g"), "1 000");
}

TEST_F(CsvRowDecoderTest, SameColumnCanBeNumericInOneRowAndCategoricalInAnother) {
  CsvRowDecoder decoder = make("x", {});
  ASSERT_FALSE(decoder.decode("7", event_));
  EXPECT_EQ(numeric(event_, "x"), 7.0);
  ASSERT_FALSE(decoder.decode("seven", event_));
  EXPECT_EQ(categorical(event_, "x"), "seven");
  EXPECT_TRUE(event_.features.numeric().empty());
}

TEST_F(CsvRowDecoderTest, CategoricalValuesGetStableIndicatorFeatures) {
  CsvRowDecoder decoder = make("color", {});
  ASSERT_FALSE(decoder.decode("red", event_));
  const core::FeatureId red = event_.features.categorical()[0].indicator;
  ASSERT_FALSE(decoder.decode("blue", event_));
  const core::FeatureId blue = event_.features.categorical()[0].indicator;
  ASSERT_FALSE(decoder.decode("red", event_));
  EXPECT_EQ(event_.features.categorical()[0].indicator, red);
  EXPECT_NE(red, blue);
  EXPECT_EQ(space_.feature_name(red), "color=red");
}

TEST_F(CsvRowDecoderTest, ReadsQuotedFieldsWithCommasAndDoubledQuotes) {
  CsvRowDecoder decoder = make("a,b,c,d", {});
  ASSERT_FALSE(decoder.decode(R"("x, y","say ""hi""","","4.5")", event_));
  EXPECT_EQ(categorical(event_, "a"), "x, y");
  EXPECT_EQ(categorical(event_, "b"), R"(say "hi")");
  EXPECT_EQ(categorical(event_, "c"), "");  // "" is an empty field: a missing feature
  EXPECT_EQ(numeric(event_, "d"), 4.5);     // quoting does not make a number categorical
  EXPECT_EQ(event_.features.size(), 3u);
}

TEST_F(CsvRowDecoderTest, ReadsSeveralEscapedFieldsInOneRow) {
  CsvRowDecoder decoder = make("a,b,c", {});
  ASSERT_FALSE(decoder.decode(R"("""",x,"a""b""c")", event_));
  EXPECT_EQ(categorical(event_, "a"), "\"");
  EXPECT_EQ(categorical(event_, "b"), "x");
  EXPECT_EQ(categorical(event_, "c"), R"(a"b"c)");
}

TEST_F(CsvRowDecoderTest, QuoteInsideUnquotedFieldIsAnOrdinaryCharacter) {
  CsvRowDecoder decoder = make("a,b", {});
  ASSERT_FALSE(decoder.decode(R"(5" pipe,1)", event_));
  EXPECT_EQ(categorical(event_, "a"), R"(5" pipe)");
}

TEST_F(CsvRowDecoderTest, RejectsUnterminatedQuoteAsMalformed) {
  CsvRowDecoder decoder = make("a,b", {});
  const std::optional<Rejection> rejection = decoder.decode(R"(1,"open)", event_);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->reason, RejectReason::kMalformedRecord);
  EXPECT_THAT(rejection->message, HasSubstr("column 'b'"));
  EXPECT_THAT(rejection->message, HasSubstr("no closing quote"));
}

TEST_F(CsvRowDecoderTest, RejectsTextAfterClosingQuoteAsMalformed) {
  CsvRowDecoder decoder = make("a,b", {});
  const std::optional<Rejection> rejection = decoder.decode(R"("x"y,1)", event_);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->reason, RejectReason::kMalformedRecord);
  EXPECT_THAT(rejection->message, HasSubstr("column 'a'"));
}

TEST_F(CsvRowDecoderTest, EmptyFieldIsAMissingFeature) {
  CsvRowDecoder decoder = make("a,b,c,label", {.target = "label"});
  ASSERT_FALSE(decoder.decode(",2,,yes", event_));
  EXPECT_EQ(event_.features.size(), 1u);
  EXPECT_EQ(numeric(event_, "b"), 2.0);
}

TEST_F(CsvRowDecoderTest, RejectsNanAndInfinitySpellingsAsNonFinite) {
  CsvRowDecoder decoder = make("x1,x2", {});
  for (const char* text : {"nan", "NaN", "-nan", "inf", "-inf", "Infinity", "-Infinity", "+inf"}) {
    const std::optional<Rejection> rejection = decoder.decode(std::string("1,") + text, event_);
    ASSERT_TRUE(rejection) << text;
    EXPECT_EQ(rejection->reason, RejectReason::kNonFinite) << text;
    EXPECT_EQ(rejection->message,
              std::string("column 'x2': '") + text + "' is not a finite number");
  }
}

TEST_F(CsvRowDecoderTest, RejectsNumbersBeyondDoubleAsOutOfRange) {
  CsvRowDecoder decoder = make("x", {});
  for (const char* text : {"1e999", "-1e999", "1.8e308", "123e400"}) {
    const std::optional<Rejection> rejection = decoder.decode(text, event_);
    ASSERT_TRUE(rejection) << text;
    EXPECT_EQ(rejection->reason, RejectReason::kOutOfRange) << text;
    EXPECT_THAT(rejection->message, HasSubstr("column 'x'"));
  }
}

TEST_F(CsvRowDecoderTest, AcceptsHugeButFiniteNumbers) {
  CsvRowDecoder decoder = make("x", {});
  ASSERT_FALSE(decoder.decode("1e308", event_));
  EXPECT_EQ(numeric(event_, "x"), 1e308);
  ASSERT_FALSE(decoder.decode("-1.7976931348623157e308", event_));
  EXPECT_EQ(numeric(event_, "x"), -1.7976931348623157e308);
}

TEST_F(CsvRowDecoderTest, ReadsNumbersBelowTheSmallestDoubleAsZero) {
  CsvRowDecoder decoder = make("x", {});
  ASSERT_FALSE(decoder.decode("1e-999", event_));
  EXPECT_EQ(numeric(event_, "x"), 0.0);
  ASSERT_FALSE(decoder.decode("0.000e999", event_));
  EXPECT_EQ(numeric(event_, "x"), 0.0);
}

TEST_F(CsvRowDecoderTest, RejectsRowsWithTooFewOrTooManyFields) {
  CsvRowDecoder decoder = make("a,b,c", {});
  for (const char* row : {"1,2", "1,2,3,4", "1,2,3,", ""}) {
    const std::optional<Rejection> rejection = decoder.decode(row, event_);
    ASSERT_TRUE(rejection) << row;
    EXPECT_EQ(rejection->reason, RejectReason::kFieldCount) << row;
  }
  const std::optional<Rejection> rejection = decoder.decode("1,2", event_);
  EXPECT_THAT(rejection->message, HasSubstr("expected 3 fields"));
  EXPECT_THAT(rejection->message, HasSubstr("found 2"));
}

TEST_F(CsvRowDecoderTest, QuotedCommaDoesNotCountAsASeparator) {
  CsvRowDecoder decoder = make("a,b", {});
  EXPECT_FALSE(decoder.decode(R"("1,2",3)", event_));
  EXPECT_TRUE(decoder.decode(R"("1,2",3,4)", event_));
}

TEST_F(CsvRowDecoderTest, RejectsEmptyTargetAsMissing) {
  CsvRowDecoder decoder = make("x,label", {.target = "label"});
  const std::optional<Rejection> rejection = decoder.decode("1.0,", event_);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->reason, RejectReason::kMissingTarget);
  EXPECT_THAT(rejection->message, HasSubstr("column 'label'"));
}

TEST_F(CsvRowDecoderTest, WithoutTargetEventsAreUnlabelled) {
  CsvRowDecoder decoder = make("x,label", {});
  ASSERT_FALSE(decoder.decode("1.0,", event_));
  EXPECT_FALSE(event_.label.has_value());
  ASSERT_FALSE(decoder.decode("1.0,UP", event_));
  EXPECT_EQ(categorical(event_, "label"), "UP");  // without a schema it is just a feature
}

TEST_F(CsvRowDecoderTest, ReadsRegressionTargetAsValue) {
  CsvRowDecoder decoder = make("x,y", {.target = "y", .target_kind = TargetKind::kValue});
  ASSERT_FALSE(decoder.decode("1,-2.25", event_));
  EXPECT_EQ(event_.label, core::Target::of_value(-2.25));
  EXPECT_EQ(event_.features.size(), 1u);
}

TEST_F(CsvRowDecoderTest, RejectsNonNumericRegressionTarget) {
  CsvRowDecoder decoder = make("x,y", {.target = "y", .target_kind = TargetKind::kValue});
  std::optional<Rejection> rejection = decoder.decode("1,high", event_);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->reason, RejectReason::kBadTarget);
  EXPECT_THAT(rejection->message, HasSubstr("column 'y': 'high'"));
  rejection = decoder.decode("1,nan", event_);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->reason, RejectReason::kNonFinite);
  rejection = decoder.decode("1,1e999", event_);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->reason, RejectReason::kOutOfRange);
}

TEST_F(CsvRowDecoderTest, FillsKeyIdAndTimeAndSkipsIgnoredColumns) {
  CsvRowDecoder decoder = make("user,request,ts,note,x,label", {.target = "label",
                                                                .key_field = "user",
                                                                .id_field = "request",
                                                                .time_field = "ts",
                                                                .ignore = {"note"}});
  ASSERT_FALSE(decoder.decode("alice,r-17,1700000000123,whatever,0.5,1", event_));
  EXPECT_EQ(event_.key, "alice");
  EXPECT_EQ(event_.id, "r-17");
  EXPECT_EQ(event_.event_time_ms, 1700000000123);
  EXPECT_EQ(event_.features.size(), 1u);
  EXPECT_EQ(numeric(event_, "x"), 0.5);
  EXPECT_FALSE(space_.find_feature("note"));
  // The key is a key field (windows may group by it), not a feature: its value is not interned.
  EXPECT_EQ(event_.features.find_key(space_.feature("user")), "alice");
  EXPECT_EQ(space_.num_values(), 0u);
  EXPECT_EQ(decoder.column_role(3), FieldRole::kIgnored);
}

TEST_F(CsvRowDecoderTest, EntitiesAreKeyFieldsNotInternedFeatures) {
  CsvRowDecoder decoder =
      make("card,x,device,label", {.target = "label", .entities = {"card", "device"}});
  ASSERT_FALSE(decoder.decode("4111,0.5,d-1,1", event_));
  EXPECT_EQ(event_.features.find_key(space_.feature("card")), "4111");
  EXPECT_EQ(event_.features.find_key(space_.feature("device")), "d-1");
  EXPECT_EQ(event_.features.size(), 1u);
  // The quoted path reads them too; an empty one is absent.
  ASSERT_FALSE(decoder.decode(R"("41,11",0.5,,1)", event_));
  EXPECT_EQ(event_.features.find_key(space_.feature("card")), "41,11");
  EXPECT_EQ(event_.features.find_key(space_.feature("device")), std::nullopt);
  EXPECT_EQ(space_.num_values(), 0u);
  EXPECT_EQ(decoder.column_role(0), FieldRole::kEntity);
}

TEST_F(CsvRowDecoderTest, RejectsTimeThatIsNotAnInteger) {
  CsvRowDecoder decoder = make("ts,x", {.time_field = "ts"});
  for (const char* row : {"noon,1", "1.5,1", ",1", "99999999999999999999,1"}) {
    const std::optional<Rejection> rejection = decoder.decode(row, event_);
    ASSERT_TRUE(rejection) << row;
    EXPECT_EQ(rejection->reason, RejectReason::kBadEventTime) << row;
    EXPECT_THAT(rejection->message, HasSubstr("column 'ts'"));
  }
}

TEST_F(CsvRowDecoderTest, ClearsTheEventBeforeEachRow) {
  CsvRowDecoder decoder = make("k,x,ts", {.key_field = "k", .time_field = "ts"});
  ASSERT_FALSE(decoder.decode("a,1,5", event_));
  ASSERT_FALSE(decoder.decode(",,6", event_));
  EXPECT_EQ(event_.key, "");
  EXPECT_TRUE(event_.features.empty());
  EXPECT_EQ(event_.event_time_ms, 6);
}

TEST_F(CsvRowDecoderTest, CutsLongValuesInMessages) {
  CsvRowDecoder decoder = make("x,y", {.target = "y", .target_kind = TargetKind::kValue});
  const std::optional<Rejection> rejection = decoder.decode("1," + std::string(500, 'z'), event_);
  ASSERT_TRUE(rejection);
  EXPECT_LT(rejection->message.size(), 200u);
  EXPECT_THAT(rejection->message, HasSubstr("'..."));
}

TEST_F(CsvRowDecoderTest, ReadsQuotedHeaderNames) {
  CsvRowDecoder decoder = make(R"("a,b","label")", {.target = "label"});
  ASSERT_EQ(decoder.num_columns(), 2u);
  EXPECT_EQ(decoder.column_name(0), "a,b");
  ASSERT_FALSE(decoder.decode("3,1", event_));
  EXPECT_EQ(numeric(event_, "a,b"), 3.0);
}

TEST_F(CsvRowDecoderTest, FailsWhenConfiguredColumnsAreMissingAndListsTheColumns) {
  core::Result<CsvRowDecoder> decoder =
      CsvRowDecoder::create("x0,x1,y", {.target = "label", .time_field = "ts"}, space_, classes_);
  ASSERT_FALSE(decoder.is_ok());
  const std::string message = decoder.status().message();
  EXPECT_THAT(message, HasSubstr("no column 'label' (configured as the target)"));
  EXPECT_THAT(message, HasSubstr("no column 'ts' (configured as the time field)"));
  decoder = CsvRowDecoder::create("x0,y", {.entities = {"card"}}, space_, classes_);
  ASSERT_FALSE(decoder.is_ok());
  EXPECT_THAT(decoder.status().message(),
              HasSubstr("no column 'card' (configured as the entity field)"));
  EXPECT_THAT(message, HasSubstr("the columns are: x0, x1, y"));
}

TEST_F(CsvRowDecoderTest, FailsOnDuplicateOrEmptyColumnNames) {
  core::Result<CsvRowDecoder> duplicate = CsvRowDecoder::create("a,b,a", {}, space_, classes_);
  ASSERT_FALSE(duplicate.is_ok());
  EXPECT_THAT(duplicate.status().message(), HasSubstr("'a' appears twice"));
  core::Result<CsvRowDecoder> empty = CsvRowDecoder::create(",a,b", {}, space_, classes_);
  ASSERT_FALSE(empty.is_ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("column 1 has an empty name"));
}

TEST_F(CsvRowDecoderTest, FailsWhenTheSchemaGivesAFieldTwoRoles) {
  core::Result<CsvRowDecoder> decoder = CsvRowDecoder::create(
      "a,b", {.target = "a", .key_field = "a", .ignore = {"b", "a"}}, space_, classes_);
  ASSERT_FALSE(decoder.is_ok());
  EXPECT_THAT(decoder.status().message(), HasSubstr("'a' is configured as both the target and "
                                                    "the key field"));
  EXPECT_THAT(decoder.status().message(), HasSubstr("the target and the ignored field"));
}

}  // namespace
}  // namespace streamlearn::stream
