#pragma once

/// ParamReader: typed access to the `key=value` parameters of one registry entry, as written in a
/// model expression (`logistic_regression(l2=0.001)`) or a configuration. A factory asks for each
/// parameter with its default; finish() then reports, all at once, every malformed value and
/// every key nobody asked for, listing the keys that are allowed.
///
/// Lists are written in brackets, as a model expression keeps them verbatim: `cols=[country,
/// device]` for names() and `edges=[0, 10, 100]` for numbers(); a single element may also be
/// written without brackets (`cols=country`).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace streamlearn::core {

using ParamMap = std::map<std::string, std::string, std::less<>>;

class ParamReader {
 public:
  ParamReader(std::string owner, const ParamMap& given) : owner_(std::move(owner)), given_(given) {}

  /// A finite number; `2^18` is read as a power.
  double number(std::string_view key, double fallback);
  /// A 64-bit integer; `2^18` is read as a power (an exponent >= 0), rejected when it overflows.
  std::int64_t integer(std::string_view key, std::int64_t fallback);
  bool boolean(std::string_view key, bool fallback);
  std::string text(std::string_view key, std::string fallback);
  /// A list of names, `[a, b]`, or one name `a`; empty when the key is absent. A name is either
  /// bare (any characters but spaces, quotes, commas, brackets and parentheses) or quoted with '
  /// or " (then it may hold anything but that quote): `cols=[country, 'unit price']`. An empty
  /// list, an empty name or a name given twice is an error.
  std::vector<std::string> names(std::string_view key);
  /// A list of finite numbers, `[0, 10, 100]`, or one number `5`; empty when the key is absent.
  /// An empty list is an error.
  std::vector<double> numbers(std::string_view key);
  /// Whether the parameter was given (asking does not make it known to finish()).
  bool given(std::string_view key) const { return given_.find(key) != given_.end(); }
  /// Adds an error about a parameter whose value is well-formed but not allowed.
  void reject(std::string_view key, std::string_view why);
  /// Adds an error about the entry as a whole rather than one parameter.
  void error(std::string_view what);

  Status finish() const;

 private:
  const std::string* lookup(std::string_view key);

  std::string owner_;
  const ParamMap& given_;
  std::vector<std::string> known_;
  std::vector<std::string> errors_;
};

}  // namespace streamlearn::core
