// Golden tests: prequential accuracy, log loss and scored counts of River 0.21.1 on its reference
// streams (../shared/reference/river_prequential.json), reproduced through the same path as
// `streamlearn evaluate`: FileSource -> PrequentialEvaluator, and with `--delay N` its delayed
// path (process_delayed, then reveal_pending) against the file's `delayed_labels` results.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "connectors/files/file_source.h"
#include "learners/learner_registry.h"
#include "stream/prequential_evaluator.h"
#include "tests/test_support.h"

namespace streamlearn {
namespace {

// River's model names in the reference file, and the streamlearn expression of each.
const std::map<std::string, std::string> kModels = {
    {"logreg", "standard_scaler | logistic_regression"},
    {"gnb", "gaussian_nb"},
    {"hoeffding_tree", "hoeffding_tree"},
};

struct Outcome {
  std::uint64_t scored = 0;
  double accuracy = 0;
  double log_loss = 0;
};

Outcome evaluate(const std::filesystem::path& file, const std::string& expression,
                 std::uint64_t delay = 0) {
  auto model = learners::LearnerRegistry::builtin().build(expression);
  EXPECT_TRUE(model.is_ok()) << model.status().message();
  stream::EventSchema schema;
  schema.target = "label";
  core::FeatureSpace features;
  core::ClassSet classes;
  auto source = connectors::FileSource::open(file, schema, features, classes, {});
  EXPECT_TRUE(source.is_ok()) << source.status().message();
  stream::PrequentialEvaluator evaluator(**model, {});
  stream::Event event;
  if (delay == 0) {
    while ((*source)->next(event) == connectors::FileSource::Next::kEvent) evaluator.process(event);
  } else {
    stream::LabelDelayQueue pending(delay);
    while ((*source)->next(event) == connectors::FileSource::Next::kEvent)
      evaluator.process_delayed(event, pending);
    evaluator.reveal_pending(pending);
    EXPECT_EQ(evaluator.learned(), evaluator.events());
  }
  EXPECT_EQ((*source)->rejects().total(), 0u);
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  Outcome outcome;
  outcome.scored = evaluator.scored();
  for (const auto& [name, value] : metrics) {
    if (name == "accuracy") outcome.accuracy = value;
    if (name == "log_loss") outcome.log_loss = value;
  }
  return outcome;
}

class RiverPrequentialTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RiverPrequentialTest, ReproducesRiverAccuracyAndLogLossOnBothStreams) {
  SL_REQUIRE_SHARED_DIR(shared);
  const auto reference_dir = shared / "reference";
  std::ifstream in(reference_dir / "river_prequential.json");
  const auto reference = nlohmann::json::parse(in);
  int checked = 0;
  for (const auto& result : reference["results"]) {
    if (result["model"] != GetParam()) continue;
    const std::string stream_name = result["stream"];
    SCOPED_TRACE(stream_name + " " + GetParam());
    const Outcome outcome =
        evaluate(reference_dir / "streams" / stream_name, kModels.at(GetParam()));
    EXPECT_EQ(outcome.scored, result["n_scored"].get<std::uint64_t>());
    // The acceptance bound is 0.001; deterministic learners are expected to match far closer.
    EXPECT_NEAR(outcome.accuracy, result["accuracy"].get<double>(), 1e-6);
    EXPECT_NEAR(outcome.log_loss, result["log_loss"].get<double>(), 1e-6);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

// River's progressive_val_score(dataset, model, metric, delay=N), one run per metric: accuracy
// from predict_one, log loss from predict_proba_one. Both are the first arg-max / the probabilities
// of the same prediction here, and an empty prediction is not scored in either.
TEST_P(RiverPrequentialTest, ReproducesRiverWithLabelsRevealedLate) {
  SL_REQUIRE_SHARED_DIR(shared);
  const auto reference_dir = shared / "reference";
  std::ifstream in(reference_dir / "river_prequential.json");
  const auto reference = nlohmann::json::parse(in);
  int checked = 0;
  for (const auto& result : reference["delayed_labels"]["results"]) {
    if (result["model"] != GetParam()) continue;
    const std::string stream_name = result["stream"];
    const auto delay = result["delay"].get<std::uint64_t>();
    SCOPED_TRACE(stream_name + " " + GetParam() + " delay " + std::to_string(delay));
    const Outcome outcome =
        evaluate(reference_dir / "streams" / stream_name, kModels.at(GetParam()), delay);
    // Learners that cannot predict before their first label (all but the linear model) leave the
    // first `delay` events unscored.
    const std::uint64_t unscored = GetParam() == "logreg" ? 0 : delay;
    EXPECT_EQ(outcome.scored, 100000u - unscored);
    EXPECT_NEAR(outcome.accuracy, result["accuracy"].get<double>(), 1e-6);
    EXPECT_NEAR(outcome.log_loss, result["log_loss"].get<double>(), 1e-6);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

INSTANTIATE_TEST_SUITE_P(DeterministicLearners, RiverPrequentialTest,
                         ::testing::Values("logreg", "gnb", "hoeffding_tree"));

}  // namespace
}  // namespace streamlearn
