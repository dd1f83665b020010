#include "config/pipeline_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace streamlearn::config {
namespace {

using Json = nlohmann::json;

// The smallest valid document: every other key takes its default.
Json minimal_document() {
  return Json::parse(R"({
    "model": "logistic_regression",
    "kafka": {"bootstrap_servers": "127.0.0.1:9092"},
    "source": {"topics": ["events"], "group_id": "g1"},
    "schema": {"target": "label"}
  })");
}

core::Result<PipelineConfig> parse(const Json& document,
                                   const std::vector<std::string>& overrides = {}) {
  return parse_pipeline_config(document.dump(), "pipeline.json", overrides);
}

// The error message of an invalid document (empty when it is valid, which fails the test).
std::string errors_of(const Json& document, const std::vector<std::string>& overrides = {}) {
  auto config = parse(document, overrides);
  EXPECT_FALSE(config.is_ok()) << "the document is valid:\n" << document.dump(2);
  return config.status().message();
}

void expect_contains(const std::string& message, const std::vector<std::string>& expected) {
  for (const std::string& text : expected)
    EXPECT_NE(message.find(text), std::string::npos) << text << "\nin:\n" << message;
}

TEST(PipelineConfigTest, ShippedExampleParses) {
  const std::filesystem::path example =
      std::filesystem::path(SL_SOURCE_DIR) / "deploy/examples/pipeline.json";
  auto config = load_pipeline_config(example.string());
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->monitoring.monitor.pipeline, "sea-demo");
  EXPECT_EQ(config->model, "standard_scaler | logistic_regression(l2=0.001)");
  EXPECT_EQ(config->kafka.bootstrap_servers, "127.0.0.1:9092");
  const connectors::KafkaProperties kafka_properties = {{"client.id", "streamlearn-sea"},
                                                        {"session.timeout.ms", "6000"}};
  EXPECT_EQ(config->kafka.properties, kafka_properties);

  EXPECT_EQ(config->source.topics, std::vector<std::string>{"events"});
  EXPECT_TRUE(config->source.topic_pattern.empty());
  EXPECT_EQ(config->source.group_id, "streamlearn-sea");
  EXPECT_EQ(config->source.labels_topic, "labels");
  EXPECT_EQ(config->source.from.kind, connectors::StartPosition::Kind::kCommitted);
  EXPECT_EQ(config->source.until.kind, connectors::StopCondition::Kind::kNever);
  EXPECT_EQ(config->source.rate_events_per_s, 0.0);
  EXPECT_EQ(config->checkpoints.directory, "state/sea-demo");
  EXPECT_EQ(config->checkpoints.interval_ms, 30'000);
  EXPECT_EQ(config->checkpoints.keep, 3u);
  EXPECT_EQ(config->source.commit_interval_ms, 1000);
  const connectors::KafkaProperties source_properties = {{"check.crcs", "false"},
                                                         {"max.poll.interval.ms", "300000"}};
  EXPECT_EQ(config->source.properties, source_properties);

  EXPECT_EQ(config->schema.target, "label");
  EXPECT_EQ(config->schema.target_kind, stream::TargetKind::kClass);
  EXPECT_EQ(config->schema.key_field, "user");
  EXPECT_EQ(config->schema.id_field, "event_id");
  EXPECT_EQ(config->schema.time_field, "ts");
  EXPECT_EQ(config->schema.ignore, std::vector<std::string>{"debug"});
  EXPECT_TRUE(config->schema.target_optional);
  ASSERT_EQ(config->schema.defaults.size(), 2u);
  EXPECT_EQ(config->schema.defaults[0].field, "amount");
  EXPECT_TRUE(config->schema.defaults[0].numeric);
  EXPECT_EQ(config->schema.defaults[0].number, 0.0);
  EXPECT_EQ(config->schema.defaults[1].field, "country");
  EXPECT_FALSE(config->schema.defaults[1].numeric);
  EXPECT_EQ(config->schema.defaults[1].text, "unknown");

  EXPECT_EQ(config->labels.max_pending, 100'000u);
  EXPECT_EQ(config->labels.ttl_ms, 3'600'000);
  EXPECT_EQ(config->metrics.listen, "127.0.0.1:9464");  // loopback unless configured
  EXPECT_EQ(config->metrics.rolling_window, 1000u);
  EXPECT_EQ(config->outputs.predictions, "predictions");
  EXPECT_EQ(config->outputs.alerts, "alerts");
  EXPECT_EQ(config->outputs.dead_letter, "events.dead-letter");
  const connectors::KafkaProperties output_properties = {{"compression.type", "lz4"},
                                                         {"linger.ms", "5"}};
  EXPECT_EQ(config->outputs.properties, output_properties);

  EXPECT_EQ(config->monitoring.monitor.drift_detector, "ddm");
  EXPECT_EQ(config->monitoring.on_drift, stream::OnDrift::kBackground);
  ASSERT_TRUE(config->monitoring.monitor.feature_drift.has_value());
  EXPECT_EQ(config->monitoring.monitor.feature_drift->params.window,
            monitors::WindowLength::milliseconds(600'000));
  EXPECT_EQ(config->monitoring.alerts.file, "alerts.jsonl");
}

TEST(PipelineConfigTest, ShippedDemoConfigurationParses) {
  // scripts/demo.sh (the main job) runs this file with the broker's address set by --set.
  const std::filesystem::path demo =
      std::filesystem::path(SL_SOURCE_DIR) / "deploy/examples/demo.json";
  const std::vector<std::string> overrides = {"kafka.bootstrap_servers=127.0.0.1:1"};
  auto config = load_pipeline_config(demo.string(), overrides);
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->kafka.bootstrap_servers, "127.0.0.1:1");
  EXPECT_EQ(config->source.from.kind, connectors::StartPosition::Kind::kEarliest);
  EXPECT_EQ(config->source.until.kind, connectors::StopCondition::Kind::kEnd);
  EXPECT_EQ(config->outputs.predictions, "predictions");
  EXPECT_EQ(config->monitoring.on_drift, stream::OnDrift::kBackground);
}

TEST(PipelineConfigTest, MetricsEndpointAndRollingWindow) {
  Json document = minimal_document();
  document["metrics"] = {{"listen", "[::1]:0"}, {"rolling_window", 500}};
  auto config = parse(document);
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->metrics.listen, "[::1]:0");
  EXPECT_EQ(config->metrics.rolling_window, 500u);

  document["metrics"] = {{"listen", "off"}, {"rolling_window", 0}};
  config = parse(document);
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_TRUE(config->metrics.listen.empty());
  EXPECT_EQ(config->metrics.rolling_window, 0u);

  for (const char* bad : {"9464", "localhost", "127.0.0.1:99999", ":9464", "127.0.0.1:x", "[::1"}) {
    document["metrics"] = {{"listen", bad}};
    config = parse(document);
    ASSERT_FALSE(config) << bad;
    EXPECT_NE(config.status().message().find("$.metrics.listen: '" + std::string(bad) +
                                             "' is not host:port"),
              std::string::npos)
        << config.status().message();
  }
  document["metrics"] = {{"rolling_window", -1}, {"port", 1}};
  config = parse(document);
  ASSERT_FALSE(config);
  EXPECT_NE(config.status().message().find("$.metrics.rolling_window"), std::string::npos);
  EXPECT_NE(config.status().message().find("$.metrics.port"), std::string::npos)
      << config.status().message();
}

TEST(PipelineConfigTest, OmittedKeysTakeTheirDefaults) {
  auto config = parse(minimal_document());
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->monitoring.monitor.pipeline, "default");
  EXPECT_TRUE(config->kafka.properties.empty());
  EXPECT_EQ(config->source.from, connectors::StartPosition{});
  EXPECT_EQ(config->source.until, connectors::StopCondition{});
  EXPECT_TRUE(config->source.labels_topic.empty());
  EXPECT_EQ(config->source.rate_events_per_s, 0.0);
  EXPECT_EQ(config->source.commit_interval_ms, 1000);
  EXPECT_EQ(config->schema.target_kind, stream::TargetKind::kClass);  // the model classifies
  EXPECT_TRUE(config->schema.key_field.empty());
  EXPECT_TRUE(config->schema.defaults.empty());
  EXPECT_TRUE(config->schema.target_optional);
  EXPECT_EQ(config->labels.max_pending, 100'000u);
  EXPECT_EQ(config->labels.ttl_ms, 3'600'000);
  EXPECT_TRUE(config->outputs.predictions.empty());
  EXPECT_TRUE(config->outputs.alerts.empty());
  EXPECT_TRUE(config->outputs.dead_letter.empty());
  EXPECT_TRUE(config->monitoring.monitor.drift_detector.empty());
  EXPECT_FALSE(config->monitoring.monitor.feature_drift.has_value());
}

TEST(PipelineConfigTest, TargetKindDefaultsToTheModelsTask) {
  Json document = minimal_document();
  document["model"] = "linear_regression";
  auto config = parse(document);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->schema.target_kind, stream::TargetKind::kValue);
}

TEST(PipelineConfigTest, ReportsEveryErrorAtOnceWithItsJsonPath) {
  const Json document = Json::parse(R"({
    "pipeline": "",
    "model": "logistic_regresion",
    "kafka": {"bootstrap_servers": "", "properties": {"acks": [1]}},
    "source": {
      "topics": [],
      "group_id": 7,
      "from": "beginning",
      "until": "forever",
      "rate": -5,
      "commit_interval_ms": 5,
      "propertys": {}
    },
    "schema": {"format": "avro", "target": "label", "target_kind": "label", "key": "",
               "ignore": "debug", "defaults": {"flag": true}},
    "labels": {"max_pending": 0, "ttl": "5000"},
    "outputs": {"predictions": 3},
    "monitoring": {"concept_drift": {}},
    "sinks": {}
  })");
  const std::string message = errors_of(document);
  expect_contains(
      message,
      {"pipeline.json: invalid configuration (21 errors):",
       "\n  $.pipeline: must be a non-empty string",
       "\n  $.model: model expression 'logistic_regresion':\n    unknown model "
       "'logistic_regresion'",
       "\n  $.kafka.bootstrap_servers: must be a non-empty string",
       "\n  $.kafka.properties.acks: must be a string, a number or a boolean",
       "\n  $.source.topics: must be a non-empty array of non-empty strings",
       "\n  $.source.group_id: must be a non-empty string",
       "\n  $.source.from: 'beginning' is not a start position: use committed, earliest, latest",
       "\n  $.source.until: 'forever' is not a stop condition: use never, end",
       "\n  $.source.rate: must be a number >= 0",
       "\n  $.source.commit_interval_ms: must be an integer from 10 to 3600000",
       "\n  $.source.propertys: unknown key; allowed here: topics, topic_pattern, group_id, "
       "labels_topic, from, until, rate, commit_interval_ms, properties",
       "\n  $.schema.format: 'avro' is not a supported record format; allowed: json",
       "\n  $.schema.target_kind: 'label' is not a target kind; allowed: class",
       "\n  $.schema.key: must be a non-empty string",
       "\n  $.schema.ignore: must be an array of non-empty strings",
       "\n  $.schema.defaults.flag: must be a number (a numeric feature) or a string",
       "\n  $.labels.max_pending: must be an integer from 1 to 100000000",
       "\n  $.labels.ttl: '5000' is a count of events, but a ttl is event time",
       "\n  $.outputs.predictions: must be a non-empty string",
       "\n  $.monitoring.concept_drift.detector: is required",
       "\n  $.sinks: unknown key; allowed here: pipeline, features, model, kafka, source, schema, labels, "
       "metrics, ",
       ", checkpoints, "});
}

TEST(PipelineConfigTest, RequiredSectionsAndKeysAreNamed) {
  expect_contains(errors_of(Json::object()),
                  {"(4 errors)", "$.model: is required: a model expression",
                   "$.kafka: is required: an object with bootstrap_servers",
                   "$.source: is required: an object with topics (or topic_pattern) and group_id",
                   "$.schema: is required: an object with at least target"});
  const Json document = Json::parse(R"({"model": "logistic_regression", "kafka": {},
                                        "source": {}, "schema": {}})");
  expect_contains(errors_of(document),
                  {"(4 errors)", "$.kafka.bootstrap_servers: is required",
                   "$.source.topics: is required (or topic_pattern)",
                   "$.source.group_id: is required", "$.schema.target: is required"});
}

TEST(PipelineConfigTest, NotJsonAndNotAnObjectSayWhere) {
  auto broken = parse_pipeline_config("{\"model\": ", "broken.json");
  ASSERT_FALSE(broken.is_ok());
  EXPECT_NE(broken.status().message().find("broken.json: not valid JSON"), std::string::npos);
  auto array = parse_pipeline_config("[1]", "array.json");
  ASSERT_FALSE(array.is_ok());
  EXPECT_EQ(array.status().message(), "array.json: must be a JSON object");
  auto missing = load_pipeline_config("/nonexistent/pipeline.json");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(
      missing.status().message().find("cannot read configuration '/nonexistent/pipeline.json'"),
      std::string::npos);
}

TEST(PipelineConfigTest, TopicPatternIsAnchoredAndMustCompile) {
  Json document = minimal_document();
  document["source"].erase("topics");
  document["source"]["topic_pattern"] = "events\\..*";
  auto config = parse(document);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->source.topic_pattern, "^events\\..*");
  EXPECT_TRUE(config->source.topics.empty());

  document["source"]["topic_pattern"] = "^events(";
  expect_contains(errors_of(document),
                  {"$.source.topic_pattern: '^events(' is not a valid regular expression"});
}

TEST(PipelineConfigTest, TopicsAndTopicPatternAreExclusive) {
  Json document = minimal_document();
  document["source"]["topic_pattern"] = "^events";
  expect_contains(errors_of(document),
                  {"$.source: give exactly one of topics and topic_pattern, not both"});
}

TEST(PipelineConfigTest, TargetKindMustAgreeWithTheModel) {
  Json document = minimal_document();
  document["model"] = "linear_regression";
  document["schema"]["target_kind"] = "class";
  expect_contains(errors_of(document),
                  {"(1 error):",
                   "$.schema.target_kind: is \"class\" but the model is a regression "
                   "model: use \"value\""});
  document["model"] = "hoeffding_tree";
  document["schema"]["target_kind"] = "value";
  expect_contains(errors_of(document),
                  {"$.schema.target_kind: is \"value\" but the model is a classifier"});
}

TEST(PipelineConfigTest, MonitoringIsValidatedAgainstTheModelsTask) {
  Json document = minimal_document();
  document["model"] = "linear_regression";
  document["monitoring"] = Json::parse(R"({"performance": [{"metric": "accuracy"}]})");
  expect_contains(errors_of(document), {"$.monitoring: invalid monitoring settings:",
                                        "metric 'accuracy' is not one of the regression"});
}

TEST(PipelineConfigTest, OutputsThatTheSourceReadsAreFeedbackLoops) {
  Json document = minimal_document();
  document["source"]["labels_topic"] = "labels";
  document["outputs"] =
      Json::parse(R"({"predictions": "events", "alerts": "labels", "dead_letter": "events"})");
  expect_contains(
      errors_of(document),
      {"$.outputs.predictions: topic 'events' is also a source topic: the pipeline would read its "
       "own output (a feedback loop)",
       "$.outputs.alerts: topic 'labels' is also $.source.labels_topic",
       "$.outputs.dead_letter: topic 'events' is also $.outputs.predictions: give each output its "
       "own topic"});

  document = minimal_document();
  document["source"].erase("topics");
  document["source"]["topic_pattern"] = "^events\\..*";
  document["outputs"] = Json::parse(R"({"dead_letter": "events.dead-letter"})");
  expect_contains(errors_of(document), {"$.outputs.dead_letter: topic 'events.dead-letter' matches "
                                        "$.source.topic_pattern '^events\\..*'"});
  document["outputs"]["dead_letter"] = "dead-letter";
  EXPECT_TRUE(parse(document).is_ok());
}

TEST(PipelineConfigTest, FieldRolesAndDefaultsAreChecked) {
  Json document = minimal_document();
  document["schema"] = Json::parse(R"({"target": "label", "key": "user", "time": "user",
                                       "entities": ["card", "debug"], "ignore": ["debug"],
                                       "defaults": {"label": 0, "debug": "x", "amount": 1.5,
                                                    "card": "none"}})");
  expect_contains(errors_of(document),
                  {"(4 errors)",
                   "$.schema: the event schema gives a field two roles: field 'user' is configured "
                   "as both the key field and the time field; field 'debug' is configured as both "
                   "the entity field and the ignored field",
                   "$.schema.defaults.label: 'label' is the target, not a feature",
                   "$.schema.defaults.debug: 'debug' is the entity field, not a feature",
                   "$.schema.defaults.card: 'card' is the entity field, not a feature"});
  document["schema"] = Json::parse(R"({"target": "label", "entities": ["card", "device"]})");
  auto config = parse(document);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->schema.entities, (std::vector<std::string>{"card", "device"}));
  document["schema"]["entities"] = "card";
  expect_contains(errors_of(document),
                  {"$.schema.entities: must be an array of non-empty strings"});
}

TEST(PipelineConfigTest, FeatureDriftWatchesFeaturesOnly) {
  Json document = minimal_document();
  document["monitoring"] = Json::parse(R"({"feature_drift": {"features": ["amount", "label"]}})");
  expect_contains(errors_of(document), {"$.monitoring.feature_drift.features: 'label' is the "
                                        "target, not a feature"});
}

TEST(PipelineConfigTest, PropertiesBecomeLibrdkafkaText) {
  Json document = minimal_document();
  document["kafka"]["properties"] =
      Json::parse(R"({"enable.idempotence": true, "linger.ms": 5, "acks": "all", "x": 0.5})");
  auto config = parse(document);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  const connectors::KafkaProperties expected = {
      {"acks", "all"}, {"enable.idempotence", "true"}, {"linger.ms", "5"}, {"x", "0.5"}};
  EXPECT_EQ(config->kafka.properties, expected);

  document["kafka"]["properties"] = Json::parse(R"({"bootstrap.servers": "a:1", "y": null})");
  document["source"]["properties"] = Json::parse(R"({"group.id": "other"})");
  expect_contains(errors_of(document),
                  {"$.kafka.properties['bootstrap.servers']: set $.kafka.bootstrap_servers instead",
                   "$.kafka.properties.y: must be a string, a number or a boolean",
                   "$.source.properties['group.id']: set $.source.group_id instead"});
}

TEST(PipelineConfigTest, LabelTtlIsEventTime) {
  Json document = minimal_document();
  document["labels"] = Json::parse(R"({"ttl": "30s", "max_pending": 10})");
  auto config = parse(document);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->labels.ttl_ms, 30'000);
  EXPECT_EQ(config->labels.max_pending, 10u);
  document["labels"]["ttl"] = 2500;
  config = parse(document);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->labels.ttl_ms, 2500);
  document["labels"]["ttl"] = 0;
  expect_contains(errors_of(document), {"$.labels.ttl: must be positive"});
  document["labels"]["ttl"] = "ten";
  expect_contains(errors_of(document), {"$.labels.ttl: invalid window length 'ten'"});
}

TEST(PipelineConfigTest, CheckpointsAreOffUnlessADirectoryIsGiven) {
  auto config = parse(minimal_document());
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_TRUE(config->checkpoints.directory.empty());
  EXPECT_EQ(config->checkpoints.interval_ms, 10'000);
  EXPECT_EQ(config->checkpoints.every_events, 0u);
  EXPECT_EQ(config->checkpoints.keep, 3u);

  Json document = minimal_document();
  document["checkpoints"] =
      Json::parse(R"({"directory": "state/", "interval": "2m", "every_events": 5000, "keep": 5})");
  config = parse(document);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->checkpoints.directory, "state/");
  EXPECT_EQ(config->checkpoints.interval_ms, 120'000);
  EXPECT_EQ(config->checkpoints.every_events, 5000u);
  EXPECT_EQ(config->checkpoints.keep, 5u);
  config = parse(minimal_document(), {"checkpoints.directory=other/", "checkpoints.interval=0s"});
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->checkpoints.directory, "other/");
  EXPECT_EQ(config->checkpoints.interval_ms, 0);
  config = parse(minimal_document(), {"checkpoints.interval=2500"});
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->checkpoints.interval_ms, 2500);

  document["checkpoints"] =
      Json::parse(R"({"interval": "10 parsecs", "every_events": -1, "keep": 1, "dir": "x"})");
  expect_contains(errors_of(document),
                  {"(4 errors)", "$.checkpoints.interval: '10 parsecs'",
                   "$.checkpoints.every_events: must be an integer from 0",
                   "$.checkpoints.keep: must be an integer from 2 to 1000",
                   "$.checkpoints.dir: unknown key; allowed here: directory, interval, "
                   "every_events, keep"});
  document["checkpoints"] = Json::parse(R"({"interval": true})");
  expect_contains(errors_of(document), {"$.checkpoints.interval: must be a wall-clock duration"});
}

TEST(PipelineConfigTest, OverridesApplyInOrderBeforeValidation) {
  Json document = minimal_document();
  document["outputs"] = Json::parse(R"({"predictions": "predictions", "alerts": "alerts"})");
  auto config =
      parse(document,
            {"source.rate=500", "source.group_id=g2", "source.group_id=g3",
             "source.from=timestamp:1700000000000", "labels.ttl=30s", "outputs.predictions=null",
             "monitoring.concept_drift.detector=adwin", "source.topics.0=clicks",
             "source.topics.1=views", "schema.ignore=[\"debug\",\"trace\"]", "pipeline=\"42\""});
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->source.rate_events_per_s, 500.0);
  EXPECT_EQ(config->source.group_id, "g3");  // the later override wins
  EXPECT_EQ(config->source.from.kind, connectors::StartPosition::Kind::kTimestamp);
  EXPECT_EQ(config->source.from.timestamp_ms, 1'700'000'000'000);
  EXPECT_EQ(config->labels.ttl_ms, 30'000);          // a new section
  EXPECT_TRUE(config->outputs.predictions.empty());  // null removes the key
  EXPECT_EQ(config->outputs.alerts, "alerts");
  EXPECT_EQ(config->monitoring.monitor.drift_detector, "adwin");  // nested objects created
  EXPECT_EQ(config->source.topics, (std::vector<std::string>{"clicks", "views"}));
  EXPECT_EQ(config->schema.ignore, (std::vector<std::string>{"debug", "trace"}));
  EXPECT_EQ(config->monitoring.monitor.pipeline, "42");  // quoted: a string, not a number
}

TEST(PipelineConfigTest, OverriddenValuesAreValidatedLikeTheFile) {
  expect_contains(errors_of(minimal_document(),
                            {"source.rate=-1", "source.commit_interval_ms=fast", "source.extra=1"}),
                  {"(3 errors)", "$.source.rate: must be a number >= 0",
                   "$.source.commit_interval_ms: must be an integer from 10 to 3600000",
                   "$.source.extra: unknown key"});
}

TEST(PipelineConfigTest, MalformedOverridesAreErrorsNamingThem) {
  const std::string message = errors_of(
      minimal_document(), {"source.rate", "=5", "source..rate=1", "source.group_id.name=x",
                           "source.topics.first=x", "source.topics.5=x", "source.rate=2"});
  expect_contains(
      message,
      {"pipeline.json: invalid configuration (6 errors):",
       "\n  --set 'source.rate': there is no '=': write key.path=value",
       "\n  --set '=5': the key path is empty",
       "\n  --set 'source..rate=1': the key path has an empty key",
       "\n  --set 'source.group_id.name=x': $.source.group_id is a string, not an object",
       "\n  --set 'source.topics.first=x': $.source.topics is an array: name an element by its "
       "index (e.g. source.topics.0)",
       "\n  --set 'source.topics.5=x': $.source.topics has 1 elements"});
}

TEST(PipelineConfigTest, NullOverrideOfAMissingKeyChangesNothing) {
  auto config = parse(minimal_document(), {"outputs.alerts=null", "labels=null"});
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_TRUE(config->outputs.alerts.empty());
}

}  // namespace
}  // namespace streamlearn::config

namespace streamlearn::config {
namespace {

TEST(PipelineConfigFeaturesTest, FeatureStepsComeBeforeTheModel) {
  Json document = Json::parse(R"json({
    "model": "logistic_regression",
    "kafka": {"bootstrap_servers": "127.0.0.1:9092"},
    "source": {"topics": ["events"], "group_id": "g"},
    "schema": {"target": "label"},
    "features": [
      {"window": {"by": ["user", "device"], "size": "1h", "agg": ["mean(amount)", "count()"]}},
      {"target_agg": {"by": "user", "events": 100}},
      "standard_scaler"
    ],
    "outputs": {"features": "features"}
  })json");
  auto config = parse_pipeline_config(document.dump(), "pipeline.json");
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->model,
            "window(agg=[mean(amount), count()], by=[user, device], size=1h) | "
            "target_agg(by=user, events=100) | standard_scaler | logistic_regression");
  EXPECT_EQ(config->outputs.features, "features");

  document["features"][0]["window"]["step"] = "7m";
  document["features"][1] = {{"target_agg", {{"by", {{"nested", 1}}}}}};
  auto broken = parse_pipeline_config(document.dump(), "pipeline.json");
  ASSERT_FALSE(broken.is_ok());
  EXPECT_NE(broken.status().message().find("$.features[1].target_agg.by: must be a string"),
            std::string::npos)
      << broken.status().message();
  EXPECT_NE(broken.status().message().find("step: must divide size"), std::string::npos)
      << broken.status().message();
}

}  // namespace
}  // namespace streamlearn::config

namespace streamlearn::config {
namespace {

TEST(PipelineConfigTest, ChallengerIsReadWithItsDefaultsAndCheckedAgainstTheModel) {
  Json document = minimal_document();
  EXPECT_TRUE(parse(document)->challenger.model.empty()) << "none unless configured";
  document["challenger"] = Json::parse(R"({"model": "standard_scaler | hoeffding_tree"})");
  auto config = parse(document);
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->challenger.model, "standard_scaler | hoeffding_tree");
  EXPECT_EQ(config->challenger.params.metric, "");  // the task's first metric: accuracy
  EXPECT_EQ(config->challenger.params.window, 1000u);
  EXPECT_EQ(config->challenger.params.margin, 0.0);
  EXPECT_TRUE(config->challenger.params.auto_promote);
  document["challenger"] = Json::parse(R"({"model": "gaussian_nb", "metric": "log_loss",
      "margin": 0.01, "window": 500, "auto_promote": false})");
  config = parse(document);
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->challenger.params.metric, "log_loss");
  EXPECT_EQ(config->challenger.params.margin, 0.01);
  EXPECT_EQ(config->challenger.params.window, 500u);
  EXPECT_FALSE(config->challenger.params.auto_promote);

  // Every error at once, each with its path.
  document["challenger"] = Json::parse(R"({"model": "window(events=5, agg=[mean(x)]) | gaussian_nb",
      "metric": "rmse", "margin": -0.5, "window": 0, "promote": true})");
  expect_contains(errors_of(document),
                  {"$.challenger.window: ", "$.challenger.promote: ",
                   "$.challenger.model: 'window(events=5", "has window steps",
                   "$.challenger.metric: 'rmse' is not a classification metric",
                   "$.challenger.margin: must be a finite number >= 0"});
  document["challenger"] = Json::parse(R"({"model": "linear_regression"})");
  expect_contains(errors_of(document),
                  {"(1 error):", "$.challenger.model: 'linear_regression' is a regression model "
                                 "but the serving model is a classifier"});
  document["challenger"] = Json::parse(R"({"metric": "accuracy"})");
  expect_contains(errors_of(document), {"$.challenger.model"});
}

}  // namespace
}  // namespace streamlearn::config
