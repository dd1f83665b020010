#pragma once

/// The property checks every windowed aggregate goes through (aggregate.h's contract), against a
/// brute-force recomputation from the stored values, and the seeded random streams they run on:
///   check_updates         update-only, compared at many prefixes;
///   check_merges          the aggregates of random consecutive chunks (some empty) merged left to
///                         right and as a balanced tree, compared with the concatenation;
///   check_sliding_window  update the newest, revert the oldest, compared at every step, then
///                         reverted down to empty and reused;
///   check_save_load       save -> load at random points gives the same value and the same bytes,
///                         then the same values bit for bit under more updates (and reverts);
///                         every truncation of the state fails to load and changes nothing.
/// Each returns an AssertionResult that stops at the first mismatch and says where (property,
/// step, window), so that a test can also assert that a deliberately broken aggregate fails.
/// A check is `AssertionResult check(const A& aggregate, const Held& held)`.
///
/// Header-only (templates): tests/CMakeLists.txt globs only *_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/state_io.h"
#include "stream/aggregates/aggregate.h"

namespace streamlearn::testing {

/// The values an aggregate holds at one step, oldest first, with the history the floating-point
/// error bounds depend on: the largest sums of |x| and of x^2 held at any step, and the number of
/// updates, reverts and merges, since the aggregate was last empty.
struct Held {
  std::span<const double> values;
  double largest_abs_sum = 0.0;
  double largest_square_sum = 0.0;
  std::size_t operations = 0;
};

/// Uniform in [0, 1) from the top 53 bits: the same on every standard library.
inline double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// Uniform integer in [low, high].
inline std::int64_t uniform_integer(std::mt19937_64& rng, std::int64_t low, std::int64_t high) {
  return low + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(high - low + 1));
}

/// Box-Muller, the same on every standard library.
inline double gaussian(std::mt19937_64& rng) {
  const double u = 1.0 - uniform01(rng);  // in (0, 1]
  const double v = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

/// A random stream for property tests: a mixture of Gaussians with a random centre and spread,
/// small integers (duplicates, zeros), exact 0.0 and -0.0, repeats of earlier values, runs of one
/// constant value, uniform values, tiny magnitudes (1e-4 .. 1e-1) and spikes of large magnitude
/// (1e6 .. 1e12), of either sign. Magnitudes span 1e-4 .. 1e12, so a Quantile at its defaults
/// never collapses a bucket on them.
inline std::vector<double> random_stream(std::uint64_t seed, std::size_t length) {
  std::mt19937_64 rng(seed);
  const double centre = (uniform01(rng) - 0.5) * 2000.0;
  const double spread = std::pow(10.0, uniform01(rng) * 6.0 - 3.0);  // 1e-3 .. 1e3
  const double spike_rate = uniform01(rng) * 0.02;
  std::vector<double> values;
  values.reserve(length);
  while (values.size() < length) {
    const double pick = uniform01(rng);
    const double sign = uniform01(rng) < 0.5 ? -1.0 : 1.0;
    if (pick < spike_rate) {
      values.push_back(sign * std::pow(10.0, 6.0 + 6.0 * uniform01(rng)));
    } else if (pick < 0.35) {
      values.push_back(centre + spread * gaussian(rng));
    } else if (pick < 0.50) {
      values.push_back(static_cast<double>(uniform_integer(rng, -5, 5)));
    } else if (pick < 0.55) {
      values.push_back(sign > 0 ? 0.0 : -0.0);
    } else if (pick < 0.65 && !values.empty()) {
      const std::int64_t earlier =
          uniform_integer(rng, 0, static_cast<std::int64_t>(values.size()) - 1);
      values.push_back(values[static_cast<std::size_t>(earlier)]);
    } else if (pick < 0.68) {
      const double constant = centre + spread * gaussian(rng);
      const std::int64_t run = uniform_integer(rng, 20, 120);
      for (std::int64_t i = 0; i < run && values.size() < length; ++i) values.push_back(constant);
    } else if (pick < 0.73) {
      values.push_back(sign * std::pow(10.0, -4.0 + 3.0 * uniform01(rng)));
    } else {
      values.push_back((uniform01(rng) - 0.5) * 200.0);
    }
  }
  return values;
}

/// Both NaN, or the same bits.
inline ::testing::AssertionResult same_value(double got, double expected) {
  if ((std::isnan(got) && std::isnan(expected)) ||
      std::bit_cast<std::uint64_t>(got) == std::bit_cast<std::uint64_t>(expected))
    return ::testing::AssertionSuccess();
  std::ostringstream out;
  out.precision(17);
  out << "got " << got << ", expected exactly " << expected;
  return ::testing::AssertionFailure() << out.str();
}

/// |got - expected| <= tolerance (NaN only matches NaN).
inline ::testing::AssertionResult within(double got, double expected, double tolerance) {
  if (std::isnan(got) || std::isnan(expected)) return same_value(got, expected);
  if (std::abs(got - expected) <= tolerance) return ::testing::AssertionSuccess();
  std::ostringstream out;
  out.precision(17);
  out << "got " << got << ", expected " << expected << ": error " << std::abs(got - expected)
      << " above the tolerance " << tolerance;
  return ::testing::AssertionFailure() << out.str();
}

namespace aggregate_properties_detail {

inline double abs_sum(std::span<const double> values) {
  double sum = 0.0;
  for (const double x : values) sum += std::abs(x);
  return sum;
}

inline double square_sum(std::span<const double> values) {
  double sum = 0.0;
  for (const double x : values) sum += x * x;
  return sum;
}

inline std::string where(const char* property, std::size_t step, std::size_t held) {
  return std::string(property) + ", step " + std::to_string(step) + ", " + std::to_string(held) +
         " values held: ";
}

template <stream::aggregates::Aggregate A>
std::string saved(const A& aggregate) {
  core::StateWriter out;
  aggregate.save(out);
  return out.bytes();
}

}  // namespace aggregate_properties_detail

/// Update-only: the check at every prefix up to 64 values, then every 37th and at the end.
template <stream::aggregates::Aggregate A, typename Check>
::testing::AssertionResult check_updates(const A& empty, std::span<const double> values,
                                         Check&& check) {
  namespace detail = aggregate_properties_detail;
  A aggregate = empty;
  Held held;
  if (auto result = check(aggregate, held); !result)
    return ::testing::AssertionFailure() << detail::where("update", 0, 0) << result.message();
  double abs_sum = 0.0, square_sum = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    aggregate.update(values[i]);
    abs_sum += std::abs(values[i]);
    square_sum += values[i] * values[i];
    if (i >= 64 && i % 37 != 0 && i + 1 != values.size()) continue;
    held = {values.first(i + 1), abs_sum, square_sum, i + 1};
    if (auto result = check(aggregate, held); !result)
      return ::testing::AssertionFailure()
             << detail::where("update", i + 1, i + 1) << result.message();
  }
  if (aggregate.count() != values.size())
    return ::testing::AssertionFailure() << "update: count() is " << aggregate.count();
  return ::testing::AssertionSuccess();
}

/// Merges: `values` cut at random into 1 to 40 consecutive chunks (some empty), one aggregate per
/// chunk; merged left to right into an empty aggregate (checked after each merge), and as a
/// balanced tree (checked at the end).
template <stream::aggregates::Aggregate A, typename Check>
::testing::AssertionResult check_merges(const A& empty, std::span<const double> values,
                                        std::uint64_t seed, Check&& check) {
  namespace detail = aggregate_properties_detail;
  std::mt19937_64 rng(seed);
  const std::size_t num_cuts = static_cast<std::size_t>(uniform_integer(rng, 0, 39));
  std::vector<std::size_t> cuts = {0, values.size()};
  for (std::size_t i = 0; i < num_cuts; ++i)
    cuts.push_back(static_cast<std::size_t>(
        uniform_integer(rng, 0, static_cast<std::int64_t>(values.size()))));
  std::sort(cuts.begin(), cuts.end());  // equal cuts make empty chunks
  std::vector<A> chunks;
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
    A chunk = empty;
    for (std::size_t i = cuts[c]; i < cuts[c + 1]; ++i) chunk.update(values[i]);
    chunks.push_back(chunk);
  }
  const double all_abs = detail::abs_sum(values);
  const double all_squares = detail::square_sum(values);
  const std::size_t operations = values.size() + chunks.size();
  A merged = empty;
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    merged.merge(chunks[c]);
    const Held held{values.first(cuts[c + 1]), all_abs, all_squares, operations};
    if (auto result = check(merged, held); !result)
      return ::testing::AssertionFailure()
             << detail::where("merge left to right", c + 1, cuts[c + 1]) << result.message();
  }
  while (chunks.size() > 1) {
    std::vector<A> next;
    for (std::size_t c = 0; c < chunks.size(); c += 2) {
      next.push_back(chunks[c]);
      if (c + 1 < chunks.size()) next.back().merge(chunks[c + 1]);
    }
    chunks = std::move(next);
  }
  const Held held{values, all_abs, all_squares, operations};
  if (auto result = check(chunks.front(), held); !result)
    return ::testing::AssertionFailure()
           << detail::where("merge as a tree", 0, values.size()) << result.message();
  if (merged.count() != values.size() || chunks.front().count() != values.size())
    return ::testing::AssertionFailure() << "merge: count() is " << merged.count();
  return ::testing::AssertionSuccess();
}

/// A sliding window of `window` values: update the newest, then revert the oldest, checked at
/// every step; then reverted down to empty (checked at every step) and used again.
template <stream::aggregates::RevertibleAggregate A, typename Check>
::testing::AssertionResult check_sliding_window(const A& empty, std::span<const double> values,
                                                std::size_t window, Check&& check) {
  namespace detail = aggregate_properties_detail;
  A aggregate = empty;
  Held held;
  std::size_t begin = 0;
  std::size_t step = 0;
  auto note = [&](std::size_t end) {
    ++held.operations;
    held.values = values.subspan(begin, end - begin);
    held.largest_abs_sum = std::max(held.largest_abs_sum, detail::abs_sum(held.values));
    held.largest_square_sum = std::max(held.largest_square_sum, detail::square_sum(held.values));
  };
  auto verify = [&](const char* property) -> ::testing::AssertionResult {
    if (aggregate.count() != held.values.size())
      return ::testing::AssertionFailure() << detail::where(property, step, held.values.size())
                                           << "count() is " << aggregate.count();
    if (auto result = check(aggregate, held); !result)
      return ::testing::AssertionFailure()
             << detail::where(property, step, held.values.size()) << result.message();
    return ::testing::AssertionSuccess();
  };
  const std::size_t reuse_from = values.size() - std::min<std::size_t>(values.size(), 50);
  for (std::size_t end = 1; end <= reuse_from; ++end, ++step) {
    aggregate.update(values[end - 1]);
    note(end);
    if (end - begin > window) {
      aggregate.revert(values[begin]);
      ++begin;
      note(end);
    }
    if (auto result = verify("sliding window"); !result) return result;
  }
  for (; begin < reuse_from; ++step) {
    aggregate.revert(values[begin]);
    ++begin;
    note(reuse_from);
    if (auto result = verify("reverting to empty"); !result) return result;
  }
  held = Held{};  // empty again: the error bounds start afresh
  for (std::size_t end = reuse_from + 1; end <= values.size(); ++end, ++step) {
    aggregate.update(values[end - 1]);
    note(end);
    if (auto result = verify("reused after empty"); !result) return result;
  }
  return ::testing::AssertionSuccess();
}

/// Save -> load into `empty` at random cut points: the same value and the same saved bytes, then
/// the same values bit for bit as the original under the rest of the stream (with reverts too,
/// when revertible). Every truncation of the saved state fails to load and leaves the target as
/// it was; so does a wrong version.
template <stream::aggregates::Aggregate A>
::testing::AssertionResult check_save_load(const A& empty, std::span<const double> values,
                                           std::uint64_t seed) {
  namespace detail = aggregate_properties_detail;
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 4; ++round) {
    const std::size_t cut = round == 0 ? 0
                                       : static_cast<std::size_t>(uniform_integer(
                                             rng, 0, static_cast<std::int64_t>(values.size())));
    A original = empty;
    for (std::size_t i = 0; i < cut; ++i) original.update(values[i]);
    const std::string bytes = detail::saved(original);

    A restored = empty;
    restored.update(12345.0);  // load must replace what was there
    core::StateReader reader(bytes);
    if (core::Status status = restored.load(reader); !status.is_ok())
      return ::testing::AssertionFailure() << "save/load at " << cut << ": " << status.message();
    if (!reader.at_end())
      return ::testing::AssertionFailure() << "save/load at " << cut << ": bytes left over";
    if (detail::saved(restored) != bytes)
      return ::testing::AssertionFailure() << "save/load at " << cut << ": saves other bytes";
    if (auto same = same_value(restored.value(), original.value()); !same)
      return ::testing::AssertionFailure() << "save/load at " << cut << ": " << same.message();
    if (restored.count() != original.count())
      return ::testing::AssertionFailure() << "save/load at " << cut << ": other count()";

    // The same behaviour afterwards.
    std::size_t oldest = 0;
    for (std::size_t i = cut; i < values.size(); ++i) {
      original.update(values[i]);
      restored.update(values[i]);
      if constexpr (stream::aggregates::RevertibleAggregate<A>) {
        if (i % 3 == 0 && oldest < i) {
          original.revert(values[oldest]);
          restored.revert(values[oldest]);
          ++oldest;
        }
      }
      if (auto same = same_value(restored.value(), original.value()); !same)
        return ::testing::AssertionFailure()
               << "after save/load at " << cut << ", step " << i << ": " << same.message();
    }

    // Truncated state: every length for small states, about 300 of them for large ones.
    A target = empty;
    for (std::size_t i = 0; i < std::min<std::size_t>(values.size(), 100); ++i)
      target.update(values[i]);
    const std::string before = detail::saved(target);
    const std::size_t stride = std::max<std::size_t>(1, bytes.size() / 300);
    for (std::size_t length = 0; length < bytes.size(); length += (length < 64 ? 1 : stride)) {
      core::StateReader truncated(std::string_view(bytes).substr(0, length));
      if (target.load(truncated).is_ok())
        return ::testing::AssertionFailure()
               << "loads state truncated to " << length << " of " << bytes.size() << " bytes";
      if (detail::saved(target) != before)
        return ::testing::AssertionFailure() << "a failed load (" << length << " bytes) changed it";
    }
    std::string wrong_version = bytes;
    wrong_version[0] = static_cast<char>(wrong_version[0] + 1);
    core::StateReader wrong(wrong_version);
    if (target.load(wrong).is_ok())
      return ::testing::AssertionFailure() << "loads a state of another version";
    if (detail::saved(target) != before)
      return ::testing::AssertionFailure() << "a failed load (version) changed it";
  }
  return ::testing::AssertionSuccess();
}

/// Python's math.fsum (J. R. Shewchuk's exact partials): the exact sum of doubles, correctly
/// rounded. The brute force that sums are compared with.
inline double exact_sum(std::span<const double> values) {
  std::vector<double> partials;
  for (double x : values) {
    std::size_t kept = 0;
    for (std::size_t j = 0; j < partials.size(); ++j) {
      double y = partials[j];
      if (std::abs(x) < std::abs(y)) std::swap(x, y);
      const double high = x + y;
      const double low = y - (high - x);
      if (low != 0.0) partials[kept++] = low;
      x = high;
    }
    partials.resize(kept);
    partials.push_back(x);
  }
  if (partials.empty()) return 0.0;
  std::size_t n = partials.size();
  double high = partials[--n];
  double low = 0.0;
  while (n > 0) {
    const double x = high;
    const double y = partials[--n];
    high = x + y;
    low = y - (high - x);
    if (low != 0.0) break;
  }
  // Round half to even across the partials below, as fsum does.
  if (n > 0 && ((low < 0.0 && partials[n - 1] < 0.0) || (low > 0.0 && partials[n - 1] > 0.0))) {
    const double y = low * 2.0;
    const double x = high + y;
    if (y == x - high) high = x;
  }
  return high;
}

/// sum((x - mean)^2), essentially exact: the deviations from the rounded mean split into exact
/// pairs, their squares into exact products, all summed by exact_sum, then corrected for the
/// rounding of the mean.
inline double exact_sum_of_squared_deviations(std::span<const double> values) {
  if (values.empty()) return 0.0;
  const double n = static_cast<double>(values.size());
  const double centre = exact_sum(values) / n;
  std::vector<double> deviations, squares;
  for (const double x : values) {
    const double high = x - centre;
    const double b_part = high - x;
    const double low = (x - (high - b_part)) + (-centre - b_part);  // TwoSum(x, -centre)
    deviations.push_back(high);
    deviations.push_back(low);
    for (const auto& [a, b] :
         {std::pair{high, high}, std::pair{2.0 * high, low}, std::pair{low, low}}) {
      const double product = a * b;
      squares.push_back(product);
      squares.push_back(std::fma(a, b, -product));
    }
  }
  const double offset = exact_sum(deviations);  // n * (mean - centre)
  return exact_sum(squares) - offset * offset / n;
}

}  // namespace streamlearn::testing
