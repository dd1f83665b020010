#include "cli/command_line.h"

#include <cstdio>
#include <string_view>

#include "cli/broker_command.h"
#include "cli/demo_command.h"
#include "cli/detect_command.h"
#include "cli/evaluate_command.h"
#include "cli/generate_command.h"
#include "cli/learners_command.h"
#include "cli/models_command.h"
#include "cli/run_command.h"
#include "cli/transform_command.h"
#include "cli/validate_command.h"

namespace streamlearn::cli {
namespace {

constexpr const char* kUsage =
    "usage: streamlearn <command> [flags]\n"
    "\n"
    "Streaming online learning and drift monitoring.\n"
    "\n"
    "commands:\n"
    "  run        the Kafka pipeline of a configuration: predict, learn, monitor, publish\n"
    "  evaluate   prequential evaluation of a model on a CSV or JSON Lines file\n"
    "  transform  print the feature vector the model's learner sees, one JSON line per event\n"
    "  detect     run a concept-drift detector over a sequence of numbers\n"
    "  generate   write a synthetic stream (SEA, Agrawal, ...), with drift, as CSV or JSON Lines\n"
    "  demo       generate a drifting stream and evaluate a model on it\n"
    "  broker     an embedded Kafka-protocol cluster on loopback, for local use and tests\n"
    "  models     the model versions in a checkpoint directory: list, show, export, rollback\n"
    "  learners   list the learners and transformers a model expression can name\n"
    "  validate   check a pipeline configuration (with --set overrides) as 'run' reads it\n"
    "\n"
    "Run 'streamlearn <command> --help' for the flags of a command.\n";

}  // namespace

int run_command_line(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "run") return run_command(argc, argv, 2);
  if (command == "evaluate") return evaluate_command(argc, argv, 2);
  if (command == "transform") return transform_command(argc, argv, 2);
  if (command == "detect") return detect_command(argc, argv, 2);
  if (command == "generate") return generate_command(argc, argv, 2);
  if (command == "demo") return demo_command(argc, argv, 2);
  if (command == "broker") return broker_command(argc, argv, 2);
  if (command == "models") return models_command(argc, argv, 2);
  if (command == "learners") return learners_command();
  if (command == "validate") return validate_command(argc, argv, 2);
  std::fprintf(stderr, "streamlearn: unknown command '%.*s'\n\n%s",
               static_cast<int>(command.size()), command.data(), kUsage);
  return 2;
}

}  // namespace streamlearn::cli
