#include "cli/demo_command.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/flag_set.h"
#include "connectors/synthetic/sea_stream.h"
#include "learners/learner_registry.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::cli {

int demo_command(int argc, char** argv, int first) {
  std::string model_expression = "hoeffding_tree";
  std::string write_path;
  std::uint64_t events = 1'000'000;
  std::uint64_t report_every = 100'000;
  std::uint64_t rolling = 1'000;
  std::uint64_t seed = 42;
  FlagSet flags("demo",
                "Generates a SEA stream whose concept drifts halfway, evaluates a model on it\n"
                "test-then-train and prints the rolling accuracy as it goes: watch it drop at the\n"
                "drift and recover as the model adapts.");
  flags.add_string("model", &model_expression, "EXPRESSION", "model expression (default hoeffding_tree)");
  flags.add_size("events", &events, "number of events (default 1000000)");
  flags.add_size("report-every", &report_every, "print a progress line every N events (default 100000)");
  flags.add_size("rolling", &rolling, "rolling window of the metrics (default 1000)");
  flags.add_size("seed", &seed, "random seed (default 42)");
  flags.add_string("write", &write_path, "PATH", "also write the stream as CSV");
  if (core::Status status = flags.parse(argc, argv, first); !status) {
    std::fprintf(stderr, "%s\n", status.message().c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.usage().c_str(), stdout);
    return 0;
  }
  auto model = learners::LearnerRegistry::builtin().build(model_expression);
  if (!model) {
    std::fprintf(stderr, "streamlearn demo: %s\n", model.status().message().c_str());
    return 2;
  }
  if ((*model)->task() != learners::Task::kClassification) {
    std::fprintf(stderr, "streamlearn demo: the demo stream is a classification task; pick a "
                 "classifier (see 'streamlearn models')\n");
    return 2;
  }
  std::FILE* csv = nullptr;
  if (!write_path.empty()) {
    csv = std::fopen(write_path.c_str(), "w");
    if (!csv) {
      std::fprintf(stderr, "streamlearn demo: cannot write '%s'\n", write_path.c_str());
      return 2;
    }
    std::fputs("x0,x1,x2,label\n", csv);
  }

  core::FeatureSpace features;
  core::ClassSet classes;
  connectors::SeaStream::Params params;
  params.seed = seed;
  params.drift_position = events / 2;
  params.drift_width = std::max<std::uint64_t>(1, events / 100);
  params.noise = 0.05;
  connectors::SeaStream generator(params, features, classes);
  stream::PrequentialEvaluator evaluator(**model, {.rolling_window = rolling});
  std::printf("demo: %llu SEA events, concept drift at %llu, model %s\n",
              static_cast<unsigned long long>(events),
              static_cast<unsigned long long>(params.drift_position), (*model)->describe().c_str());

  stream::Event event;
  std::vector<std::pair<std::string, double>> metrics;
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < events; ++i) {
    generator.next(event);
    evaluator.process(event);
    if (csv) {
      const auto& x = event.features.numeric();
      std::fprintf(csv, "%.17g,%.17g,%.17g,%s\n", x[0].value, x[1].value, x[2].value,
                   classes.name(event.label.class_id).c_str());
    }
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
  if (csv) std::fclose(csv);

  evaluator.report(metrics);
  nlohmann::ordered_json result;
  result["model"] = (*model)->describe();
  result["events"] = evaluator.events();
  result["scored"] = evaluator.scored();
  for (const auto& [name, value] : metrics) result[name] = value;
  result["seconds"] = seconds;
  result["events_per_s"] = seconds > 0 ? evaluator.events() / seconds : 0.0;
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

}  // namespace streamlearn::cli
