#include "stream/serving_pipeline.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "learners/learner_registry.h"
#include "stream/challenger.h"
#include "stream/prediction_json.h"

namespace streamlearn::stream {
namespace {

// Keeps what the pipeline outputs, as the Kafka outputs would write it.
class RecordedOutput : public PipelineOutput {
 public:
  explicit RecordedOutput(const core::ClassSet& classes) : classes_(classes) {}
  void prediction(const Event& event, const Prediction& prediction,
                  const SourceRecord& origin) override {
    std::string json;
    write_prediction_json(event, prediction, origin, classes_, json);
    predictions.push_back(json);
  }
  void rejected(const SourceRecord& record, const Rejection& rejection) override {
    dead_letters.push_back(std::string(reject_reason_name(rejection.reason)) + " " +
                           std::string(record.value));
  }
  std::vector<std::string> predictions;
  std::vector<std::string> dead_letters;

 private:
  const core::ClassSet& classes_;
};

class ServingPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = std::move(learners::LearnerRegistry::builtin().build("gaussian_nb")).value();
    evaluator_ = std::make_unique<PrequentialEvaluator>(*model_, PrequentialEvaluator::Options{});
  }
  ServingPipeline make(ServingPipeline::Params params = {}) {
    EventSchema schema{.target = "label", .id_field = "id", .time_field = "ts"};
    schema.target_optional = true;
    return ServingPipeline(params, std::move(JsonEventDecoder::create(schema, space_, classes_)).value(),
                           *evaluator_, output_);
  }
  static SourceRecord record(const std::string& value, std::int64_t offset = 0) {
    SourceRecord r;
    r.value = value;
    r.topic = "events";
    r.partition = 0;
    r.offset = offset;
    return r;
  }

  core::FeatureSpace space_;
  core::ClassSet classes_;
  std::unique_ptr<learners::Learner> model_;
  std::unique_ptr<PrequentialEvaluator> evaluator_;
  RecordedOutput output_{classes_};
};

TEST_F(ServingPipelineTest, LabelledEventsArePredictedThenLearned) {
  ServingPipeline pipeline = make();
  std::string a = R"({"id":"e1","ts":1,"x":1.0,"label":"a"})";
  std::string b = R"({"id":"e2","ts":2,"x":5.0,"label":"b"})";
  std::string c = R"({"id":"e3","ts":3,"x":1.1,"label":"a"})";
  pipeline.process(record(a, 0));
  pipeline.process(record(b, 1));
  pipeline.process(record(c, 2));
  ASSERT_EQ(output_.predictions.size(), 3u);
  EXPECT_NE(output_.predictions[0].find("\"prediction\":null"), std::string::npos)
      << output_.predictions[0];
  EXPECT_NE(output_.predictions[2].find("\"prediction\":\"a\""), std::string::npos)
      << output_.predictions[2];
  EXPECT_NE(output_.predictions[2].find("\"source\":{\"topic\":\"events\",\"partition\":0,\"offset\":2}"),
            std::string::npos);
  EXPECT_EQ(pipeline.counters().labelled_events, 3u);
  EXPECT_EQ(evaluator_->learned(), 3u);
  EXPECT_EQ(pipeline.pending().size(), 0u);
}

TEST_F(ServingPipelineTest, DelayedLabelsTeachTheFeaturesThatWerePredicted) {
  ServingPipeline pipeline = make();
  std::string first = R"({"id":"e1","ts":1,"x":1.0})";
  std::string second = R"({"id":"e2","ts":2,"x":9.0})";
  pipeline.process(record(first));
  pipeline.process(record(second));
  EXPECT_EQ(pipeline.pending().size(), 2u);
  EXPECT_EQ(evaluator_->learned(), 0u);
  std::string label = R"({"id":"e1","label":"a"})";
  SourceRecord label_record = record(label);
  label_record.label_record = true;
  pipeline.process(label_record);
  std::string same_topic_label = R"({"id":"e2","label":"b"})";
  pipeline.process(record(same_topic_label));  // no features: a label record too
  EXPECT_EQ(pipeline.counters().labels_matched, 2u);
  EXPECT_EQ(pipeline.pending().size(), 0u);
  EXPECT_EQ(evaluator_->learned(), 2u);
  EXPECT_EQ(output_.predictions.size(), 2u);  // labels get no prediction
  // The model learned x=1 as "a" and x=9 as "b".
  core::FeatureVector x;
  x.add_numeric(space_.feature("x"), 1.2);
  core::ClassProbabilities proba;
  model_->predict_proba_one(x, proba);
  EXPECT_EQ(classes_.name(proba.argmax()), "a");
}

TEST_F(ServingPipelineTest, UnmatchedLabelsAreCountedAndExpiredPredictionsDropped) {
  ServingPipeline pipeline = make({.max_pending = 100, .label_ttl_ms = 10});
  std::string old_event = R"({"id":"old","ts":100,"x":1.0})";
  std::string new_event = R"({"id":"new","ts":200,"x":1.0})";
  std::string late_label = R"({"id":"old","label":"a"})";
  std::string unknown_label = R"({"id":"nobody","label":"a"})";
  pipeline.process(record(old_event));
  pipeline.process(record(new_event));  // moves the event-time clock past old + ttl
  pipeline.process(record(late_label));
  pipeline.process(record(unknown_label));
  EXPECT_EQ(pipeline.pending().expired(), 1u);
  EXPECT_EQ(pipeline.counters().labels_unmatched, 2u);
  EXPECT_EQ(pipeline.counters().labels_matched, 0u);
  EXPECT_EQ(evaluator_->learned(), 0u);
}

TEST_F(ServingPipelineTest, RejectedRecordsGoToTheDeadLetterOutputWithTheirBytes) {
  ServingPipeline pipeline = make();
  std::string broken = R"({"id":"e1","x":)";
  std::string nan = R"({"id":"e2","ts":1,"x":NaN})";
  SourceRecord label_without_id_record = record(R"({"label":"a"})");
  std::string label_without_id = R"({"label":"a"})";
  label_without_id_record.value = label_without_id;
  label_without_id_record.label_record = true;
  pipeline.process(record(broken));
  pipeline.process(record(nan));
  pipeline.process(label_without_id_record);
  ASSERT_EQ(output_.dead_letters.size(), 3u);
  EXPECT_EQ(output_.dead_letters[0], "malformed_record " + broken);
  EXPECT_EQ(output_.dead_letters[1], "non_finite " + nan);
  EXPECT_EQ(output_.dead_letters[2], "missing_id " + label_without_id);
  EXPECT_EQ(pipeline.rejects().total(), 3u);
  EXPECT_TRUE(output_.predictions.empty());
}

TEST_F(ServingPipelineTest, EventsWithoutTimeTakeTheRecordTimestamp) {
  EventSchema schema{.target = "label", .id_field = "id"};
  schema.target_optional = true;
  ServingPipeline pipeline({}, std::move(JsonEventDecoder::create(schema, space_, classes_)).value(),
                           *evaluator_, output_);
  std::string event = R"({"id":"e1","x":1.0})";
  SourceRecord with_time = record(event);
  with_time.timestamp_ms = 1'700'000'000'123;
  pipeline.process(with_time);
  ASSERT_EQ(output_.predictions.size(), 1u);
  EXPECT_NE(output_.predictions[0].find("\"event_time\":1700000000123"), std::string::npos)
      << output_.predictions[0];
}

TEST_F(ServingPipelineTest, ThousandsOfDelayedLabelsMatchTheirPredictions) {
  ServingPipeline pipeline = make();
  constexpr int kEvents = 3000;
  constexpr int kDelay = 1000;
  auto event_json = [](int i) {
    return "{\"id\":\"e" + std::to_string(i) + "\",\"ts\":" + std::to_string(1000 + i) +
           ",\"x\":" + std::to_string(i % 7) + "}";
  };
  auto label_json = [](int i) {
    return "{\"id\":\"e" + std::to_string(i) + "\",\"label\":\"" + (i % 7 < 3 ? "a" : "b") + "\"}";
  };
  for (int i = 0; i < kEvents + kDelay; ++i) {
    if (i >= kDelay) {
      const std::string label = label_json(i - kDelay);
      pipeline.process(record(label));
    }
    if (i < kEvents) {
      const std::string event = event_json(i);
      pipeline.process(record(event));
    }
  }
  EXPECT_EQ(pipeline.counters().labels_matched, static_cast<std::uint64_t>(kEvents));
  EXPECT_EQ(pipeline.pending().size(), 0u);
  EXPECT_EQ(evaluator_->learned(), static_cast<std::uint64_t>(kEvents));
}

TEST_F(ServingPipelineTest, PredictionsBeforeAnyLabelNameNoClass) {
  // An untrained logistic regression answers 0.5 / 0.5 for classes nobody has named yet.
  model_ = std::move(learners::LearnerRegistry::builtin().build("logistic_regression")).value();
  evaluator_ = std::make_unique<PrequentialEvaluator>(*model_, PrequentialEvaluator::Options{});
  ServingPipeline pipeline = make();
  std::string event = R"({"id":"e1","ts":1,"x":1.0})";
  pipeline.process(record(event));
  ASSERT_EQ(output_.predictions.size(), 1u);
  EXPECT_NE(output_.predictions[0].find("\"prediction\":null,\"probabilities\":{}"),
            std::string::npos)
      << output_.predictions[0];
}

TEST_F(ServingPipelineTest, TheChallengersPredictionsAreNeverPublished) {
  // The middle values of x are class a: naive Bayes (the classes' variances differ) gets it, the
  // linear model cannot. Half the events carry their label, half get it 40 events later by id.
  auto event_json = [](int i) {
    const std::string label = i % 7 >= 2 && i % 7 <= 4 ? "a" : "b";
    return "{\"id\":\"e" + std::to_string(i) + "\",\"ts\":" + std::to_string(1000 + i) +
           ",\"x\":" + std::to_string(i % 7) + (i % 2 == 0 ? ",\"label\":\"" + label + "\"" : "") +
           "}";
  };
  auto label_json = [](int i) {
    return "{\"id\":\"e" + std::to_string(i) + "\",\"label\":\"" +
           (i % 7 >= 2 && i % 7 <= 4 ? "a" : "b") + "\"}";
  };
  struct Run {
    std::vector<std::string> predictions;
    std::uint64_t compared = 0;
    std::uint64_t promotions = 0;
    std::uint64_t model_version = 0;
  };
  const auto run = [&](std::optional<Challenger::Params> params) {
    core::FeatureSpace space;
    core::ClassSet classes;
    auto model = std::move(learners::LearnerRegistry::builtin().build("logistic_regression")).value();
    PrequentialEvaluator evaluator(*model, {});
    if (params)
      evaluator.challenge_with(std::make_unique<Challenger>(
          std::move(learners::LearnerRegistry::builtin().build("gaussian_nb")).value(), *params));
    RecordedOutput output(classes);
    EventSchema schema{.target = "label", .id_field = "id", .time_field = "ts"};
    schema.target_optional = true;
    ServingPipeline pipeline({}, std::move(JsonEventDecoder::create(schema, space, classes)).value(),
                             evaluator, output);
    for (int i = 0; i < 2040; ++i) {
      if (i >= 40 && (i - 40) % 2 == 1) {
        const std::string label = label_json(i - 40);  // a record refers to its bytes
        SourceRecord label_record = record(label);
        label_record.label_record = true;
        pipeline.process(label_record);
      }
      if (i < 2000) {
        const std::string event = event_json(i);
        pipeline.process(record(event, i));
      }
    }
    Run result{output.predictions, 0, 0, evaluator.model_version()};
    if (const Challenger* challenger = evaluator.challenger()) {
      result.compared = challenger->compared();
      result.promotions = challenger->promotions();
    }
    return result;
  };
  const Run alone = run(std::nullopt);
  const Run shadow = run(Challenger::Params{.window = 100'000, .auto_promote = false});
  EXPECT_EQ(shadow.predictions, alone.predictions) << "the published records are the champion's";
  EXPECT_GE(shadow.compared, 1990u) << "the challenger was scored on both label paths";
  EXPECT_EQ(shadow.model_version, 1u);

  // Promoted: the same records until the promotion, then the new version's.
  const Run promoted = run(Challenger::Params{.margin = 0.1, .window = 200});
  ASSERT_EQ(promoted.promotions, 1u);
  ASSERT_EQ(promoted.predictions.size(), alone.predictions.size());
  std::size_t first_new = 0;
  while (first_new < promoted.predictions.size() &&
         promoted.predictions[first_new].find("\"model_version\":2") == std::string::npos)
    ++first_new;
  ASSERT_LT(first_new, promoted.predictions.size());
  ASSERT_GT(first_new, 200u);
  for (std::size_t i = 0; i < first_new; ++i)
    ASSERT_EQ(promoted.predictions[i], alone.predictions[i]) << i;
  for (std::size_t i = first_new; i < promoted.predictions.size(); ++i)
    ASSERT_NE(promoted.predictions[i].find("\"model_version\":2"), std::string::npos) << i;
}

}  // namespace
}  // namespace streamlearn::stream
