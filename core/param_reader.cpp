#include "core/param_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace streamlearn::core {
namespace {

// from_chars over the whole of `text`, nothing left over.
template <typename T>
bool parse_whole(std::string_view text, T& value) {
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && stop == end && !text.empty();
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// A bare name runs up to a space, a quote, a comma, a bracket or a parenthesis.
bool is_bare_name_char(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && c != '\'' && c != '"' && c != ',' &&
         c != '[' && c != ']' && c != '(' && c != ')';
}

// Reads `[a, 'b c']` or `a` into names; on failure says why in `error`.
bool parse_name_list(std::string_view text, std::vector<std::string>& names, std::string& error) {
  text = trim(text);
  const bool bracketed = !text.empty() && text.front() == '[';
  if (bracketed) {
    if (text.back() != ']') {
      error = "the list is not closed with ']'";
      return false;
    }
    text = trim(text.substr(1, text.size() - 2));
    if (text.empty()) {
      error = "the list is empty: name at least one feature";
      return false;
    }
  }
  std::size_t position = 0;
  const auto skip_space = [&] {
    while (position < text.size() && std::isspace(static_cast<unsigned char>(text[position])))
      ++position;
  };
  while (true) {
    skip_space();
    std::string name;
    if (position < text.size() && (text[position] == '\'' || text[position] == '"')) {
      const char quote = text[position];
      const std::size_t close = text.find(quote, position + 1);
      if (close == std::string_view::npos) {
        error = "a quoted name is not closed";
        return false;
      }
      name = std::string(text.substr(position + 1, close - position - 1));
      position = close + 1;
    } else {
      const std::size_t start = position;
      while (position < text.size() && is_bare_name_char(text[position])) ++position;
      name = std::string(text.substr(start, position - start));
    }
    if (name.empty()) {
      error = position < text.size()
                  ? "expected a name at '" + std::string(text.substr(position)) + "'"
                  : "expected a name after the last ','";
      return false;
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      error = "'" + name + "' is listed twice";
      return false;
    }
    names.push_back(std::move(name));
    skip_space();
    if (position == text.size()) return true;
    if (!bracketed || text[position] != ',') {
      error = bracketed ? "expected ',' after '" + names.back() + "'"
                        : "several names are written as a list, e.g. [a, b]; a name with spaces "
                          "or punctuation is quoted, e.g. ['unit price']";
      return false;
    }
    ++position;
  }
}

}  // namespace

const std::string* ParamReader::lookup(std::string_view key) {
  known_.emplace_back(key);
  auto it = given_.find(key);
  return it == given_.end() ? nullptr : &it->second;
}

double ParamReader::number(std::string_view key, double fallback) {
  const std::string* text = lookup(key);
  if (!text) return fallback;
  double value = 0;
  // Accept powers written as 2^18, common for bucket counts.
  if (auto caret = text->find('^'); caret != std::string::npos) {
    double base = 0, exponent = 0;
    if (parse_whole(std::string_view(*text).substr(0, caret), base) &&
        parse_whole(std::string_view(*text).substr(caret + 1), exponent)) {
      value = std::pow(base, exponent);
      if (std::isfinite(value)) return value;
    }
    errors_.push_back(std::string(key) + "='" + *text + "' is not a finite number");
    return fallback;
  }
  if (!parse_whole(*text, value) || !std::isfinite(value)) {
    errors_.push_back(std::string(key) + "='" + *text + "' is not a finite number");
    return fallback;
  }
  return value;
}

std::int64_t ParamReader::integer(std::string_view key, std::int64_t fallback) {
  const std::string* text = lookup(key);
  if (!text) return fallback;
  std::int64_t value = 0;
  if (auto caret = text->find('^'); caret != std::string::npos) {
    std::int64_t base = 0, exponent = 0;
    if (!parse_whole(std::string_view(*text).substr(0, caret), base) ||
        !parse_whole(std::string_view(*text).substr(caret + 1), exponent) || exponent < 0) {
      errors_.push_back(std::string(key) + "='" + *text +
                        "' is not an integer (a power is written base^exponent with an exponent "
                        ">= 0, e.g. 2^18)");
      return fallback;
    }
    value = 1;
    // Repeated multiplication stops at the first overflow; |base| <= 1 never overflows, so the
    // loop is short whenever it is long.
    for (std::int64_t i = 0; i < exponent; ++i) {
      if (__builtin_mul_overflow(value, base, &value)) {
        errors_.push_back(std::string(key) + "='" + *text +
                          "' overflows a 64-bit integer (at most 2^63 - 1)");
        return fallback;
      }
      if (value == 0 || value == 1) break;
      if (value == -1) {
        value = exponent % 2 == 0 ? 1 : -1;
        break;
      }
    }
    return value;
  }
  if (!parse_whole(*text, value)) {
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

std::vector<std::string> ParamReader::names(std::string_view key) {
  const std::string* text = lookup(key);
  if (!text) return {};
  std::vector<std::string> names;
  std::string error;
  if (!parse_name_list(*text, names, error)) {
    errors_.push_back(std::string(key) + "='" + *text + "' is not a list of names: " + error);
    return {};
  }
  return names;
}

std::vector<double> ParamReader::numbers(std::string_view key) {
  const std::string* text = lookup(key);
  if (!text) return {};
  std::string_view list = trim(*text);
  const auto fail = [&](const std::string& why) {
    errors_.push_back(std::string(key) + "='" + *text + "' is not a list of numbers: " + why);
    return std::vector<double>{};
  };
  if (!list.empty() && list.front() == '[') {
    if (list.back() != ']') return fail("the list is not closed with ']'");
    list = trim(list.substr(1, list.size() - 2));
    if (list.empty()) return fail("the list is empty");
  }
  std::vector<double> numbers;
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view item = trim(list.substr(0, comma));
    double value = 0;
    if (!parse_whole(item, value) || !std::isfinite(value))
      return fail("'" + std::string(item) + "' is not a finite number");
    numbers.push_back(value);
    if (comma == std::string_view::npos) return numbers;
    list.remove_prefix(comma + 1);
  }
}

void ParamReader::error(std::string_view what) { errors_.emplace_back(what); }

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
