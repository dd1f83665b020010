#pragma once

/// ParsedNumber: how the text of one field reads as a number, shared by the CSV and JSON
/// decoders so that both draw the line between numeric and categorical, and between accepted and
/// rejected numbers, in the same place. Inline because it runs once per field on the hot path.
///
/// Rules: leading and trailing blanks (space, tab, CR, LF) are ignored; an optional leading '+'
/// is allowed; the rest must be a decimal number in std::from_chars' general format as a whole
/// ("1", "-2.5", ".5", "1e-3"). Hexadecimal, thousands separators and trailing text make a field
/// categorical. NaN and infinity spellings ("nan", "NaN", "inf", "-Infinity") are kNonFinite;
/// magnitudes above the largest double ("1e999") are kOutOfRange; magnitudes below the smallest
/// subnormal ("1e-999") read as a signed zero, as strtod gives them.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

namespace streamlearn::stream {

struct ParsedNumber {
  enum class Kind : std::uint8_t { kNumber, kNotANumber, kNonFinite, kOutOfRange };

  Kind kind = Kind::kNotANumber;
  double value = 0.0;  // set when kind == kNumber
};

namespace internal {

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

/// The slow path of parse_number once from_chars reported result_out_of_range for `text` (a
/// complete decimal number): tells overflow (rejected) from underflow (reads as zero).
ParsedNumber classify_out_of_range(std::string_view text);

}  // namespace internal

/// Reads `text` as a number following the rules above.
inline ParsedNumber parse_number(std::string_view text) {
  text = internal::trim_blanks(text);
  if (text.empty()) return {};
  if (text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '+' || text.front() == '-') return {};
  }
  const char* const last = text.data() + text.size();
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), last, value);
  // A failed parse leaves end at the start, which is not `last` because text is not empty.
  if (end != last) return {};
  if (error == std::errc::result_out_of_range) return internal::classify_out_of_range(text);
  if (!std::isfinite(value)) return {ParsedNumber::Kind::kNonFinite, 0.0};
  return {ParsedNumber::Kind::kNumber, value};
}

/// Reads `text` (blanks around it ignored, optional '+') as a whole base-10 int64, or nullopt.
inline std::optional<std::int64_t> parse_integer(std::string_view text) {
  text = internal::trim_blanks(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-') return std::nullopt;
  }
  const char* const last = text.data() + text.size();
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (error != std::errc() || end != last || text.empty()) return std::nullopt;
  return value;
}

}  // namespace streamlearn::stream
