#pragma once

/// AggregateSpec: one windowed aggregate as a configuration writes it, `mean(amount)`,
/// `count()`, `quantile(latency, q=0.99, alpha=0.01)`: the AggregateKind, the event field it
/// reads and its parameters, parsed and validated by parse_aggregate_spec().
///
/// Grammar: `name(field, key=value, ...)`. The name is one of aggregate_kind.h's. The field comes
/// first, bare (letters, digits, `_`, `.`, `-`) or quoted ('my field' or "my field"); every
/// aggregate needs one except count, where `count()` counts events and `count(field)` those that
/// have the field. Parameters follow as key=value, with the names of the aggregate's Params:
///   var, std   ddof             integer >= 0, default 1
///   nunique    precision        integer from 4 to 18, default 12
///   quantile   q                number from 0 to 1, default 0.5
///              alpha            number from 0.0001 to 0.5, default 0.01
///              max_num_buckets  integer from 16 to 65536, default 2048
/// Errors quote the expression: a syntax error gives the column and what was expected, an
/// unknown aggregate lists the known ones, and every bad parameter is reported at once with its
/// allowed range (unknown keys with the allowed ones).

#include <string>
#include <string_view>
#include <variant>

#include "core/status.h"
#include "stream/aggregates/aggregate_kind.h"
#include "stream/aggregates/distinct_count.h"
#include "stream/aggregates/quantile.h"
#include "stream/aggregates/variance.h"

namespace streamlearn::stream::aggregates {

/// The Params of the spec's kind: std::monostate for the kinds without any, Variance::Params for
/// var and std, DistinctCount::Params for nunique, Quantile::Params for quantile.
using AggregateParams =
    std::variant<std::monostate, Variance::Params, DistinctCount::Params, Quantile::Params>;

struct AggregateSpec {
  AggregateKind kind = AggregateKind::kCount;
  /// The field aggregated; empty only for `count()`.
  std::string field;
  AggregateParams params;

  /// The canonical expression, which parses back to an equal spec: parameters at their defaults
  /// are left out, numbers in their shortest round-trip form (`quantile(latency, q=0.99)`). A
  /// stable name for the feature the aggregate computes.
  std::string expression() const;

  bool operator==(const AggregateSpec&) const = default;
};

/// Parses and validates one aggregate expression (see the grammar above).
core::Result<AggregateSpec> parse_aggregate_spec(std::string_view expression);

}  // namespace streamlearn::stream::aggregates
