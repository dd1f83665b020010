#include "core/model_expression.h"

#include <cctype>

namespace streamlearn::core {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::vector<ModelStep>> parse() {
    std::vector<ModelStep> steps;
    while (true) {
      ModelStep step;
      if (!parse_step(step)) return error_;
      steps.push_back(std::move(step));
      skip_space();
      if (at_end()) break;
      if (peek() != '|') {
        fail("expected '|' or the end of the expression");
        return error_;
      }
      ++position_;
    }
    return steps;
  }

 private:
  bool parse_step(ModelStep& step) {
    skip_space();
    const std::size_t start = position_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_'))
      ++position_;
    if (position_ == start) return fail("expected a model or transformer name");
    step.name = std::string(text_.substr(start, position_ - start));
    skip_space();
    if (at_end() || peek() != '(') return true;
    ++position_;
    skip_space();
    if (!at_end() && peek() == ')') {
      ++position_;
      return true;
    }
    while (true) {
      skip_space();
      const std::size_t key_start = position_;
      while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_'))
        ++position_;
      if (position_ == key_start) return fail("expected a parameter name");
      std::string key(text_.substr(key_start, position_ - key_start));
      skip_space();
      if (at_end() || peek() != '=') return fail("expected '=' after parameter '" + key + "'");
      ++position_;
      std::string value;
      if (!parse_value(value)) return false;
      if (value.empty()) return fail("parameter '" + key + "' has no value");
      if (!step.params.emplace(key, value).second)
        return fail("parameter '" + key + "' is given twice");
      skip_space();
      if (at_end()) return fail("expected ',' or ')' to close the parameters of " + step.name);
      if (peek() == ')') {
        ++position_;
        return true;
      }
      ++position_;  // the comma: parse_value stops only at ',' or ')'
    }
  }

  // Reads up to the next top-level ',' or ')', balancing brackets and quotes; trims spaces.
  bool parse_value(std::string& value) {
    int depth = 0;
    char quote = 0;
    const std::size_t start = position_;
    for (; !at_end(); ++position_) {
      const char c = peek();
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(' || c == '[') {
        ++depth;
      } else if (c == ')' || c == ']') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    if (quote || depth != 0) return fail("unbalanced brackets or quotes in a parameter value");
    std::string_view raw = text_.substr(start, position_ - start);
    while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.front()))) raw.remove_prefix(1);
    while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back()))) raw.remove_suffix(1);
    if (raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'') && raw.back() == raw.front())
      raw = raw.substr(1, raw.size() - 2);
    value = std::string(raw);
    return true;
  }

  bool fail(const std::string& what) {
    error_ = Status::error("model expression '" + std::string(text_) + "': at column " +
                                 std::to_string(position_ + 1) + ": " + what);
    return false;
  }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek()))) ++position_;
  }
  bool at_end() const { return position_ >= text_.size(); }
  char peek() const { return text_[position_]; }

  std::string_view text_;
  std::size_t position_ = 0;
  Status error_;
};

}  // namespace

Result<std::vector<ModelStep>> parse_model_expression(std::string_view expression) {
  return Parser(expression).parse();
}

std::string format_model_steps(std::span<const ModelStep> steps) {
  std::string text;
  for (const ModelStep& step : steps) {
    if (!text.empty()) text += " | ";
    text += step.name;
    if (step.params.empty()) continue;
    text += '(';
    bool first = true;
    for (const auto& [key, value] : step.params) {
      text += (first ? "" : ", ") + key + "=" + value;
      first = false;
    }
    text += ')';
  }
  return text;
}

}  // namespace streamlearn::core
