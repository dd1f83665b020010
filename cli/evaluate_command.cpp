#include "cli/evaluate_command.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/flag_set.h"
#include "connectors/files/dead_letter_file.h"
#include "connectors/files/file_source.h"
#include "learners/learner_registry.h"
#include "monitors/drift/drift_detector_registry.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct EvaluateFlags {
  std::string data;
  std::string target;
  std::string model;
  std::string key;
  std::string id;
  std::string time;
  std::string dead_letter;
  std::string drift_detector;
  std::uint64_t rolling = 0;
  bool json = false;
  bool strict = false;
  bool quiet = false;
};

void print_progress(const stream::PrequentialEvaluator& evaluator, double seconds) {
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  std::string line = "evaluate: " + std::to_string(evaluator.events()) + " events, " +
                     std::to_string(static_cast<std::uint64_t>(evaluator.events() / seconds)) +
                     " events/s";
  for (std::size_t i = 0; i < metrics.size() && i < 3; ++i) {
    char value[32];
    std::snprintf(value, sizeof(value), "%.4f", metrics[i].second);
    line += ", " + metrics[i].first + " " + value;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

int evaluate_command(int argc, char** argv, int first) {
  EvaluateFlags flags;
  FlagSet flag_set("evaluate",
                   "Prequential (test-then-train) evaluation of a model on a CSV or JSON Lines file\n"
                   "(.gz read transparently), as River's evaluate.progressive_val_score.\n"
                   "Example: streamlearn evaluate --data elec2.csv --target label \\\n"
                   "           --model 'standard_scaler | logistic_regression(l2=0.001)'");
  flag_set.add_string("data", &flags.data, "PATH", "CSV (header row) or JSON Lines file");
  flag_set.add_string("target", &flags.target, "COLUMN", "the label column");
  flag_set.add_string("model", &flags.model, "EXPRESSION",
                      "model expression, e.g. 'standard_scaler | logistic_regression(l2=0.001)'");
  flag_set.add_size("rolling", &flags.rolling, "also report metrics over the last N scored events");
  flag_set.add_bool("json", &flags.json, "print only the final JSON object on stdout");
  flag_set.add_bool("strict", &flags.strict, "stop at the first malformed record");
  flag_set.add_bool("quiet", &flags.quiet, "no progress on stderr");
  flag_set.add_string("dead-letter", &flags.dead_letter, "PATH",
                      "write rejected records (original bytes, reason) as JSON Lines");
  flag_set.add_string("drift-detector", &flags.drift_detector, "EXPRESSION",
                      "watch the model's error stream (0/1, or |error| for regression) with a "
                      "drift detector, e.g. 'adwin'");
  flag_set.add_string("key", &flags.key, "COLUMN", "event key column (not a feature)");
  flag_set.add_string("id", &flags.id, "COLUMN", "event id column (not a feature)");
  flag_set.add_string("time", &flags.time, "COLUMN", "event time column, ms since epoch");
  flag_set.require("data");
  flag_set.require("target");
  flag_set.require("model");
  if (core::Status status = flag_set.parse(argc, argv, first); !status) {
    std::fprintf(stderr, "%s\n", status.message().c_str());
    return 2;
  }
  if (flag_set.help_requested()) {
    std::fputs(flag_set.usage().c_str(), stdout);
    return 0;
  }

  auto model = learners::LearnerRegistry::builtin().build(flags.model);
  if (!model) {
    std::fprintf(stderr, "streamlearn evaluate: %s\n", model.status().message().c_str());
    return 2;
  }
  std::unique_ptr<monitors::DriftDetector> detector;
  if (!flags.drift_detector.empty()) {
    auto built = monitors::DriftDetectorRegistry::builtin().build(flags.drift_detector);
    if (!built) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", built.status().message().c_str());
      return 2;
    }
    detector = std::move(*built);
  }
  stream::EventSchema schema;
  schema.target = flags.target;
  schema.target_kind = (*model)->task() == learners::Task::kClassification
                           ? stream::TargetKind::kClass
                           : stream::TargetKind::kValue;
  schema.key_field = flags.key;
  schema.id_field = flags.id;
  schema.time_field = flags.time;

  core::FeatureSpace features;
  core::ClassSet classes;
  auto source = connectors::FileSource::open(flags.data, schema, features, classes,
                                             {.strict = flags.strict});
  if (!source) {
    std::fprintf(stderr, "streamlearn evaluate: %s\n", source.status().message().c_str());
    return 2;
  }
  std::unique_ptr<connectors::DeadLetterFile> dead_letter;
  if (!flags.dead_letter.empty()) {
    auto opened = connectors::DeadLetterFile::open(flags.dead_letter);
    if (!opened) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", opened.status().message().c_str());
      return 2;
    }
    dead_letter = std::move(*opened);
  }

  stream::PrequentialEvaluator evaluator(**model, {.rolling_window = flags.rolling});
  if (detector) evaluator.monitor_errors_with(std::move(detector));
  stream::Event event;
  std::vector<std::string> first_rejections;
  constexpr std::size_t kRejectionsShown = 10;
  const Clock::time_point start = Clock::now();
  Clock::time_point next_progress = start + std::chrono::seconds(1);
  bool failed = false;
  while (true) {
    const auto next = (*source)->next(event);
    if (next == connectors::FileSource::Next::kEnd) break;
    if (next == connectors::FileSource::Next::kEvent) {
      evaluator.process(event);
      if ((evaluator.events() & 0x3fff) == 0 && !flags.quiet) {
        const Clock::time_point now = Clock::now();
        if (now >= next_progress) {
          print_progress(evaluator, std::chrono::duration<double>(now - start).count());
          next_progress = now + std::chrono::seconds(1);
        }
      }
      continue;
    }
    if (next == connectors::FileSource::Next::kError) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", (*source)->error().message().c_str());
      if (flags.strict)
        std::fprintf(stderr, "(--strict stops at the first malformed record; without it, "
                     "malformed records are counted and skipped)\n");
      failed = true;
      break;
    }
    const auto& rejection = (*source)->last_rejection();
    if (first_rejections.size() < kRejectionsShown) first_rejections.push_back(rejection.message);
    if (dead_letter)
      dead_letter->write(flags.data, rejection.line_number,
                         stream::reject_reason_name(rejection.reason), rejection.message,
                         rejection.bytes);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (dead_letter) {
    if (core::Status status = dead_letter->close(); !status)
      std::fprintf(stderr, "streamlearn evaluate: %s\n", status.message().c_str());
  }
  if (failed) return 1;

  const stream::RejectCounts& rejects = (*source)->rejects();
  if (rejects.total() > 0) {
    std::string summary = "evaluate: skipped " + std::to_string(rejects.total()) +
                          " malformed records:";
    for (std::size_t i = 0; i < stream::kRejectReasonNames.size(); ++i) {
      const auto reason = static_cast<stream::RejectReason>(i);
      if (rejects.count(reason) > 0)
        summary += " " + std::string(stream::reject_reason_name(reason)) + "=" +
                   std::to_string(rejects.count(reason));
    }
    std::fprintf(stderr, "%s\n", summary.c_str());
    for (const std::string& message : first_rejections) std::fprintf(stderr, "  %s\n", message.c_str());
    if (rejects.total() > first_rejections.size())
      std::fprintf(stderr, "  ... and %llu more%s\n",
                   static_cast<unsigned long long>(rejects.total() - first_rejections.size()),
                   dead_letter ? " (all in the dead-letter file)" : " (use --dead-letter PATH to keep them)");
  }

  nlohmann::ordered_json result;
  result["model"] = (*model)->describe();
  result["data"] = flags.data;
  result["events"] = evaluator.events();
  result["scored"] = evaluator.scored();
  result["learned"] = evaluator.learned();
  result["rejected"] = rejects.total();
  nlohmann::ordered_json by_reason = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < stream::kRejectReasonNames.size(); ++i) {
    const auto reason = static_cast<stream::RejectReason>(i);
    if (rejects.count(reason) > 0) by_reason[std::string(stream::reject_reason_name(reason))] = rejects.count(reason);
  }
  result["rejected_by_reason"] = by_reason;
  result["empty_lines"] = (*source)->empty_lines();
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  for (const auto& [name, value] : metrics) result[name] = value;
  if (const monitors::DriftDetector* watching = evaluator.drift_detector()) {
    result["drift_detector"] = watching->describe();
    result["drifts"] = evaluator.drift_positions();
    result["drift_warnings"] = evaluator.warnings();
  }
  result["seconds"] = seconds;
  result["events_per_s"] = seconds > 0 ? evaluator.events() / seconds : 0.0;

  if (!flags.json) {
    std::printf("model      %s\nevents     %llu (scored %llu, rejected %llu)\n",
                (*model)->describe().c_str(), static_cast<unsigned long long>(evaluator.events()),
                static_cast<unsigned long long>(evaluator.scored()),
                static_cast<unsigned long long>(rejects.total()));
    for (const auto& [name, value] : metrics) std::printf("%-10s %.6f\n", name.c_str(), value);
    if (const monitors::DriftDetector* watching = evaluator.drift_detector()) {
      std::string positions;
      for (std::uint64_t position : evaluator.drift_positions())
        positions += (positions.empty() ? "" : ", ") + std::to_string(position);
      std::printf("drift      %s on the error stream: %zu drifts%s%s\n",
                  watching->describe().c_str(), evaluator.drift_positions().size(),
                  positions.empty() ? "" : " at events ", positions.c_str());
    }
    std::printf("throughput %.0f events/s (%.3f s)\n",
                seconds > 0 ? evaluator.events() / seconds : 0.0, seconds);
  }
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

}  // namespace streamlearn::cli
