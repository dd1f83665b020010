#pragma once

/// AggregateKind: which aggregate a windowed feature computes, with the lower-case name it has in
/// expressions (`mean(amount)`): count, sum, mean, var, std, min, max, first, last, nunique,
/// quantile. Each names one class of this folder (var is Variance, std StandardDeviation, nunique
/// DistinctCount). A new aggregate adds its enumerator here, its name in aggregate_kind.cpp, and
/// its parameters in aggregate_spec.cpp.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamlearn::stream::aggregates {

enum class AggregateKind : std::uint8_t {
  kCount,
  kSum,
  kMean,
  kVariance,
  kStandardDeviation,
  kMin,
  kMax,
  kFirst,
  kLast,
  kDistinctCount,
  kQuantile,
};

/// Every kind, in the order of the enumeration (and of known_aggregate_names()).
inline constexpr std::array<AggregateKind, 11> kAllAggregateKinds = {
    AggregateKind::kCount,
    AggregateKind::kSum,
    AggregateKind::kMean,
    AggregateKind::kVariance,
    AggregateKind::kStandardDeviation,
    AggregateKind::kMin,
    AggregateKind::kMax,
    AggregateKind::kFirst,
    AggregateKind::kLast,
    AggregateKind::kDistinctCount,
    AggregateKind::kQuantile,
};

/// "count", "sum", "mean", "var", "std", "min", "max", "first", "last", "nunique", "quantile".
std::string_view aggregate_kind_name(AggregateKind kind);
/// The kind of that exact (lower-case) name, or nothing.
std::optional<AggregateKind> aggregate_kind_from_name(std::string_view name);
/// "count, sum, mean, ...": for error messages.
std::string known_aggregate_names();

}  // namespace streamlearn::stream::aggregates
