#pragma once

/// FlagSet: the flags of one subcommand. Declares each flag with its help text, parses
/// `--name value`, `--name=value` and boolean `--name`, and reports every unknown or malformed flag
/// at once with the usage text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace streamlearn::cli {

class FlagSet {
 public:
  FlagSet(std::string command, std::string summary)
      : command_(std::move(command)), summary_(std::move(summary)) {}

  void add_string(std::string name, std::string* target, std::string value_name, std::string help);
  void add_size(std::string name, std::uint64_t* target, std::string help);
  void add_bool(std::string name, bool* target, std::string help);
  /// A flag that may be given several times; each value is appended.
  void add_strings(std::string name, std::vector<std::string>* target, std::string value_name,
                   std::string help);
  void require(std::string name) { required_.push_back(std::move(name)); }

  /// Parses argv[first..argc). help() is true afterwards when --help was given.
  core::Status parse(int argc, char** argv, int first);
  bool help_requested() const { return help_; }
  /// parse(), and what a command does next: nullopt to run; 2 after printing the errors to
  /// stderr; 0 after printing the usage to stdout for --help.
  std::optional<int> parse_or_exit(int argc, char** argv, int first);
  std::string usage() const;

 private:
  struct Flag {
    std::string name;
    std::string value_name;
    std::string help;
    std::string* text = nullptr;
    std::vector<std::string>* texts = nullptr;
    std::uint64_t* size = nullptr;
    bool* boolean = nullptr;
    bool seen = false;
  };
  Flag* find(std::string_view name);

  std::string command_;
  std::string summary_;
  std::vector<Flag> flags_;
  std::vector<std::string> required_;
  bool help_ = false;
};

}  // namespace streamlearn::cli
