#include "stream/aggregates/aggregate_kind.h"

namespace streamlearn::stream::aggregates {

std::string_view aggregate_kind_name(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::kCount:
      return "count";
    case AggregateKind::kSum:
      return "sum";
    case AggregateKind::kMean:
      return "mean";
    case AggregateKind::kVariance:
      return "var";
    case AggregateKind::kStandardDeviation:
      return "std";
    case AggregateKind::kMin:
      return "min";
    case AggregateKind::kMax:
      return "max";
    case AggregateKind::kFirst:
      return "first";
    case AggregateKind::kLast:
      return "last";
    case AggregateKind::kDistinctCount:
      return "nunique";
    case AggregateKind::kQuantile:
      return "quantile";
  }
  return "unknown";
}

std::optional<AggregateKind> aggregate_kind_from_name(std::string_view name) {
  for (const AggregateKind kind : kAllAggregateKinds) {
    if (aggregate_kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string known_aggregate_names() {
  std::string names;
  for (const AggregateKind kind : kAllAggregateKinds) {
    if (!names.empty()) names += ", ";
    names += aggregate_kind_name(kind);
  }
  return names;
}

}  // namespace streamlearn::stream::aggregates
