#include "core/param_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace streamlearn::core {

const std::string* ParamReader::lookup(std::string_view key) {
  known_.emplace_back(key);
  auto it = given_.find(key);
  return it == given_.end() ? nullptr : &it->second;
}

double ParamReader::number(std::string_view key, double fallback) {
  const std::string* text = lookup(key);
  if (!text) return fallback;
  double value = 0;
  // Accept powers of two written as 2^18, common for bucket counts.
  if (auto caret = text->find('^'); caret != std::string::npos) {
    double base = 0, exponent = 0;
    auto b = std::from_chars(text->data(), text->data() + caret, base);
    auto e = std::from_chars(text->data() + caret + 1, text->data() + text->size(), exponent);
    if (b.ec == std::errc() && e.ec == std::errc() && b.ptr == text->data() + caret &&
        e.ptr == text->data() + text->size())
      return std::pow(base, exponent);
  }
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || !std::isfinite(value)) {
    errors_.push_back(std::string(key) + "='" + *text + "' is not a finite number");
    return fallback;
  }
  return value;
}

std::int64_t ParamReader::integer(std::string_view key, std::int64_t fallback) {
  const std::string* text = lookup(key);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) {
    errors_.push_back(std::string(key) + "='" + *text + "' is not an integer");
    return fallback;
  }
  return value;
}

bool ParamReader::boolean(std::string_view key, bool fallback) {
  const std::string* text = lookup(key);
  if (!text) return fallback;
  if (*text == "true" || *text == "True" || *text == "1") return true;
  if (*text == "false" || *text == "False" || *text == "0") return false;
  errors_.push_back(std::string(key) + "='" + *text + "' is not a boolean (use true or false)");
  return fallback;
}

std::string ParamReader::text(std::string_view key, std::string fallback) {
  const std::string* text = lookup(key);
  return text ? *text : fallback;
}

void ParamReader::reject(std::string_view key, std::string_view why) {
  errors_.push_back(std::string(key) + ": " + std::string(why));
}

Status ParamReader::finish() const {
  std::vector<std::string> errors = errors_;
  for (const auto& [key, value] : given_) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string allowed;
    for (const std::string& name : known_) allowed += (allowed.empty() ? "" : ", ") + name;
    errors.push_back("unknown parameter '" + key + "' (allowed: " +
                     (allowed.empty() ? "none" : allowed) + ")");
  }
  if (errors.empty()) return Status::ok();
  std::string message = owner_ + ":";
  for (const std::string& error : errors) message += "\n  - " + error;
  return Status::error(message);
}

}  // namespace streamlearn::core
