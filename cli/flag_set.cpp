#include "cli/flag_set.h"

#include <charconv>
#include <cstdio>

namespace streamlearn::cli {

void FlagSet::add_string(std::string name, std::string* target, std::string value_name,
                         std::string help) {
  flags_.push_back({std::move(name), std::move(value_name), std::move(help), target});
}

void FlagSet::add_strings(std::string name, std::vector<std::string>* target,
                          std::string value_name, std::string help) {
  Flag flag{std::move(name), std::move(value_name), std::move(help)};
  flag.texts = target;
  flags_.push_back(std::move(flag));
}

void FlagSet::add_size(std::string name, std::uint64_t* target, std::string help) {
  Flag flag{std::move(name), "N", std::move(help)};
  flag.size = target;
  flags_.push_back(std::move(flag));
}

void FlagSet::add_bool(std::string name, bool* target, std::string help) {
  Flag flag{std::move(name), "", std::move(help)};
  flag.boolean = target;
  flags_.push_back(std::move(flag));
}

FlagSet::Flag* FlagSet::find(std::string_view name) {
  for (Flag& flag : flags_)
    if (flag.name == name) return &flag;
  return nullptr;
}

std::optional<int> FlagSet::parse_or_exit(int argc, char** argv, int first) {
  if (core::Status status = parse(argc, argv, first); !status) {
    std::fprintf(stderr, "%s\n", status.message().c_str());
    return 2;
  }
  if (help_) {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  return std::nullopt;
}

core::Status FlagSet::parse(int argc, char** argv, int first) {
  std::vector<std::string> errors;
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      return core::Status::ok();
    }
    if (arg.substr(0, 2) != "--") {
      errors.push_back("unexpected argument '" + std::string(arg) + "'");
      continue;
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string_view> inline_value;
    if (auto equals = name.find('='); equals != std::string_view::npos) {
      inline_value = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    Flag* flag = find(name);
    if (!flag) {
      errors.push_back("unknown flag --" + std::string(name));
      continue;
    }
    flag->seen = true;
    if (flag->boolean) {
      *flag->boolean = !inline_value || *inline_value == "true" || *inline_value == "1";
      continue;
    }
    std::string_view value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      errors.push_back("--" + std::string(name) + " needs a value (" + flag->value_name + ")");
      continue;
    }
    if (flag->text) {
      *flag->text = std::string(value);
    } else if (flag->texts) {
      flag->texts->emplace_back(value);
    } else {
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), *flag->size);
      if (error != std::errc() || end != value.data() + value.size())
        errors.push_back("--" + std::string(name) + " expects a non-negative integer, got '" +
                         std::string(value) + "'");
    }
  }
  for (const std::string& name : required_)
    if (const Flag* flag = find(name); flag && !flag->seen)
      errors.push_back("--" + name + " is required");
  if (errors.empty()) return core::Status::ok();
  std::string message = "streamlearn " + command_ + ":";
  for (const std::string& error : errors) message += "\n  " + error;
  message += "\nRun 'streamlearn " + command_ + " --help' for usage.";
  return core::Status::error(message);
}

std::string FlagSet::usage() const {
  std::string text = "usage: streamlearn " + command_ + " [flags]\n\n" + summary_ + "\n\nflags:\n";
  for (const Flag& flag : flags_) {
    std::string left = "  --" + flag.name + (flag.value_name.empty() ? "" : " " + flag.value_name);
    if (left.size() < 28) left.resize(28, ' ');
    text += left + " " + flag.help + "\n";
  }
  return text;
}

}  // namespace streamlearn::cli
