#pragma once

/// DistinctCount: how many distinct values the window holds (`nunique`, River's stats.NUnique),
/// exact while small and a HyperLogLog sketch beyond (P. Flajolet, É. Fusy, O. Gandouet,
/// F. Meunier, "HyperLogLog: the analysis of a near-optimal cardinality estimation algorithm",
/// AofA 2007), with O. Ertl's improved estimator ("New cardinality estimation algorithms for
/// HyperLogLog sketches", 2017), which needs neither bias tables nor a switch to linear counting.
///
/// Inputs are 64-bit hashes: update(std::uint64_t) for a categorical value the caller has hashed,
/// update(double) for a number (its bits, with -0.0 taken as 0.0). Either is mixed again with
/// splitmix64's finalizer, a bijection, so that a weak hash (libstdc++'s std::hash of an integer
/// is the identity) still spreads over the registers, and two distinct inputs never collide. Do
/// not feed both kinds to one aggregate: a number and a hash with the same bits count once.
///
/// Exact up to kExactLimit = 64 distinct inputs: the mixed hashes themselves are kept, so value()
/// is the exact number of distinct inputs. The 65th switches to m = 2^precision one-byte
/// registers (precision 12 by default: m = 4096, 4 KiB) and value() becomes an estimate with a
/// standard error of 1.04 / sqrt(m): 1.6% at precision 12, 0.8% at 14, 3.3% at 10, 6.5% at 8.
/// Mergeable: exact sets unite (staying exact while the union is small), registers take the
/// maximum; merging is order-independent. Not revertible: a register cannot forget.
///
/// Cost: update O(1): a scan of at most 64 hashes while exact, one register write after (the
/// histogram of register values is kept up to date, so value() is O(64) and never O(m)). merge
/// O(m). Memory: 8 bytes per distinct input up to 64, then m + about 300 bytes. Allocates only
/// while the exact set grows and once when it switches. Not thread-safe.
///
///     DistinctCount users;  // or DistinctCount(DistinctCount::Params{.precision = 14})
///     users.update(std::hash<std::string_view>{}(user_id));
///     users.value();

#include <cstdint>
#include <vector>

#include "core/state_io.h"
#include "core/status.h"

namespace streamlearn::stream::aggregates {

class DistinctCount {
 public:
  struct Params {
    /// log2 of the number of registers, in [kMinPrecision, kMaxPrecision].
    std::uint32_t precision = 12;

    bool operator==(const Params&) const = default;
  };
  static constexpr std::uint32_t kMinPrecision = 4;
  static constexpr std::uint32_t kMaxPrecision = 18;
  /// Distinct inputs counted exactly before switching to registers.
  static constexpr std::size_t kExactLimit = 64;
  static constexpr bool kRevertible = false;

  DistinctCount();
  explicit DistinctCount(const Params& params);

  /// Adds a value hashed by the caller.
  void update(std::uint64_t hash);
  /// Adds a number, by its bits.
  void update(double x);
  /// Adds the values of `other`, built with equal Params.
  void merge(const DistinctCount& other);

  /// The number of distinct values: exact while exact(), else the estimate.
  double value() const;
  /// How many values were added (duplicates included).
  std::uint64_t count() const { return count_; }
  /// Whether value() is still exact.
  bool exact() const { return registers_.empty(); }
  /// 1.04 / sqrt(2^precision), the relative standard error once not exact().
  double standard_error() const;
  const Params& params() const { return params_; }

  void save(core::StateWriter& out) const;
  /// Fails, leaving this unchanged, on corrupt state or state saved with another precision.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  void switch_to_registers();
  void add_to_registers(std::uint64_t mixed);
  void rebuild_histogram();

  Params params_;
  std::uint64_t count_ = 0;
  // Mixed hashes of the distinct inputs while exact (at most kExactLimit); empty afterwards.
  std::vector<std::uint64_t> hashes_;
  // 2^precision registers once not exact: each the largest rank seen, 0 .. 65 - precision.
  std::vector<std::uint8_t> registers_;
  // How many registers hold each value 0 .. 65 - precision, kept in step with registers_.
  std::vector<std::uint32_t> histogram_;
};

}  // namespace streamlearn::stream::aggregates
