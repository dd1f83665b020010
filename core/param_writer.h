#pragma once

/// ParamWriter: the counterpart of ParamReader. It writes the model expression of one registry
/// entry, `name(key=value, ...)`, listing only the parameters that differ from their defaults (and
/// just `name` when none does), in a form ParamReader parses back to the same values: numbers in
/// the shortest text that round-trips, booleans as true/false. describe() is built with it.
///
///   core::ParamWriter writer("ddm");
///   writer.integer("warm_start", params_.warm_start, defaults.warm_start);
///   writer.number("drift_threshold", params_.drift_threshold, defaults.drift_threshold);
///   return writer.expression();  // "ddm(drift_threshold=2.5)"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace streamlearn::core {

class ParamWriter {
 public:
  explicit ParamWriter(std::string name) : name_(std::move(name)) {}

  /// Each adds `key=value` when value differs from fallback, in the order of the calls.
  void number(std::string_view key, double value, double fallback);
  void integer(std::string_view key, std::int64_t value, std::int64_t fallback);
  /// An integer whose default is "not set": added only when it is set.
  void integer(std::string_view key, std::optional<std::int64_t> value);
  void boolean(std::string_view key, bool value, bool fallback);
  void text(std::string_view key, std::string_view value, std::string_view fallback);

  /// `name` when every parameter was at its default, else `name(key=value, ...)`.
  std::string expression() const;

  /// The shortest text that ParamReader::number parses back to the same double (`0.1`, `1e-04`),
  /// also for error messages that quote a value.
  static std::string format_number(double value);

 private:
  void add(std::string_view key, std::string_view value);

  std::string name_;
  std::string arguments_;
};

}  // namespace streamlearn::core
