#include "cli/evaluate_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/alert_printer.h"
#include "cli/flag_set.h"
#include "config/alert_sinks.h"
#include "config/monitoring_config.h"
#include "connectors/alerts/webhook_alert_sink.h"
#include "connectors/files/dead_letter_file.h"
#include "connectors/files/file_source.h"
#include "connectors/files/model_file.h"
#include "connectors/files/model_registry.h"
#include "connectors/files/pipeline_checkpoints.h"
#include "connectors/prometheus/metrics_server.h"
#include "connectors/prometheus/pipeline_metrics.h"
#include "cli/window_report.h"
#include "learners/learner_registry.h"
#include "monitors/drift/drift_detector_registry.h"
#include "stream/features/duration.h"
#include "stream/challenger.h"
#include "stream/pipeline_model.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct EvaluateFlags {
  std::string data;
  std::string target;
  std::string model;
  std::string key;
  std::vector<std::string> entities;
  std::string id;
  std::string time;
  std::string dead_letter;
  std::string drift_detector;
  std::string on_drift;
  std::string monitor_features;
  std::string config;
  std::string alerts;
  std::string webhook;
  std::string reference;
  std::string save_reference;
  std::string metrics_listen;
  std::string checkpoint_dir;
  std::string warm_start;
  std::string checkpoint_interval = "10s";
  std::uint64_t checkpoint_events = 0;
  std::uint64_t rolling = 0;
  std::uint64_t delay = 0;
  std::string challenger;
  std::string challenger_metric;
  std::string challenger_margin = "0";
  std::uint64_t challenger_window = 1000;
  std::uint64_t promote_at = 0;
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

/// The monitoring settings of the run: --config's `monitoring` section, then the flags.
core::Result<config::MonitoringConfig> monitoring_settings(const EvaluateFlags& flags,
                                                           bool classification) {
  config::MonitoringConfig settings;
  if (!flags.config.empty()) {
    auto loaded = config::load_monitoring_config(flags.config, classification);
    if (!loaded) return loaded.status();
    settings = std::move(*loaded);
  } else {
    settings.monitor.pipeline = "evaluate";
  }
  if (!flags.drift_detector.empty()) settings.monitor.drift_detector = flags.drift_detector;
  if (!flags.on_drift.empty()) {
    auto parsed = stream::parse_on_drift(flags.on_drift);
    if (!parsed) return core::Status::error("--on-drift: " + parsed.status().message());
    settings.on_drift = *parsed;
  }
  if (settings.on_drift != stream::OnDrift::kNone && settings.monitor.drift_detector.empty())
    return core::Status::error("--on-drift " +
                               std::string(stream::on_drift_name(settings.on_drift)) +
                               " needs a drift detector on the error stream: add "
                               "--drift-detector EXPRESSION (e.g. 'ddm')");
  if (!flags.monitor_features.empty()) {
    stream::ModelMonitor::FeatureDrift drift =
        settings.monitor.feature_drift.value_or(stream::ModelMonitor::FeatureDrift{});
    drift.features.clear();
    if (flags.monitor_features != "all") {
      std::size_t start = 0;
      while (start <= flags.monitor_features.size()) {
        const std::size_t comma =
            std::min(flags.monitor_features.find(',', start), flags.monitor_features.size());
        if (comma > start)
          drift.features.push_back(flags.monitor_features.substr(start, comma - start));
        start = comma + 1;
      }
    }
    settings.monitor.feature_drift = std::move(drift);
  }
  if (!flags.alerts.empty()) {
    if (flags.alerts == "-")
      settings.alerts.stdout_sink = true;
    else
      settings.alerts.file = flags.alerts;
  }
  if (!flags.webhook.empty()) {
    if (settings.alerts.file.empty())
      return core::Status::error(
          "--webhook needs --alerts PATH: the local alert log that keeps "
          "the alerts the webhook does not take");
    connectors::WebhookAlertSink::Params webhook;
    webhook.url = flags.webhook;
    webhook.fallback_path = settings.alerts.file;
    settings.alerts.webhook = webhook;
  }
  if (core::Status status = stream::ModelMonitor::validate(settings.monitor, classification);
      !status)
    return status;
  return settings;
}

/// The --challenger of the run (null without one), every error at once.
core::Result<std::unique_ptr<stream::Challenger>> challenger_of(const EvaluateFlags& flags,
                                                                learners::Task task,
                                                                core::FeatureSpace& features) {
  if (flags.challenger.empty()) {
    if (flags.promote_at > 0)
      return core::Status::error("--promote-at needs a challenger: add --challenger EXPRESSION");
    return std::unique_ptr<stream::Challenger>();
  }
  stream::Challenger::Params params{.metric = flags.challenger_metric,
                                    .window = flags.challenger_window};
  char* end = nullptr;
  params.margin = std::strtod(flags.challenger_margin.c_str(), &end);
  std::string margin_error;
  if (flags.challenger_margin.empty() || *end != '\0') {
    margin_error = "--challenger-margin: '" + flags.challenger_margin + "' is not a number";
    params.margin = 0.0;
  }
  auto challenger = stream::Challenger::create(flags.challenger, params, task, features,
                                               "--challenger", "--challenger-");
  if (!challenger)
    return core::Status::error(challenger.status().message() +
                               (margin_error.empty() ? "" : "\n" + margin_error));
  if (!margin_error.empty()) return core::Status::error(margin_error);
  return std::move(*challenger);
}

/// Reads a --warm-start model file, checks its expression and loads its names (before the source
/// interns any); the learner state is loaded once no checkpoint was restored.
core::Result<connectors::ModelFile> load_warm_start_names(const std::string& path,
                                                          const std::string& expression,
                                                          core::FeatureSpace& features,
                                                          core::ClassSet& classes) {
  auto file = connectors::ModelFile::read(path);
  if (!file) return core::Status::error("--warm-start: " + file.status().message());
  if (file->expression != expression)
    return core::Status::error("--warm-start " + path + " holds the model '" + file->expression +
                               "', --model builds '" + expression +
                               "': give --model the model file's expression");
  if (core::Status loaded = file->load_names(features, classes); !loaded)
    return core::Status::error("--warm-start " + path + ": " + loaded.message());
  return file;
}

}  // namespace

int evaluate_command(int argc, char** argv, int first) {
  EvaluateFlags flags;
  FlagSet flag_set(
      "evaluate",
      "Prequential (test-then-train) evaluation of a model on a CSV or JSON Lines file\n"
      "(.gz read transparently), as River's evaluate.progressive_val_score.\n"
      "Example: streamlearn evaluate --data elec2.csv --target label \\\n"
      "           --model 'standard_scaler | logistic_regression(l2=0.001)'");
  flag_set.add_string("data", &flags.data, "PATH", "CSV (header row) or JSON Lines file");
  flag_set.add_string("target", &flags.target, "COLUMN", "the label column");
  flag_set.add_string("model", &flags.model, "EXPRESSION",
                      "model expression, e.g. 'standard_scaler | logistic_regression(l2=0.001)'");
  flag_set.add_size("rolling", &flags.rolling, "also report metrics over the last N scored events");
  flag_set.add_size("delay", &flags.delay,
                    "reveal each label N events after its event: the event is predicted on "
                    "arrival, its label scored and learned just before event i+N is predicted (as "
                    "River's progressive_val_score(delay=N)); 0 (default): at once");
  flag_set.add_bool("json", &flags.json, "print only the final JSON object on stdout");
  flag_set.add_bool("strict", &flags.strict, "stop at the first malformed record");
  flag_set.add_bool("quiet", &flags.quiet, "no progress on stderr");
  flag_set.add_string("metrics-listen", &flags.metrics_listen, "HOST:PORT",
                      "serve Prometheus metrics (/metrics, /healthz, /readyz) there during the run "
                      "(port 0: any free port)");
  flag_set.add_string("dead-letter", &flags.dead_letter, "PATH",
                      "write rejected records (original bytes, reason) as JSON Lines");
  flag_set.add_string("drift-detector", &flags.drift_detector, "EXPRESSION",
                      "watch the model's error stream (0/1, or |error| for regression) with a "
                      "drift detector, e.g. 'adwin'");
  flag_set.add_string("on-drift", &flags.on_drift, "MODE",
                      "what a drift alert of --drift-detector does to the model: none (default), "
                      "reset (a fresh model) or background (train one from the warning, swap it "
                      "in at the drift)");
  flag_set.add_string("monitor-features", &flags.monitor_features, "all|NAME,...",
                      "watch these input features for data drift (reference: the first 5000 "
                      "events; tumbling windows of 5000; see --config for the rest)");
  flag_set.add_string("config", &flags.config, "FILE",
                      "a pipeline configuration; its `pipeline` and `monitoring` sections set the "
                      "monitors, their alert policies, on_drift and the alert sinks (README)");
  flag_set.add_string("alerts", &flags.alerts, "PATH",
                      "append alert records as JSON Lines to PATH ('-': stdout)");
  flag_set.add_string("webhook", &flags.webhook, "URL",
                      "POST every alert to URL (retried; what fails goes to the --alerts file)");
  flag_set.add_string("reference", &flags.reference, "PATH",
                      "start the data-drift monitors with the reference profile saved in PATH");
  flag_set.add_string("save-reference", &flags.save_reference, "PATH",
                      "at the end, save the data-drift monitors' reference windows to PATH");
  flag_set.add_string("checkpoint-dir", &flags.checkpoint_dir, "DIR",
                      "checkpoint the whole state with the file position there, and resume from "
                      "the newest valid checkpoint at start (a replay killed at any moment "
                      "goes on where it was: no event learned twice, none skipped)");
  flag_set.add_string("checkpoint-interval", &flags.checkpoint_interval, "DURATION",
                      "with --checkpoint-dir: wall-clock time between checkpoints (default 10s)");
  flag_set.add_size("checkpoint-events", &flags.checkpoint_events,
                    "with --checkpoint-dir: also checkpoint every N events");
  flag_set.add_string("warm-start", &flags.warm_start, "FILE",
                      "start from the model in FILE (streamlearn models export) instead of an "
                      "untrained one; --model must be its expression (a restored checkpoint wins)");
  flag_set.add_string("challenger", &flags.challenger, "EXPRESSION",
                      "run a challenger model in shadow mode (a learner expression, no window "
                      "steps): scored on every label, never published, promoted when it beats the "
                      "model by --challenger-margin over --challenger-window compared events");
  flag_set.add_string("challenger-metric", &flags.challenger_metric, "METRIC",
                      "the metric that compares them (default: accuracy, or mae for regression)");
  flag_set.add_string("challenger-margin", &flags.challenger_margin, "NUMBER",
                      "how much better (absolute) the challenger must be (default 0)");
  flag_set.add_size("challenger-window", &flags.challenger_window,
                    "compared events in each window (default 1000)");
  flag_set.add_size("promote-at", &flags.promote_at,
                    "promote the challenger by hand once N events are processed (0: never)");
  flag_set.add_string("key", &flags.key, "COLUMN", "event key column (not a feature)");
  flag_set.add_strings("entity", &flags.entities, "COLUMN",
                       "a column that identifies something (a user, a card): text that windows "
                       "group by (by=COLUMN), never a feature nor interned (repeatable)");
  flag_set.add_string("id", &flags.id, "COLUMN", "event id column (not a feature)");
  flag_set.add_string("time", &flags.time, "COLUMN", "event time column, ms since epoch");
  flag_set.require("data");
  flag_set.require("target");
  flag_set.require("model");
  if (const std::optional<int> exit_code = flag_set.parse_or_exit(argc, argv, first))
    return *exit_code;

  core::FeatureSpace features;
  auto model = stream::PipelineModel::build(flags.model, features);
  if (!model) {
    std::fprintf(stderr, "streamlearn evaluate: %s\n", model.status().message().c_str());
    return 2;
  }
  const bool classification = model->learner->task() == learners::Task::kClassification;
  auto settings = monitoring_settings(flags, classification);
  if (!settings) {
    std::fprintf(stderr, "streamlearn evaluate: %s\n", settings.status().message().c_str());
    return 2;
  }
  stream::EventSchema schema;
  schema.target = flags.target;
  schema.target_kind = classification
                           ? stream::TargetKind::kClass
                           : stream::TargetKind::kValue;
  schema.key_field = flags.key;
  schema.entities = flags.entities;
  schema.id_field = flags.id;
  schema.time_field = flags.time;

  core::ClassSet classes;
  // A warm start's names come before the source's: the model file's learner refers to their ids.
  std::optional<connectors::ModelFile> warm_start;
  if (!flags.warm_start.empty()) {
    auto loaded = load_warm_start_names(flags.warm_start, model->describe(), features, classes);
    if (!loaded) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", loaded.status().message().c_str());
      return 2;
    }
    warm_start = std::move(*loaded);
  }
  auto source =
      connectors::FileSource::open(flags.data, schema, features, classes, {.strict = flags.strict});
  if (!source) {
    std::fprintf(stderr, "streamlearn evaluate: %s\n", source.status().message().c_str());
    return 2;
  }

  stream::PrequentialEvaluator evaluator(
      *model->learner, {.rolling_window = flags.rolling, .on_drift = settings->on_drift});
  evaluator.build_models_with([&features](std::string_view expression) {
    return learners::LearnerRegistry::builtin().build(expression, &features);
  });
  if (auto challenger = challenger_of(flags, model->learner->task(), features); !challenger) {
    std::fprintf(stderr, "streamlearn evaluate: %s\n", challenger.status().message().c_str());
    return 2;
  } else if (*challenger) {
    evaluator.challenge_with(std::move(*challenger));
  }
  AlertPrinter alert_printer(stderr);
  connectors::PipelineMetrics exported(settings->monitor.pipeline);
  std::vector<std::unique_ptr<monitors::AlertSink>> sinks;
  // A challenger's promotions are alerts: they need the monitor's sinks.
  if (settings->monitor.watches_anything() || evaluator.challenger()) {
    auto monitor =
        stream::ModelMonitor::create(settings->monitor, classification, flags.target, features);
    if (!monitor) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", monitor.status().message().c_str());
      return 2;
    }
    if (!flags.json && !flags.quiet) (*monitor)->add_sink(&alert_printer);
    auto opened = config::open_alert_sinks(settings->alerts);
    if (!opened) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", opened.status().message().c_str());
      return 2;
    }
    sinks = std::move(*opened);
    for (auto& sink : sinks) (*monitor)->add_sink(sink.get());
    (*monitor)->add_sink(&exported.alert_sink());
    exported.declare_monitors(**monitor);
    (*monitor)->use_class_names(&classes);
    if (!flags.reference.empty()) {
      std::ifstream file(flags.reference, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(file)), {});
      core::Status loaded =
          file ? (*monitor)->load_reference_profile(bytes) : core::Status::error("cannot read it");
      if (!loaded) {
        std::fprintf(stderr, "streamlearn evaluate: --reference %s: %s\n", flags.reference.c_str(),
                     loaded.message().c_str());
        return 2;
      }
    }
    evaluator.monitor_with(std::move(*monitor));
  }
  std::unique_ptr<connectors::MetricsServer> metrics_server;
  if (!flags.metrics_listen.empty()) {
    auto server = connectors::MetricsServer::start(
        {.listen = flags.metrics_listen, .listen_setting = "--metrics-listen"}, exported);
    if (!server) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", server.status().message().c_str());
      return 2;
    }
    metrics_server = std::move(*server);
    exported.set_ready(true);
    std::fprintf(stderr, "evaluate: metrics at http://%s/metrics\n",
                 metrics_server->address().c_str());
  }
  stream::features::FeatureStage* windows =
      model->features->empty() ? nullptr : model->features.get();
  const auto publish_metrics = [&] {
    const stream::RejectCounts& rejects = (*source)->rejects();
    exported.publish({.records = evaluator.events() + rejects.total(),
                      .events = evaluator.events(),
                      .rejects = &rejects,
                      .predictions = evaluator.events()},
                     evaluator);
    if (windows) exported.publish_windows(*windows);
  };
  // Labels revealed late: the pending events wait here (a ring that grows up to --delay slots).
  evaluator.give_labels_to(windows);
  stream::RejectCounts late_rejects;  // late events under a window's late=dead_letter
  std::optional<stream::LabelDelayQueue> pending;
  if (flags.delay > 0) pending.emplace(flags.delay);
  std::unique_ptr<connectors::DeadLetterFile> dead_letter;
  std::unique_ptr<connectors::PipelineCheckpoints> checkpoints;
  std::unique_ptr<connectors::ModelRegistry> registry;
  bool resumed = false;
  if (!flags.checkpoint_dir.empty()) {
    auto interval = stream::features::parse_duration_ms(flags.checkpoint_interval, true);
    if (!interval) {
      std::fprintf(stderr, "streamlearn evaluate: --checkpoint-interval: %s\n",
                   interval.status().message().c_str());
      return 2;
    }
    auto opened = connectors::PipelineCheckpoints::open(
        {.directory = flags.checkpoint_dir,
         .interval_ms = *interval,
         .every_events = flags.checkpoint_events},
        {.model = model->describe(),
         .space = &features,
         .classes = &classes,
         .windows = model->features.get(),
         .evaluator = &evaluator,
         .delayed = pending ? &*pending : nullptr},
        [&](core::StateWriter& out) {
          (*source)->save_position(out);
          late_rejects.save(out);
        },
        [&](core::StateReader& in) {
          if (core::Status resumed_at = (*source)->resume(in); !resumed_at) return resumed_at;
          return late_rejects.load(in) ? core::Status::ok() : in.status("late events");
        });
    if (!opened) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", opened.status().message().c_str());
      return 2;
    }
    checkpoints = std::move(*opened);
    auto restored = checkpoints->restore();
    if (!restored) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", restored.status().message().c_str());
      return 2;
    }
    for (const std::string& problem : restored->problems)
      std::fprintf(stderr, "evaluate: checkpoint %s\n", problem.c_str());
    resumed = restored->resumed;
    if (resumed && !flags.quiet)
      std::fprintf(stderr, "evaluate: resumed from %s after %llu events\n",
                   restored->path.c_str(), static_cast<unsigned long long>(restored->events));
    if (warm_start && resumed)
      std::fprintf(stderr, "evaluate: --warm-start %s not applied: the restored checkpoint wins\n",
                   flags.warm_start.c_str());
    auto opened_registry = connectors::ModelRegistry::open(flags.checkpoint_dir);
    if (!opened_registry) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n",
                   opened_registry.status().message().c_str());
      return 2;
    }
    registry = std::move(*opened_registry);
  }
  if (warm_start && !resumed) {
    if (core::Status loaded = warm_start->load_learner(*model->learner); !loaded) {
      std::fprintf(stderr, "streamlearn evaluate: --warm-start %s: %s\n",
                   flags.warm_start.c_str(), loaded.message().c_str());
      return 2;
    }
  }
  if (registry) {
    core::Status started = registry->start(
        {.windows = model->features->describe(),
         .space = &features,
         .classes = &classes,
         .evaluator = &evaluator,
         .report = [](const std::string& message) {
           std::fprintf(stderr, "evaluate: %s\n", message.c_str());
         }},
        resumed, warm_start ? flags.warm_start : std::string());
    if (!started) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", started.message().c_str());
      return 2;
    }
    checkpoints->record_versions_in(registry.get());
    // What the events before a checkpoint sent out is durable before the checkpoint is.
    checkpoints->on_before_write([&]() -> core::Status {
      if (dead_letter)
        if (core::Status flushed = dead_letter->flush(); !flushed) return flushed;
      for (auto& sink : sinks)
        if (core::Status flushed = sink->flush(); !flushed) return flushed;
      return core::Status::ok();
    });
  }
  if (!flags.dead_letter.empty()) {
    auto opened = connectors::DeadLetterFile::open(flags.dead_letter, resumed);
    if (!opened) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", opened.status().message().c_str());
      return 2;
    }
    dead_letter = std::move(*opened);
  }
  stream::Event event;
  std::vector<std::string> first_rejections;
  constexpr std::size_t kRejectionsShown = 10;
  const Clock::time_point start = Clock::now();
  Clock::time_point next_progress = start + std::chrono::seconds(1);
  Clock::time_point next_metrics = start + std::chrono::seconds(1);
  const bool progress = !flags.quiet;
  bool failed = false;
  while (true) {
    const auto next = (*source)->next(event);
    if (next == connectors::FileSource::Next::kEnd) break;
    if (next == connectors::FileSource::Next::kEvent) {
      if (windows) {
        if (const std::optional<stream::Rejection> rejection = windows->apply(event)) {
          late_rejects.add(rejection->reason);
          if (first_rejections.size() < kRejectionsShown)
            first_rejections.push_back(flags.data + ":" +
                                       std::to_string((*source)->event_line_number()) + ": " +
                                       rejection->message);
          if (dead_letter)
            dead_letter->write(flags.data, (*source)->event_line_number(),
                               stream::reject_reason_name(rejection->reason), rejection->message,
                               (*source)->event_line());
          continue;
        }
      }
      if (pending)
        evaluator.process_delayed(event, *pending);
      else
        evaluator.process(event);
      if (flags.promote_at > 0 && evaluator.events() == flags.promote_at) {
        if (core::Status promoted = evaluator.promote_challenger(); !promoted)
          std::fprintf(stderr, "evaluate: --promote-at: %s\n", promoted.message().c_str());
      }
      if (checkpoints) {
        if (core::Status written = checkpoints->maybe_write(evaluator.events()); !written) {
          std::fprintf(stderr, "streamlearn evaluate: %s\n", written.message().c_str());
          failed = true;
          break;
        }
      }
      if ((evaluator.events() & 0x3fff) == 0 && (progress || metrics_server)) {
        const Clock::time_point now = Clock::now();
        if (progress && now >= next_progress) {
          print_progress(evaluator, std::chrono::duration<double>(now - start).count());
          next_progress = now + std::chrono::seconds(1);
        }
        if (metrics_server && now >= next_metrics) {
          publish_metrics();
          next_metrics = now + std::chrono::seconds(1);
        }
      }
      continue;
    }
    if (next == connectors::FileSource::Next::kError) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", (*source)->error().message().c_str());
      if (flags.strict)
        std::fprintf(stderr,
                     "(--strict stops at the first malformed record; without it, "
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
  if (pending && !failed) evaluator.reveal_pending(*pending);
  if (checkpoints && !failed) {
    // The end too: a replay run again with this directory resumes at the end, with the result.
    if (core::Status written = checkpoints->write(); !written) {
      std::fprintf(stderr, "streamlearn evaluate: %s\n", written.message().c_str());
      failed = true;
    }
  }
  if (metrics_server) {
    exported.set_ready(false);
    publish_metrics();
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& sink : sinks) {
    if (core::Status status = sink->flush(); !status)
      std::fprintf(stderr, "streamlearn evaluate: alerts: %s\n", status.message().c_str());
  }
  if (dead_letter) {
    if (core::Status status = dead_letter->close(); !status)
      std::fprintf(stderr, "streamlearn evaluate: %s\n", status.message().c_str());
  }
  if (failed) return 1;
  if (!flags.save_reference.empty()) {
    auto profile = evaluator.monitor() ? evaluator.monitor()->save_reference_profile()
                                       : core::Result<std::string>(core::Status::error(
                                             "no monitors: add --monitor-features or --config"));
    std::ofstream file;
    if (profile) file.open(flags.save_reference, std::ios::binary | std::ios::trunc);
    if (!profile || !(file << *profile) || !file.flush()) {
      std::fprintf(stderr, "streamlearn evaluate: --save-reference %s: %s\n",
                   flags.save_reference.c_str(),
                   profile ? "cannot write the file" : profile.status().message().c_str());
      return 1;
    }
  }

  stream::RejectCounts rejects = (*source)->rejects();
  rejects.merge(late_rejects);
  if (rejects.total() > 0) {
    std::string summary =
        "evaluate: skipped " + std::to_string(rejects.total()) + " malformed records:";
    rejects.for_each_nonzero([&](std::string_view reason, std::uint64_t count) {
      summary += " " + std::string(reason) + "=" + std::to_string(count);
    });
    std::fprintf(stderr, "%s\n", summary.c_str());
    for (const std::string& message : first_rejections)
      std::fprintf(stderr, "  %s\n", message.c_str());
    if (rejects.total() > first_rejections.size())
      std::fprintf(stderr, "  ... and %llu more%s\n",
                   static_cast<unsigned long long>(rejects.total() - first_rejections.size()),
                   dead_letter ? " (all in the dead-letter file)"
                               : " (use --dead-letter PATH to keep them)");
  }

  nlohmann::ordered_json result;
  result["model"] = model->describe();
  result["data"] = flags.data;
  result["delay"] = flags.delay;
  result["events"] = evaluator.events();
  result["scored"] = evaluator.scored();
  result["learned"] = evaluator.learned();
  result["rejected"] = rejects.total();
  nlohmann::ordered_json by_reason = nlohmann::ordered_json::object();
  rejects.for_each_nonzero([&](std::string_view reason, std::uint64_t count) {
    by_reason[std::string(reason)] = count;
  });
  result["rejected_by_reason"] = by_reason;
  result["empty_lines"] = (*source)->empty_lines();
  if (windows) result["windows"] = window_report(*windows);
  if (checkpoints) {
    const connectors::PipelineCheckpoints::Counters& written = checkpoints->counters();
    result["checkpoints"] = {{"directory", checkpoints->directory()},
                             {"resumed", resumed},
                             {"written", written.written},
                             {"last_bytes", written.last_bytes},
                             {"last_write_seconds", written.last_write_seconds}};
  }
  std::vector<std::pair<std::string, double>> metrics;
  evaluator.report(metrics);
  for (const auto& [name, value] : metrics) result[name] = value;
  const stream::ModelMonitor* monitor = evaluator.monitor();
  const monitors::ConceptDriftMonitor* concept_monitor =
      monitor ? monitor->concept_monitor() : nullptr;
  if (concept_monitor) {
    result["drift_detector"] = concept_monitor->detector().describe();
    result["on_drift"] = stream::on_drift_name(settings->on_drift);
    result["drifts"] = monitor->drift_positions();
    result["drift_warnings"] = concept_monitor->warnings();
  }
  if (monitor) {
    result["model_version"] = evaluator.model_version();
    result["alerts_fired"] = monitor->alerts_fired();
    nlohmann::ordered_json alerts = nlohmann::ordered_json::array();
    for (const monitors::Alert& alert : monitor->kept_alerts())
      alerts.push_back(nlohmann::ordered_json::parse(monitors::to_json(alert)));
    result["alerts"] = std::move(alerts);
  }
  if (const stream::Challenger* challenger = evaluator.challenger())
    result["challenger"] = nlohmann::ordered_json::parse(challenger->to_json(evaluator.model()));
  result["seconds"] = seconds;
  result["events_per_s"] = seconds > 0 ? evaluator.events() / seconds : 0.0;

  if (!flags.json) {
    std::printf("model      %s\nevents     %llu (scored %llu, rejected %llu)\n",
                model->describe().c_str(), static_cast<unsigned long long>(evaluator.events()),
                static_cast<unsigned long long>(evaluator.scored()),
                static_cast<unsigned long long>(rejects.total()));
    if (flags.delay > 0)
      std::printf("delay      labels revealed %llu events late\n",
                  static_cast<unsigned long long>(flags.delay));
    for (const auto& [name, value] : metrics) std::printf("%-10s %.6f\n", name.c_str(), value);
    if (concept_monitor) {
      std::string positions;
      for (std::uint64_t position : monitor->drift_positions())
        positions += (positions.empty() ? "" : ", ") + std::to_string(position);
      std::printf("drift      %s on the error stream: %zu drifts%s%s\n",
                  concept_monitor->detector().describe().c_str(), monitor->drift_positions().size(),
                  positions.empty() ? "" : " at events ", positions.c_str());
    }
    if (monitor)
      std::printf("alerts     %llu (model version %llu)\n",
                  static_cast<unsigned long long>(monitor->alerts_fired()),
                  static_cast<unsigned long long>(evaluator.model_version()));
    if (const stream::Challenger* challenger = evaluator.challenger())
      std::printf("challenger %s: %s %.6f against %.6f over the last %llu compared events, %llu "
                  "promotions (serving %s)\n",
                  challenger->model().describe().c_str(), challenger->params().metric.c_str(),
                  challenger->challenger_value(), challenger->champion_value(),
                  static_cast<unsigned long long>(
                      std::min<std::uint64_t>(challenger->compared(), challenger->params().window)),
                  static_cast<unsigned long long>(challenger->promotions()),
                  evaluator.model().describe().c_str());
    std::printf("throughput %.0f events/s (%.3f s)\n",
                seconds > 0 ? evaluator.events() / seconds : 0.0, seconds);
  }
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

}  // namespace streamlearn::cli
