#include "cli/generate_command.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flag_set.h"
#include "connectors/synthetic/synthetic_stream_registry.h"
#include "connectors/synthetic/synthetic_stream_writer.h"

namespace streamlearn::cli {
namespace {

using connectors::SyntheticStreamWriter;

constexpr std::uint64_t kUnset = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kMaxPosition = std::numeric_limits<std::int64_t>::max();

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string summary() {
  std::string text =
      "streamlearn generate EXPRESSION --n N [--seed S] [--drift-to EXPRESSION\n"
      "    [--drift-at N] [--drift-width W]] [--format csv|jsonl] [--output PATH]\n"
      "\n"
      "Writes N events of a seeded synthetic stream (River's datasets.synth generators, names,\n"
      "parameters and defaults) as CSV with a header row or as JSON Lines, the class in the\n"
      "column 'label': ready for 'streamlearn evaluate --data PATH --target label'. With\n"
      "--drift-to, the stream drifts into a second one as River's ConceptDriftStream: the t-th\n"
      "event (from 1) comes from the second stream with probability\n"
      "1 / (1 + exp(-4 (t - drift_at) / drift_width)); --drift-width 1 is a sudden drift.\n"
      "The same seed gives the same file on every platform (not River's exact numbers: the\n"
      "same distributions and concepts).\n"
      "Example: streamlearn generate 'sea(variant=0)' --n 100000 --seed 42 \\\n"
      "    --drift-to 'sea(variant=2)' --drift-at 50000 --drift-width 1000 --output sea.csv\n"
      "\n"
      "generators:\n";
  // A summary reads "what (River name): parameters"; the parameters go on a line of their own.
  for (const auto& entry : connectors::SyntheticStreamRegistry::builtin().entries()) {
    std::string name = "  " + entry.name;
    if (name.size() < 20) name.resize(20, ' ');
    const std::size_t colon = entry.summary.find("): ");
    if (colon == std::string::npos) {
      text += name + " " + entry.summary + "\n";
    } else {
      text += name + " " + entry.summary.substr(0, colon + 1) + "\n" + std::string(21, ' ') +
              entry.summary.substr(colon + 3) + "\n";
    }
  }
  text.pop_back();
  return text;
}

// FlagSet's message format: the command, one error per line, where to find the usage.
std::string error_message(const std::vector<std::string>& errors) {
  std::string message = "streamlearn generate:";
  for (const std::string& error : errors) {
    // An error may itself be a list (a registry message); indent it under its first line.
    message += "\n  ";
    for (const char c : error) {
      message += c;
      if (c == '\n') message += "  ";
    }
  }
  return message + "\nRun 'streamlearn generate --help' for usage.";
}

}  // namespace

int generate_command(int argc, char** argv, int first) {
  // The expression comes first, before the flags.
  std::string expression;
  int flags_first = first;
  if (first < argc && argv[first][0] != '-') {
    expression = argv[first];
    flags_first = first + 1;
  }
  std::uint64_t events = 0;
  std::uint64_t seed = 42;
  std::string drift_to;
  std::uint64_t drift_at = kUnset;
  std::uint64_t drift_width = kUnset;
  std::string format_name;
  std::string output;
  FlagSet flags("generate", summary());
  flags.add_size("n", &events, "number of events to write (required)");
  flags.add_size("seed", &seed, "random seed (default 42)");
  flags.add_string("drift-to", &drift_to, "EXPRESSION", "the stream to drift into");
  flags.add_size("drift-at", &drift_at, "centre of the drift, an event number (default N/2)");
  flags.add_size("drift-width", &drift_width,
                 "events the drift takes (default 1000, River's; 1 = sudden)");
  flags.add_string("format", &format_name, "csv|jsonl",
                   "output format (default: jsonl for a .jsonl/.ndjson/.json --output, else csv)");
  flags.add_string("output", &output, "PATH", "file to write (default stdout)");
  flags.require("n");
  const core::Status parsed = flags.parse(argc, argv, flags_first);
  if (flags.help_requested()) {
    std::fputs(flags.usage().c_str(), stdout);
    return 0;
  }

  std::vector<std::string> errors;
  if (!parsed) {
    // Keep FlagSet's list of errors (the lines between its first and last) and add ours.
    std::string_view message = parsed.message();
    message.remove_prefix(std::min(message.size(), message.find('\n') + 1));
    message = message.substr(0, message.rfind('\n'));
    while (!message.empty()) {
      const std::size_t end = std::min(message.find('\n'), message.size());
      std::string_view line = message.substr(0, end);
      while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      errors.emplace_back(line);
      message.remove_prefix(std::min(message.size(), end + 1));
    }
  }
  if (expression.empty())
    errors.push_back("name a generator first, e.g. streamlearn generate 'sea(variant=0)' --n 1000");

  std::optional<SyntheticStreamWriter::Format> format;
  if (!format_name.empty()) {
    format = SyntheticStreamWriter::parse_format(format_name);
    if (!format) errors.push_back("--format must be csv or jsonl, got '" + format_name + "'");
  } else if (ends_with(output, ".jsonl") || ends_with(output, ".ndjson") ||
             ends_with(output, ".json")) {
    format = SyntheticStreamWriter::Format::kJsonLines;
  } else {
    format = SyntheticStreamWriter::Format::kCsv;
  }
  if (ends_with(output, ".gz"))
    errors.push_back("--output: compressed output is not supported; pipe stdout through gzip");
  if (drift_to.empty()) {
    if (drift_at != kUnset) errors.push_back("--drift-at needs --drift-to");
    if (drift_width != kUnset) errors.push_back("--drift-width needs --drift-to");
  } else {
    if (drift_at == kUnset) drift_at = events / 2;
    if (drift_width == kUnset) drift_width = 1000;
    if (drift_at > kMaxPosition) errors.push_back("--drift-at is too large");
    if (drift_width == 0 || drift_width > kMaxPosition)
      errors.push_back("--drift-width must be 1 (a sudden drift) or more");
  }

  core::FeatureSpace features;
  core::ClassSet classes;
  const auto& registry = connectors::SyntheticStreamRegistry::builtin();
  core::Result<std::unique_ptr<connectors::SyntheticStream>> stream =
      core::Status::error("not built");
  if (!expression.empty()) {
    if (drift_to.empty()) {
      stream = registry.build(expression, seed, features, classes);
    } else {
      connectors::ConceptDriftStream::Params params;
      params.position = static_cast<std::int64_t>(std::min(drift_at, kMaxPosition));
      params.width =
          static_cast<std::int64_t>(std::clamp<std::uint64_t>(drift_width, 1, kMaxPosition));
      stream = registry.build_drift(expression, drift_to, params, seed, features, classes);
    }
    if (!stream) errors.push_back(stream.status().message());
  }
  if (!errors.empty()) {
    std::fprintf(stderr, "%s\n", error_message(errors).c_str());
    return 2;
  }

  std::FILE* out = stdout;
  if (!output.empty() && output != "-") {
    out = std::fopen(output.c_str(), "wb");
    if (!out) {
      std::fprintf(stderr, "streamlearn generate: cannot write '%s': %s\n", output.c_str(),
                   std::strerror(errno));
      return 2;
    }
  }
  core::Status written;
  {
    SyntheticStreamWriter writer(out, *format, **stream);
    writer.write_header();
    stream::Event event;
    for (std::uint64_t i = 0; i < events; ++i) {
      (*stream)->next(event);
      writer.write(event);
    }
    written = writer.finish();
  }
  if (out != stdout && std::fclose(out) != 0 && written.is_ok())
    written = core::Status::error(std::string("closing the file failed: ") + std::strerror(errno));
  if (!written) {
    std::fprintf(stderr, "streamlearn generate: %s%s\n",
                 output.empty() ? "" : ("'" + output + "': ").c_str(), written.message().c_str());
    return 1;
  }
  if (out != stdout)
    std::fprintf(stderr, "generate: %llu events of %s (seed %llu) written to %s\n",
                 static_cast<unsigned long long>(events), (*stream)->describe().c_str(),
                 static_cast<unsigned long long>(seed), output.c_str());
  return 0;
}

}  // namespace streamlearn::cli
