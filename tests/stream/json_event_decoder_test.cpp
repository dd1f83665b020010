#include "stream/json_event_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace streamlearn::stream {
namespace {

using ::testing::HasSubstr;

class JsonEventDecoderTest : public ::testing::Test {
 protected:
  JsonEventDecoder make(const EventSchema& schema) {
    core::Result<JsonEventDecoder> decoder = JsonEventDecoder::create(schema, space_, classes_);
    EXPECT_TRUE(decoder.is_ok()) << decoder.status().message();
    return std::move(decoder).value();
  }

  double numeric(const Event& event, std::string_view name) {
    const core::NumericFeature* feature = event.features.find_numeric(space_.feature(name));
    EXPECT_NE(feature, nullptr) << name;
    return feature ? feature->value : -1.0;
  }

  std::string categorical(const Event& event, std::string_view name) {
    for (const core::CategoricalFeature& feature : event.features.categorical())
      if (feature.id == space_.feature(name)) return space_.value_text(feature.value);
    return "";
  }

  // Decodes `json` expecting a rejection, and returns it.
  Rejection rejected(JsonEventDecoder& decoder, std::string_view json) {
    std::optional<Rejection> rejection = decoder.decode(json, event_);
    EXPECT_TRUE(rejection) << json;
    return rejection.value_or(Rejection{RejectReason::kCount, ""});
  }

  core::FeatureSpace space_;
  core::ClassSet classes_;
  Event event_;
};

TEST_F(JsonEventDecoderTest, DecodesTheHeaderExample) {
  JsonEventDecoder decoder = make({.target = "label"});
  ASSERT_FALSE(decoder.decode(R"({"x": 1.5, "color": "red", "label": "UP"})", event_));
  EXPECT_EQ(numeric(event_, "x"), 1.5);
  EXPECT_EQ(categorical(event_, "color"), "red");
  EXPECT_EQ(classes_.name(event_.label.class_id), "UP");
  EXPECT_EQ(event_.features.size(), 2u);
}

TEST_F(JsonEventDecoderTest, MapsJsonTypesToFeatures) {
  JsonEventDecoder decoder = make({});
  ASSERT_FALSE(decoder.decode(
      R"({"n": -3e2, "s": "1.5", "t": true, "f": false, "z": null, "u": "caf\u00e9"})", event_));
  EXPECT_EQ(numeric(event_, "n"), -300.0);
  EXPECT_EQ(categorical(event_, "s"), "1.5");  // the JSON type decides, not the text
  EXPECT_EQ(numeric(event_, "t"), 1.0);
  EXPECT_EQ(numeric(event_, "f"), 0.0);
  EXPECT_EQ(categorical(event_, "u"), "caf\xC3\xA9");
  EXPECT_EQ(event_.features.size(), 5u);  // null is a missing feature
}

TEST_F(JsonEventDecoderTest, RejectsNestedValuesNamingTheField) {
  JsonEventDecoder decoder = make({});
  Rejection object = rejected(decoder, R"({"x": 1, "meta": {"a": 1}})");
  EXPECT_EQ(object.reason, RejectReason::kBadFieldType);
  EXPECT_THAT(object.message, HasSubstr("field 'meta': is an object"));
  Rejection array = rejected(decoder, R"({"tags": [1, 2]})");
  EXPECT_EQ(array.reason, RejectReason::kBadFieldType);
  EXPECT_THAT(array.message, HasSubstr("field 'tags': is an array"));
}

TEST_F(JsonEventDecoderTest, IgnoredFieldsMayHoldAnything) {
  JsonEventDecoder decoder = make({.ignore = {"meta"}});
  ASSERT_FALSE(decoder.decode(R"({"meta": {"a": [1, {"b": 2}]}, "x": 2})", event_));
  EXPECT_EQ(event_.features.size(), 1u);
  EXPECT_EQ(numeric(event_, "x"), 2.0);
  EXPECT_FALSE(space_.find_feature("meta"));
}

TEST_F(JsonEventDecoderTest, RejectsInvalidJsonAsMalformed) {
  JsonEventDecoder decoder = make({});
  for (const char* json :
       {R"({"x": 1)", R"({"x" 1})", R"({"x": 1,})", R"({"x": tru})", R"({"x": 01})", R"({"x": 1}})",
        R"({"x": 1} {"y": 2})", "[1, 2]", "42", R"("text")", "", "not json"}) {
    const Rejection rejection = rejected(decoder, json);
    EXPECT_EQ(rejection.reason, RejectReason::kMalformedRecord)
        << json << ": " << rejection.message;
  }
  EXPECT_THAT(rejected(decoder, "[1]").message, HasSubstr("not a JSON object"));
}

TEST_F(JsonEventDecoderTest, AcceptsBlanksAroundTheObject) {
  JsonEventDecoder decoder = make({});
  ASSERT_FALSE(decoder.decode("  {\"x\": 1}  \r\n", event_));
  EXPECT_EQ(numeric(event_, "x"), 1.0);
}

TEST_F(JsonEventDecoderTest, RejectsNanAndInfinityAsNonFinite) {
  JsonEventDecoder decoder = make({});
  for (const char* value : {"NaN", "Infinity", "-Infinity"}) {
    const Rejection rejection = rejected(decoder, std::string(R"({"a": 1, "x2": )") + value + "}");
    EXPECT_EQ(rejection.reason, RejectReason::kNonFinite) << value << ": " << rejection.message;
    EXPECT_EQ(rejection.message, std::string("field 'x2': '") + value + "' is not a finite number");
  }
}

TEST_F(JsonEventDecoderTest, RejectsNumbersBeyondDoubleAndAcceptsHugeFiniteOnes) {
  JsonEventDecoder decoder = make({});
  const Rejection rejection = rejected(decoder, R"({"x": 1e999})");
  EXPECT_EQ(rejection.reason, RejectReason::kOutOfRange);
  EXPECT_THAT(rejection.message, HasSubstr("field 'x': '1e999'"));
  ASSERT_FALSE(decoder.decode(R"({"x": 1e308})", event_));
  EXPECT_EQ(numeric(event_, "x"), 1e308);
  ASSERT_FALSE(decoder.decode(R"({"x": 123456789012345678901234567890})", event_));
  EXPECT_EQ(numeric(event_, "x"), 123456789012345678901234567890.0);
}

TEST_F(JsonEventDecoderTest, RejectsAbsentOrNullTargetAsMissing) {
  JsonEventDecoder decoder = make({.target = "label"});
  Rejection absent = rejected(decoder, R"({"x": 1})");
  EXPECT_EQ(absent.reason, RejectReason::kMissingTarget);
  EXPECT_THAT(absent.message, HasSubstr("'label'"));
  EXPECT_EQ(rejected(decoder, R"({"x": 1, "label": null})").reason, RejectReason::kMissingTarget);
  EXPECT_EQ(rejected(decoder, R"({"x": 1, "label": ""})").reason, RejectReason::kMissingTarget);
}

TEST_F(JsonEventDecoderTest, ClassTargetKeepsTheTextOfStringsAndNumbers) {
  JsonEventDecoder decoder = make({.target = "label"});
  ASSERT_FALSE(decoder.decode(R"({"label": 2})", event_));
  EXPECT_EQ(classes_.name(event_.label.class_id), "2");
  ASSERT_FALSE(decoder.decode(R"({"label": "2.0"})", event_));
  EXPECT_EQ(classes_.name(event_.label.class_id), "2.0");
  ASSERT_FALSE(decoder.decode(R"({"label": 2.0})", event_));
  EXPECT_EQ(classes_.name(event_.label.class_id), "2.0");
  EXPECT_EQ(classes_.size(), 2u);
  const Rejection nested = rejected(decoder, R"({"label": [1]})");
  EXPECT_EQ(nested.reason, RejectReason::kBadTarget);
}

TEST_F(JsonEventDecoderTest, BooleanClassTargetsMapToZeroAndOne) {
  JsonEventDecoder decoder = make({.target = "label"});
  ASSERT_FALSE(decoder.decode(R"({"label": true})", event_));
  EXPECT_EQ(event_.label, core::Target::of_class(1));
  ASSERT_FALSE(decoder.decode(R"({"label": 0})", event_));
  EXPECT_EQ(event_.label, core::Target::of_class(0));
}

TEST_F(JsonEventDecoderTest, RegressionTargetMustBeANumber) {
  JsonEventDecoder decoder = make({.target = "y", .target_kind = TargetKind::kValue});
  ASSERT_FALSE(decoder.decode(R"({"x": 1, "y": 2.5})", event_));
  EXPECT_EQ(event_.label, core::Target::of_value(2.5));
  ASSERT_FALSE(decoder.decode(R"({"x": 1, "y": "-4"})", event_));
  EXPECT_EQ(event_.label, core::Target::of_value(-4.0));
  EXPECT_EQ(rejected(decoder, R"({"y": "high"})").reason, RejectReason::kBadTarget);
  EXPECT_EQ(rejected(decoder, R"({"y": true})").reason, RejectReason::kBadTarget);
  EXPECT_EQ(rejected(decoder, R"({"y": NaN})").reason, RejectReason::kNonFinite);
  EXPECT_EQ(rejected(decoder, R"({"y": "inf"})").reason, RejectReason::kNonFinite);
  EXPECT_EQ(rejected(decoder, R"({"y": -1e999})").reason, RejectReason::kOutOfRange);
}

TEST_F(JsonEventDecoderTest, ReadsKeyIdAndTime) {
  JsonEventDecoder decoder = make({.key_field = "user", .id_field = "rid", .time_field = "ts"});
  ASSERT_FALSE(
      decoder.decode(R"({"user": "alice", "rid": 17, "ts": 1700000000123, "x": 1})", event_));
  EXPECT_EQ(event_.key, "alice");
  EXPECT_EQ(event_.id, "17");
  EXPECT_EQ(event_.event_time_ms, 1700000000123);
  EXPECT_EQ(event_.features.size(), 1u);
  ASSERT_FALSE(decoder.decode(R"({"user": null, "ts": "1700000000999"})", event_));
  EXPECT_EQ(event_.key, "");
  EXPECT_EQ(event_.event_time_ms, 1700000000999);
}

TEST_F(JsonEventDecoderTest, KeyAndEntitiesAreKeyFieldsNotInternedFeatures) {
  JsonEventDecoder decoder =
      make({.target = "label", .key_field = "user", .entities = {"card", "device"}});
  ASSERT_FALSE(decoder.decode(
      R"({"user": "alice", "card": 4111, "device": "d-1", "x": 1, "label": "a"})", event_));
  EXPECT_EQ(event_.features.find_key(space_.feature("user")), "alice");
  EXPECT_EQ(event_.features.find_key(space_.feature("card")), "4111");
  EXPECT_EQ(event_.features.find_key(space_.feature("device")), "d-1");
  EXPECT_EQ(event_.features.size(), 1u);  // x: keys are not features
  // Endless new ids intern nothing.
  const std::size_t values = space_.num_values();
  const std::size_t features = space_.num_features();
  for (int i = 0; i < 100; ++i) {
    const std::string json = R"({"user": "u)" + std::to_string(i) + R"(", "card": )" +
                             std::to_string(i) + R"(, "device": "d", "x": 1, "label": "a"})";
    ASSERT_FALSE(decoder.decode(json, event_));
  }
  EXPECT_EQ(space_.num_values(), values);
  EXPECT_EQ(space_.num_features(), features);
  // An entity that is null or absent is not there (a window keyed by it skips the event).
  ASSERT_FALSE(decoder.decode(R"({"user": "bob", "card": null, "x": 1, "label": "a"})", event_));
  EXPECT_EQ(event_.features.find_key(space_.feature("card")), std::nullopt);
  EXPECT_EQ(event_.features.find_key(space_.feature("device")), std::nullopt);
  EXPECT_EQ(event_.features.key_fields().size(), 1u);
  // A nested entity is refused like a nested key.
  const Rejection rejection =
      rejected(decoder, R"({"user": "bob", "card": [1], "x": 1, "label": "a"})");
  EXPECT_EQ(rejection.reason, RejectReason::kBadFieldType);
  EXPECT_THAT(rejection.message, HasSubstr("field 'card'"));
}

TEST_F(JsonEventDecoderTest, AnEntityCannotAlsoBeAnotherRole) {
  core::Result<JsonEventDecoder> decoder =
      JsonEventDecoder::create({.target = "user", .entities = {"user"}}, space_, classes_);
  ASSERT_FALSE(decoder.is_ok());
  EXPECT_THAT(decoder.status().message(),
              HasSubstr("'user' is configured as both the target and the entity field"));
}

TEST_F(JsonEventDecoderTest, RejectsTimeThatIsAbsentOrNotAnInteger) {
  JsonEventDecoder decoder = make({.time_field = "ts"});
  for (const char* json : {R"({"x": 1})", R"({"ts": 1.5})", R"({"ts": "noon"})", R"({"ts": null})",
                           R"({"ts": {"s": 1}})", R"({"ts": 1e30})"}) {
    const Rejection rejection = rejected(decoder, json);
    EXPECT_EQ(rejection.reason, RejectReason::kBadEventTime) << json << ": " << rejection.message;
    EXPECT_THAT(rejection.message, HasSubstr("'ts'"));
  }
}

TEST_F(JsonEventDecoderTest, RejectsNestedKey) {
  JsonEventDecoder decoder = make({.key_field = "user"});
  const Rejection rejection = rejected(decoder, R"({"user": {"name": "a"}})");
  EXPECT_EQ(rejection.reason, RejectReason::kBadFieldType);
  EXPECT_THAT(rejection.message, HasSubstr("field 'user'"));
}

TEST_F(JsonEventDecoderTest, FieldOrderMayChangeBetweenRecords) {
  JsonEventDecoder decoder = make({.target = "label"});
  ASSERT_FALSE(decoder.decode(R"({"a": 1, "b": 2, "label": "x"})", event_));
  ASSERT_FALSE(decoder.decode(R"({"label": "y", "b": 20, "c": 30, "a": 10})", event_));
  EXPECT_EQ(numeric(event_, "a"), 10.0);
  EXPECT_EQ(numeric(event_, "b"), 20.0);
  EXPECT_EQ(numeric(event_, "c"), 30.0);
  EXPECT_EQ(classes_.name(event_.label.class_id), "y");
  ASSERT_FALSE(decoder.decode(R"({"a": 1, "b": 2, "label": "x"})", event_));
  EXPECT_EQ(event_.features.size(), 2u);
}

TEST_F(JsonEventDecoderTest, EscapedKeysNameTheSameFeature) {
  JsonEventDecoder decoder = make({.target = "label"});
  ASSERT_FALSE(decoder.decode(R"({"x1": 1, "lab\u0065l": "UP"})", event_));
  ASSERT_FALSE(decoder.decode(R"({"x\u0031": 2, "label": "UP"})", event_));
  EXPECT_EQ(numeric(event_, "x1"), 2.0);
  EXPECT_EQ(classes_.name(event_.label.class_id), "UP");
}

TEST_F(JsonEventDecoderTest, ReadsUnpaddedInputOfVaryingLength) {
  JsonEventDecoder decoder = make({});
  // A view into the middle of a larger buffer: the decoder must not read past its end.
  const std::string buffer = R"(xx{"x": 1}{"x": 2, "long_field_name": "some longer value"}yy)";
  ASSERT_FALSE(decoder.decode(std::string_view(buffer).substr(2, 8), event_));
  EXPECT_EQ(numeric(event_, "x"), 1.0);
  ASSERT_FALSE(decoder.decode(std::string_view(buffer).substr(10, buffer.size() - 12), event_));
  EXPECT_EQ(categorical(event_, "long_field_name"), "some longer value");
  ASSERT_FALSE(decoder.decode(std::string_view(buffer).substr(2, 8), event_));
  EXPECT_EQ(event_.features.size(), 1u);
}

TEST_F(JsonEventDecoderTest, FailsWhenTheSchemaGivesAFieldTwoRoles) {
  core::Result<JsonEventDecoder> decoder =
      JsonEventDecoder::create({.target = "t", .time_field = "t"}, space_, classes_);
  ASSERT_FALSE(decoder.is_ok());
  EXPECT_THAT(decoder.status().message(), HasSubstr("'t' is configured as both the target and "
                                                    "the time field"));
}

TEST_F(JsonEventDecoderTest, DefaultsFillFeaturesThatOlderProducersDoNotSend) {
  EventSchema schema{.target = "label"};
  schema.defaults = {{.field = "amount", .numeric = true, .number = 0.0},
                     {.field = "country", .numeric = false, .text = "unknown"}};
  JsonEventDecoder decoder = make(schema);
  // An old record without the new fields, one with them, one with a null.
  ASSERT_FALSE(decoder.decode(R"({"x": 1, "label": "a"})", event_));
  EXPECT_EQ(numeric(event_, "amount"), 0.0);
  EXPECT_EQ(categorical(event_, "country"), "unknown");
  EXPECT_EQ(event_.features.size(), 3u);
  ASSERT_FALSE(decoder.decode(R"({"x": 1, "amount": 7.5, "country": "fr", "label": "a"})", event_));
  EXPECT_EQ(numeric(event_, "amount"), 7.5);
  EXPECT_EQ(categorical(event_, "country"), "fr");
  EXPECT_EQ(event_.features.size(), 3u);
  ASSERT_FALSE(decoder.decode(R"({"x": 1, "amount": null, "country": "de", "label": "a"})", event_));
  EXPECT_EQ(numeric(event_, "amount"), 0.0);
  EXPECT_EQ(categorical(event_, "country"), "de");
  EXPECT_EQ(event_.features.size(), 3u);
}

TEST_F(JsonEventDecoderTest, LabelRecordsGetNoDefaultsAndNeedNoTime) {
  EventSchema schema{.target = "label", .id_field = "id", .time_field = "ts"};
  schema.defaults = {{.field = "amount", .numeric = true, .number = 0.0}};
  JsonEventDecoder decoder = make(schema);
  ASSERT_FALSE(decoder.decode(R"({"id": "e1", "label": "a"})", event_));
  EXPECT_TRUE(event_.features.empty());
  EXPECT_EQ(event_.id, "e1");
  EXPECT_TRUE(event_.label.is_class());
}

TEST_F(JsonEventDecoderTest, OptionalTargetMakesUnlabelledEvents) {
  EventSchema schema{.target = "label"};
  schema.target_optional = true;
  JsonEventDecoder decoder = make(schema);
  ASSERT_FALSE(decoder.decode(R"({"x": 1})", event_));
  EXPECT_FALSE(event_.label.has_value());
  ASSERT_FALSE(decoder.decode(R"({"x": 1, "label": null})", event_));
  EXPECT_FALSE(event_.label.has_value());
  ASSERT_FALSE(decoder.decode(R"({"x": 1, "label": "b"})", event_));
  EXPECT_TRUE(event_.label.is_class());
  EXPECT_EQ(rejected(decoder, R"({"x": 1, "label": ""})").reason, RejectReason::kMissingTarget);
}

}  // namespace
}  // namespace streamlearn::stream
