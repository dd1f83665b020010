#include "stream/features/aggregate_column.h"

#include <vector>

#include "core/check.h"
#include "stream/aggregates/aggregate.h"
#include "stream/aggregates/count.h"
#include "stream/aggregates/distinct_count.h"
#include "stream/aggregates/mean.h"
#include "stream/aggregates/quantile.h"
#include "stream/aggregates/selected_value.h"
#include "stream/aggregates/standard_deviation.h"
#include "stream/aggregates/sum.h"
#include "stream/aggregates/variance.h"

namespace streamlearn::stream::features {
namespace {

using ColumnInputKind = ColumnInput::Kind;

// Feeds one input to an aggregate: nunique takes numbers by value and categories by hash; count
// counts every present input (count() without a field is given a number for every event); the
// others take numbers only.
template <aggregates::Aggregate A>
void add(A& aggregate, const ColumnInput& input) {
  if constexpr (std::is_same_v<A, aggregates::DistinctCount>) {
    if (input.kind == ColumnInputKind::kNumber) aggregate.update(input.number);
    if (input.kind == ColumnInputKind::kCategory) aggregate.update(input.hash);
  } else if constexpr (std::is_same_v<A, aggregates::Count>) {
    if (input.kind != ColumnInputKind::kAbsent) aggregate.update(0.0);
  } else {
    if (input.kind == ColumnInputKind::kNumber) aggregate.update(input.number);
  }
}

template <aggregates::Aggregate A>
class TypedColumn final : public AggregateColumn {
 public:
  explicit TypedColumn(A empty) : empty_(std::move(empty)), scratch_(empty_) {}

  void resize(std::size_t cells) override { cells_.resize(cells, empty_); }
  // Move-assigned from a fresh copy, so that what the cell allocated (sketch buckets, exact sets)
  // is freed: a copy-assignment would keep every buffer's capacity, and a cell that keys come
  // and go through would hold the largest state it ever had, of every representation.
  void reset(std::size_t cell) override { cells_[cell] = A(empty_); }
  void update(std::size_t cell, const ColumnInput& input) override { add(cells_[cell], input); }
  void merge(std::size_t into, std::size_t later) override { cells_[into].merge(cells_[later]); }

  double value(std::span<const std::uint32_t> cells) override {
    if (cells.empty()) return empty_.value();
    if (cells.size() == 1) return cells_[cells[0]].value();
    scratch_ = cells_[cells[0]];  // copy-assignment reuses the scratch's buffers
    for (std::size_t i = 1; i < cells.size(); ++i) scratch_.merge(cells_[cells[i]]);
    return scratch_.value();
  }

  bool revertible() const override { return A::kRevertible; }
  void revert(std::size_t cell, const ColumnInput& input) override {
    if constexpr (aggregates::RevertibleAggregate<A>) {
      if constexpr (std::is_same_v<A, aggregates::Count>) {
        if (input.kind != ColumnInputKind::kAbsent) cells_[cell].revert(0.0);
      } else {
        if (input.kind == ColumnInputKind::kNumber) cells_[cell].revert(input.number);
      }
    } else {
      (void)cell;
      (void)input;
      SL_CHECK(false);  // callers ask revertible() first
    }
  }
  double value_of(std::span<const ColumnInput> inputs) override {
    scratch_ = empty_;
    for (const ColumnInput& input : inputs) add(scratch_, input);
    return scratch_.value();
  }
  bool count_matches(std::size_t cell, std::span<const ColumnInput> inputs) override {
    scratch_ = empty_;
    for (const ColumnInput& input : inputs) add(scratch_, input);
    return scratch_.count() == cells_[cell].count();
  }

  void save(std::size_t cell, core::StateWriter& out) const override { cells_[cell].save(out); }
  core::Status load(std::size_t cell, core::StateReader& in) override {
    return cells_[cell].load(in);
  }
  std::size_t cell_bytes() const override { return sizeof(A); }

 private:
  A empty_;
  A scratch_;
  std::vector<A> cells_;
};

template <aggregates::Aggregate A>
std::unique_ptr<AggregateColumn> column(A empty) {
  return std::make_unique<TypedColumn<A>>(std::move(empty));
}

}  // namespace

std::unique_ptr<AggregateColumn> AggregateColumn::make(const aggregates::AggregateSpec& spec) {
  using aggregates::AggregateKind;
  switch (spec.kind) {
    case AggregateKind::kCount:
      return column(aggregates::Count());
    case AggregateKind::kSum:
      return column(aggregates::Sum());
    case AggregateKind::kMean:
      return column(aggregates::Mean());
    case AggregateKind::kVariance:
      return column(aggregates::Variance(std::get<aggregates::Variance::Params>(spec.params)));
    case AggregateKind::kStandardDeviation:
      return column(
          aggregates::StandardDeviation(std::get<aggregates::Variance::Params>(spec.params)));
    case AggregateKind::kMin:
      return column(aggregates::Min());
    case AggregateKind::kMax:
      return column(aggregates::Max());
    case AggregateKind::kFirst:
      return column(aggregates::First());
    case AggregateKind::kLast:
      return column(aggregates::Last());
    case AggregateKind::kDistinctCount:
      return column(
          aggregates::DistinctCount(std::get<aggregates::DistinctCount::Params>(spec.params)));
    case AggregateKind::kQuantile:
      return column(aggregates::Quantile(std::get<aggregates::Quantile::Params>(spec.params)));
  }
  SL_CHECK(false);
  return nullptr;
}

}  // namespace streamlearn::stream::features
