#include "core/param_writer.h"

#include <charconv>

namespace streamlearn::core {

void ParamWriter::number(std::string_view key, double value, double fallback) {
  if (value != fallback) add(key, format_number(value));
}

void ParamWriter::integer(std::string_view key, std::int64_t value, std::int64_t fallback) {
  if (value != fallback) add(key, std::to_string(value));
}

void ParamWriter::integer(std::string_view key, std::optional<std::int64_t> value) {
  if (value) add(key, std::to_string(*value));
}

void ParamWriter::boolean(std::string_view key, bool value, bool fallback) {
  if (value != fallback) add(key, value ? "true" : "false");
}

void ParamWriter::text(std::string_view key, std::string_view value, std::string_view fallback) {
  if (value != fallback) add(key, value);
}

std::string ParamWriter::expression() const {
  return arguments_.empty() ? name_ : name_ + "(" + arguments_ + ")";
}

std::string ParamWriter::format_number(double value) {
  // 32 characters hold any double's shortest form (at most 24, e.g. -2.2250738585072014e-308),
  // so to_chars cannot fail here.
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

void ParamWriter::add(std::string_view key, std::string_view value) {
  if (!arguments_.empty()) arguments_ += ", ";
  arguments_.append(key).append("=").append(value);
}

}  // namespace streamlearn::core
