#include "cli/demo_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/alert_printer.h"
#include "cli/flag_set.h"
#include "connectors/synthetic/synthetic_stream_registry.h"
#include "connectors/synthetic/synthetic_stream_writer.h"
#include "stream/pipeline_model.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::cli {

int demo_command(int argc, char** argv, int first) {
  std::string model_expression = "hoeffding_tree";
  std::string write_path;
  std::uint64_t events = 1'000'000;
  std::uint64_t report_every = 100'000;
  std::uint64_t rolling = 1'000;
  std::uint64_t seed = 42;
  std::string drift_detector = "ddm";
  std::string on_drift_text = "background";
  FlagSet flags("demo",
                "Generates a SEA stream whose concept drifts halfway, evaluates a model on it\n"
                "test-then-train and prints the rolling accuracy as it goes: watch it drop at the\n"
                "drift and recover as the model adapts, while the monitors raise alerts (printed\n"
                "as they fire): concept drift on the error stream, data drift of the features,\n"
                "the predictions and the labels. The stream is\n"
                "  streamlearn generate 'sea(noise=0.05)' --drift-to 'sea(variant=1, noise=0.05)'\n"
                "      --n EVENTS --drift-at EVENTS/2 --drift-width EVENTS/100 --seed SEED");
  flags.add_string("model", &model_expression, "EXPRESSION", "model expression (default hoeffding_tree)");
  flags.add_size("events", &events, "number of events (default 1000000)");
  flags.add_size("report-every", &report_every, "print a progress line every N events (default 100000)");
  flags.add_size("rolling", &rolling, "rolling window of the metrics (default 1000)");
  flags.add_size("seed", &seed, "random seed (default 42)");
  flags.add_string("drift-detector", &drift_detector, "EXPRESSION",
                   "detector on the error stream (default ddm)");
  flags.add_string("on-drift", &on_drift_text, "MODE",
                   "none, reset or background (default: train from the warning, swap at the drift)");
  flags.add_string("write", &write_path, "PATH", "also write the stream as CSV");
  if (const std::optional<int> exit_code = flags.parse_or_exit(argc, argv, first)) return *exit_code;
  core::FeatureSpace features;
  auto model = stream::PipelineModel::build(model_expression, features);
  if (!model) {
    std::fprintf(stderr, "streamlearn demo: %s\n", model.status().message().c_str());
    return 2;
  }
  stream::features::FeatureStage& windows = *model->features;
  if (model->learner->task() != learners::Task::kClassification) {
    std::fprintf(stderr, "streamlearn demo: the demo stream is a classification task; pick a "
                 "classifier (see 'streamlearn learners')\n");
    return 2;
  }
  core::ClassSet classes;
  connectors::ConceptDriftStream::Params drift;
  drift.position = static_cast<std::int64_t>(events / 2);
  drift.width = static_cast<std::int64_t>(std::max<std::uint64_t>(1, events / 100));
  auto generator = connectors::SyntheticStreamRegistry::builtin().build_drift(
      "sea(noise=0.05)", "sea(variant=1, noise=0.05)", drift, seed, features, classes);
  if (!generator) {
    std::fprintf(stderr, "streamlearn demo: %s\n", generator.status().message().c_str());
    return 2;
  }
  std::FILE* csv = nullptr;
  std::optional<connectors::SyntheticStreamWriter> writer;
  if (!write_path.empty()) {
    csv = std::fopen(write_path.c_str(), "w");
    if (!csv) {
      std::fprintf(stderr, "streamlearn demo: cannot write '%s'\n", write_path.c_str());
      return 2;
    }
    writer.emplace(csv, connectors::SyntheticStreamWriter::Format::kCsv, **generator);
    writer->write_header();
  }

  auto on_drift = stream::parse_on_drift(on_drift_text);
  if (!on_drift) {
    std::fprintf(stderr, "streamlearn demo: --on-drift: %s\n", on_drift.status().message().c_str());
    return 2;
  }
  // Windows of a tenth of the stream, sliding by a fiftieth, after a reference of a tenth.
  monitors::DataDriftMonitor::Params drift_windows;
  const std::int64_t tenth = static_cast<std::int64_t>(std::max<std::uint64_t>(events / 10, 50));
  drift_windows.reference = monitors::WindowLength::events(tenth);
  drift_windows.window = monitors::WindowLength::events(tenth / 5 * 5);
  drift_windows.step = monitors::WindowLength::events(tenth / 5);
  drift_windows.policy.cooldown = monitors::WindowLength::events(tenth);
  stream::ModelMonitor::Params monitoring;
  monitoring.pipeline = "demo";
  monitoring.drift_detector = drift_detector;
  monitoring.concept_policy.cooldown = monitors::WindowLength::events(tenth / 5);
  monitoring.feature_drift = stream::ModelMonitor::FeatureDrift{.params = drift_windows};
  monitoring.prediction_drift = drift_windows;
  monitoring.label_drift = drift_windows;
  auto monitor = stream::ModelMonitor::create(monitoring, true, "label", features);
  if (!monitor) {
    std::fprintf(stderr, "streamlearn demo: %s\n", monitor.status().message().c_str());
    return 2;
  }
  AlertPrinter alert_printer(stdout);
  (*monitor)->add_sink(&alert_printer);
  stream::PrequentialEvaluator evaluator(*model->learner,
                                         {.rolling_window = rolling, .on_drift = *on_drift});
  evaluator.monitor_with(std::move(*monitor));
  evaluator.give_labels_to(&windows);
  std::printf("demo: %llu SEA events, concept drift at %llu, model %s\n",
              static_cast<unsigned long long>(events),
              static_cast<unsigned long long>(drift.position), model->describe().c_str());

  stream::Event event;
  std::vector<std::pair<std::string, double>> metrics;
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < events; ++i) {
    (*generator)->next(event);
    // The generated events have no time and one key: count and unbounded windows apply.
    if (!windows.empty() && windows.apply(event).has_value()) continue;
    evaluator.process(event);
    if (writer) writer->write(event);
    if (report_every > 0 && (i + 1) % report_every == 0) {
      evaluator.report(metrics);
      std::string line = "demo: " + std::to_string(i + 1) + " events";
      for (const auto& [name, value] : metrics) {
        if (name != "accuracy" && name != "rolling_accuracy") continue;
        char text[64];
        std::snprintf(text, sizeof(text), ", %s %.4f", name.c_str(), value);
        line += text;
      }
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (writer) {
    core::Status written = writer->finish();
    writer.reset();
    if (std::fclose(csv) != 0 && written.is_ok())
      written = core::Status::error("closing the file failed");
    if (!written) {
      std::fprintf(stderr, "streamlearn demo: '%s': %s\n", write_path.c_str(),
                   written.message().c_str());
      return 1;
    }
  }

  evaluator.report(metrics);
  nlohmann::ordered_json result;
  result["model"] = model->describe();
  result["events"] = evaluator.events();
  result["scored"] = evaluator.scored();
  for (const auto& [name, value] : metrics) result[name] = value;
  result["drifts"] = evaluator.monitor()->drift_positions();
  result["alerts_fired"] = evaluator.monitor()->alerts_fired();
  result["model_version"] = evaluator.model_version();
  result["seconds"] = seconds;
  result["events_per_s"] = seconds > 0 ? evaluator.events() / seconds : 0.0;
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

}  // namespace streamlearn::cli
