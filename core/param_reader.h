#pragma once

/// ParamReader: typed access to the `key=value` parameters of one registry entry, as written in a
/// model expression (`logistic_regression(l2=0.001)`) or a configuration. A factory asks for each
/// parameter with its default; finish() then reports, all at once, every malformed value and
/// every key nobody asked for, listing the keys that are allowed.

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

  double number(std::string_view key, double fallback);
  std::int64_t integer(std::string_view key, std::int64_t fallback);
  bool boolean(std::string_view key, bool fallback);
  std::string text(std::string_view key, std::string fallback);
  /// Adds an error about a parameter whose value is well-formed but not allowed.
  void reject(std::string_view key, std::string_view why);

  Status finish() const;

 private:
  const std::string* lookup(std::string_view key);

  std::string owner_;
  const ParamMap& given_;
  std::vector<std::string> known_;
  std::vector<std::string> errors_;
};

}  // namespace streamlearn::core
