#include "monitors/alerts/alert.h"

#include <gtest/gtest.h>

#include <limits>

namespace streamlearn::monitors {
namespace {

TEST(AlertTest, FormatUtcIsIso8601WithMilliseconds) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc(1'795'253'400'123), "2026-11-21T09:30:00.123Z");
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999Z");
}

TEST(AlertTest, JsonHasTheDocumentedFieldsInOrderWithNullsForWhatIsMissing) {
  Alert alert;
  alert.id = "p/concept_drift/1";
  alert.wall_time_ms = 0;
  alert.pipeline = "p";
  alert.monitor = "concept_drift";
  alert.kind = AlertKind::kConcept;
  alert.statistic = "ddm";
  alert.value = 0.25;
  alert.threshold = std::numeric_limits<double>::quiet_NaN();
  alert.current = {.first_event = 3, .last_event = 9, .count = 7};
  alert.model_version = 1;
  alert.new_model_version = 2;
  alert.model_action = "reset";
  alert.evidence = {{"mean_error", 0.25}, {"bad", std::numeric_limits<double>::infinity()}};
  EXPECT_EQ(to_json(alert),
            "{\"id\":\"p/concept_drift/1\",\"event_time\":null,"
            "\"wall_time\":\"1970-01-01T00:00:00.000Z\",\"pipeline\":\"p\","
            "\"monitor\":\"concept_drift\",\"kind\":\"concept\",\"feature\":null,"
            "\"statistic\":\"ddm\",\"value\":0.25,\"threshold\":null,"
            "\"window\":{\"reference\":null,\"current\":{\"first_event\":3,\"last_event\":9,"
            "\"count\":7,\"start_time\":null,\"end_time\":null}},\"model_version\":1,"
            "\"new_model_version\":2,\"model_action\":\"reset\",\"action\":\"retrain\","
            "\"evidence\":{\"mean_error\":0.25,\"bad\":null}}");
}

TEST(AlertTest, KindNames) {
  EXPECT_EQ(alert_kind_name(AlertKind::kConcept), "concept");
  EXPECT_EQ(alert_kind_name(AlertKind::kData), "data");
  EXPECT_EQ(alert_kind_name(AlertKind::kPrediction), "prediction");
  EXPECT_EQ(alert_kind_name(AlertKind::kPerformance), "performance");
}

}  // namespace
}  // namespace streamlearn::monitors
