#include "stream/parsed_number.h"

namespace streamlearn::stream::internal {

ParsedNumber classify_out_of_range(std::string_view text) {
  // from_chars leaves the value untouched on result_out_of_range and does not say which way the
  // number fell out, so read the decimal exponent of its first significant digit ourselves:
  // above zero it overflowed, otherwise it underflowed. strtod would say the same but depends on
  // the C locale.
  bool negative = false;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  std::int64_t integer_digits = 0;          // significant digits before the point
  std::int64_t leading_fraction_zeros = 0;  // zeros after the point before the first nonzero
  bool seen_nonzero = false;
  bool after_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      after_point = true;
    } else if (c >= '0' && c <= '9') {
      if (c != '0') seen_nonzero = true;
      if (!after_point && seen_nonzero) ++integer_digits;
      if (after_point && !seen_nonzero) ++leading_fraction_zeros;
    } else {
      break;  // 'e' or 'E'
    }
  }
  std::int64_t exponent = 0;
  if (i < text.size()) {
    ++i;
    bool negative_exponent = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative_exponent = text[i++] == '-';
    for (; i < text.size(); ++i) {
      // Clamp: any exponent this large is out of range whatever the mantissa.
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (text[i] - '0');
    }
    if (negative_exponent) exponent = -exponent;
  }
  const std::int64_t magnitude =
      integer_digits > 0 ? integer_digits - 1 + exponent : exponent - leading_fraction_zeros - 1;
  if (seen_nonzero && magnitude > 0) return {ParsedNumber::Kind::kOutOfRange, 0.0};
  return {ParsedNumber::Kind::kNumber, negative ? -0.0 : 0.0};
}

}  // namespace streamlearn::stream::internal
