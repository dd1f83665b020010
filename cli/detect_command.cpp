#include "cli/detect_command.h"

#include <cstdio>
#include <string>
#include <vector>

#include "cli/flag_set.h"
#include "connectors/files/line_reader.h"
#include "monitors/drift/drift_detector_registry.h"
#include "stream/parsed_number.h"

namespace streamlearn::cli {
namespace {

// The `index`-th comma-separated field of a CSV line, without surrounding quotes; empty when the
// line has fewer fields. Numbers need no quoting, so quoted commas are not handled.
std::string_view csv_field(std::string_view line, std::size_t index) {
  for (std::size_t i = 0; i < index; ++i) {
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos) return {};
    line.remove_prefix(comma + 1);
  }
  line = line.substr(0, line.find(','));
  if (line.size() >= 2 && line.front() == '"' && line.back() == '"') line = line.substr(1, line.size() - 2);
  return line;
}

}  // namespace

int detect_command(int argc, char** argv, int first) {
  std::string expression;
  std::string input = "-";
  std::string column;
  bool strict = false;
  FlagSet flags("detect",
                "Runs a concept-drift detector over a sequence of numbers and prints one JSON\n"
                "object per flagged element: {\"index\": I, \"type\": \"drift\"} (or \"warning\").\n"
                "Indices are 0-based positions among the data rows (a header row does not count;\n"
                "a malformed row keeps its index but is not fed to the detector).\n"
                "Without --column, each line holds one number and a first line that is not a\n"
                "number is taken as a header. Detectors: adwin, ddm, eddm, hddm_a, hddm_w,\n"
                "page_hinkley, kswin (River's names, parameters and defaults).\n"
                "Example: streamlearn detect --detector 'adwin(delta=0.002)' --input errors.txt");
  flags.add_string("detector", &expression, "EXPRESSION", "e.g. 'adwin(delta=0.002)'");
  flags.add_string("input", &input, "PATH", "file to read (.gz read transparently); default stdin");
  flags.add_string("column", &column, "NAME", "read this column of a CSV file with a header row");
  flags.add_bool("strict", &strict, "stop at the first malformed row (exit 1)");
  flags.require("detector");
  if (const std::optional<int> exit_code = flags.parse_or_exit(argc, argv, first)) return *exit_code;
  auto detector = monitors::DriftDetectorRegistry::builtin().build(expression);
  if (!detector) {
    std::fprintf(stderr, "streamlearn detect: %s\n", detector.status().message().c_str());
    return 2;
  }
  const std::string path = input == "-" ? "/dev/stdin" : input;
  auto reader = connectors::LineReader::open(path);
  if (!reader) {
    std::fprintf(stderr, "streamlearn detect: %s\n", reader.status().message().c_str());
    return 2;
  }
  const std::string source = input == "-" ? "stdin" : input;

  std::size_t column_index = 0;
  bool header_pending = true;  // the first line may be a header
  if (!column.empty()) {
    const auto header = reader->next();
    bool found = false;
    if (header) {
      std::string_view rest = *header;
      for (std::size_t i = 0; !found; ++i) {
        const std::size_t comma = rest.find(',');
        std::string_view name = rest.substr(0, comma);
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
          name = name.substr(1, name.size() - 2);
        if (name == column) {
          column_index = i;
          found = true;
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    if (!found) {
      std::fprintf(stderr, "streamlearn detect: %s has no column '%s' in its header (%s)\n",
                   source.c_str(), column.c_str(),
                   header ? std::string(*header).c_str() : "the input is empty");
      return 2;
    }
    header_pending = false;
  }

  std::uint64_t index = 0, drifts = 0, warnings = 0, rejected = 0;
  std::string first_rejections;
  while (const auto line = reader->next()) {
    const std::string_view text = column.empty() ? *line : csv_field(*line, column_index);
    const stream::ParsedNumber number = stream::parse_number(text);
    if (header_pending) {
      header_pending = false;
      if (number.kind == stream::ParsedNumber::Kind::kNotANumber && !text.empty()) continue;
    }
    if (number.kind != stream::ParsedNumber::Kind::kNumber) {
      if (line->empty() && column.empty()) continue;  // blank lines are not data rows
      const std::string message = source + ":" + std::to_string(reader->line_number()) + ": '" +
                                  std::string(text.substr(0, 40)) +
                                  (number.kind == stream::ParsedNumber::Kind::kNotANumber
                                       ? "' is not a number"
                                       : "' is not a finite number");
      if (strict) {
        std::fprintf(stderr, "streamlearn detect: %s (--strict)\n", message.c_str());
        return 1;
      }
      if (++rejected <= 10) first_rejections += "  " + message + "\n";
      ++index;
      continue;
    }
    (*detector)->update(number.value);
    if ((*detector)->drift_detected()) {
      std::printf("{\"index\": %llu, \"type\": \"drift\"}\n", static_cast<unsigned long long>(index));
      ++drifts;
    }
    if ((*detector)->warning_detected()) {
      std::printf("{\"index\": %llu, \"type\": \"warning\"}\n", static_cast<unsigned long long>(index));
      ++warnings;
    }
    ++index;
  }
  std::fflush(stdout);
  if (!reader->status().is_ok()) {
    std::fprintf(stderr, "streamlearn detect: %s\n", reader->status().message().c_str());
    return 1;
  }
  std::fprintf(stderr, "detect: %s over %llu values: %llu drifts, %llu warnings",
               (*detector)->describe().c_str(), static_cast<unsigned long long>(index),
               static_cast<unsigned long long>(drifts), static_cast<unsigned long long>(warnings));
  if (rejected > 0) {
    std::fprintf(stderr, ", %llu malformed rows skipped:\n%s",
                 static_cast<unsigned long long>(rejected), first_rejections.c_str());
  } else {
    std::fputc('\n', stderr);
  }
  return 0;
}

}  // namespace streamlearn::cli
