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
#include <cstring>
#include <limits>
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

/// Appends the decimal digits at `cursor` to `mantissa` (wrapping beyond 19 digits: the caller
/// counts) and advances past them; returns how many. Eight at a time where eight bytes remain
/// (one 64-bit load, checked and converted in a few multiplications: SWAR), the rest one by one.
inline int accumulate_digits(const char*& cursor, const char* last, std::uint64_t& mantissa) {
  int count = 0;
  while (last - cursor >= 8) {
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, cursor, sizeof chunk);  // byte i is the i-th character
    const bool all_digits =
        (chunk & 0xf0f0f0f0f0f0f0f0) == 0x3030303030303030 &&
        ((chunk + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) == 0x3030303030303030;
    if (!all_digits) break;
    chunk -= 0x3030303030303030;                                     // bytes 0..9
    chunk = ((chunk * 10) + (chunk >> 8)) & 0x00ff00ff00ff00ff;      // pairs, < 100
    chunk = ((chunk * 100) + (chunk >> 16)) & 0x0000ffff0000ffff;    // quads, < 10^4
    chunk = ((chunk * 10000) + (chunk >> 32)) & 0x00000000ffffffff;  // eight, < 10^8
    mantissa = mantissa * 100'000'000 + chunk;
    cursor += 8;
    count += 8;
  }
  for (; cursor != last && *cursor >= '0' && *cursor <= '9'; ++cursor, ++count)
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(*cursor - '0');
  return count;
}

/// A fast path for the common case: reads a plain decimal at `first` ("-12.375", ".5", "7.",
/// "0.25010755222666936"; no exponent) of at most 19 digits, at most 22 of them after the point,
/// and returns its end, with `value` exactly the double std::from_chars gives (correctly
/// rounded), in a fraction of its time; or nullptr when the text is not of that form or the
/// rounding cannot be decided here (the caller then uses from_chars). With the digits as an
/// integer m and k digits after the point:
///   - m <= 2^53 (Clinger's fast path): m and 10^k are exact doubles and one IEEE division
///     rounds m / 10^k correctly;
///   - else, with an 80-bit long double (x86): m and 10^k are exact there and the division
///     rounds to 64 bits; rounding that to 53 bits is the correct rounding of m / 10^k unless the
///     64-bit quotient lies exactly halfway between two doubles (its low 11 bits 0x400), since
///     the true quotient is within half a 64-bit unit of it: that case is declined.
inline const char* parse_short_decimal(const char* first, const char* last, double& value) {
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr std::uint64_t kMaxExactMantissa = std::uint64_t{1} << 53;
  constexpr int kMaxDigits = 19;  // any 19 digits fit a uint64
  constexpr int kMaxFractionDigits = 22;
  const char* cursor = first;
  const bool negative = cursor != last && *cursor == '-';
  if (negative) ++cursor;
  std::uint64_t mantissa = 0;
  const int digits = accumulate_digits(cursor, last, mantissa);
  int fraction_digits = 0;
  if (cursor != last && *cursor == '.')
    fraction_digits = accumulate_digits(++cursor, last, mantissa);
  const bool exponent = cursor != last && (*cursor == 'e' || *cursor == 'E');
  if (digits + fraction_digits == 0 || digits + fraction_digits > kMaxDigits || exponent ||
      fraction_digits > kMaxFractionDigits)
    return nullptr;
  double magnitude = 0.0;
  if (mantissa <= kMaxExactMantissa) {
    magnitude = static_cast<double>(mantissa) / kPowersOfTen[fraction_digits];
  } else if constexpr (std::numeric_limits<long double>::digits == 64) {
    static constexpr long double kLongPowersOfTen[] = {
        1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,  1e10L, 1e11L,
        1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L};
    const long double quotient =
        static_cast<long double>(mantissa) / kLongPowersOfTen[fraction_digits];
    std::uint64_t significand = 0;  // the low 8 bytes of the x87 format
    std::memcpy(&significand, &quotient, sizeof significand);
    if ((significand & 0x7ff) == 0x400) return nullptr;
    magnitude = static_cast<double>(quotient);
  } else {
    return nullptr;
  }
  value = negative ? -magnitude : magnitude;
  return cursor;
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
  if (internal::parse_short_decimal(text.data(), last, value) == last)
    return {ParsedNumber::Kind::kNumber, value};
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
