#pragma once

/// The contract every windowed aggregate meets, so that one generic window (tumbling, hopping,
/// session, count-based rolling) runs any of them. An aggregate is a small value type:
///
///   void update(double x);            adds one value
///   void merge(const A& later);       adds the aggregate of a later, disjoint part of the stream
///                                     (panes, sessions, the two stacks of a sliding window);
///                                     order matters for First and Last only
///   double value() const;             the result: NaN when undefined (the mean of nothing), 0 for
///                                     the count or sum of nothing
///   std::uint64_t count() const;      how many values it summarises
///   static constexpr bool kRevertible;
///   void revert(double x);            only when kRevertible: removes one value previously added
///                                     (the oldest, for a sliding window)
///   void save(core::StateWriter&) const;  core::Status load(core::StateReader&);  versioned
///
/// A default-constructed aggregate is empty and uses default Params; aggregates with Params
/// (Variance, StandardDeviation, DistinctCount, Quantile) also take them in an explicit
/// constructor and merge only with aggregates built from equal Params (a programmer error
/// otherwise, checked). load() restores into an aggregate built with the Params it was saved
/// with, and fails with a message naming both when they differ. Inputs are finite: the decoders
/// turn NaN and Inf into rejected records before any aggregate sees them.

#include <concepts>
#include <cstdint>
#include <utility>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::stream::aggregates {

template <typename A>
concept Aggregate = std::default_initializable<A> && std::copyable<A> &&
    requires(A aggregate, const A& later, double x, core::StateWriter& out, core::StateReader& in) {
  { aggregate.update(x) } -> std::same_as<void>;
  { aggregate.merge(later) } -> std::same_as<void>;
  { std::as_const(aggregate).value() } -> std::same_as<double>;
  { std::as_const(aggregate).count() } -> std::same_as<std::uint64_t>;
  { A::kRevertible } -> std::convertible_to<bool>;
  { std::as_const(aggregate).save(out) } -> std::same_as<void>;
  { aggregate.load(in) } -> std::same_as<core::Status>;
};

/// An Aggregate that can also remove a value it was given: a count-based rolling window slides it
/// by update(new) and revert(oldest) instead of keeping panes.
template <typename A>
concept RevertibleAggregate = Aggregate<A> && A::kRevertible && requires(A aggregate, double x) {
  { aggregate.revert(x) } -> std::same_as<void>;
};

}  // namespace streamlearn::stream::aggregates
