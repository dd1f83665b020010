#include "monitors/drift/adwin.h"

#include <cmath>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::monitors {
namespace {

using core::ParamWriter;

constexpr std::uint32_t kStateVersion = 1;
// A row's storage is allocated up front, so an absurd max_buckets would allocate absurdly.
constexpr std::int64_t kMaxBucketsLimit = 1'000'000;

// Number of values in one bucket of `row`: River's pow(2, row), exact in a double. A window has
// fewer than 2^63 values, so the shift cannot overflow; it is much cheaper than ldexp, which the
// scan would call once per tested split.
double bucket_size(std::size_t row) {
  SL_DCHECK_LT(row, std::size_t{64});
  return static_cast<double>(std::uint64_t{1} << row);
}

}  // namespace

Adwin::Adwin(Params params) : params_(params) {
  SL_CHECK(params_.max_buckets >= 1);
  reset();
}

std::unique_ptr<DriftDetector> Adwin::create(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.delta = reader.number("delta", defaults.delta);
  params.clock = reader.integer("clock", defaults.clock);
  params.max_buckets = reader.integer("max_buckets", defaults.max_buckets);
  params.min_window_length = reader.integer("min_window_length", defaults.min_window_length);
  params.grace_period = reader.integer("grace_period", defaults.grace_period);
  if (!(params.delta > 0.0 && params.delta < 1.0)) {
    reader.reject("delta",
                  "must be in (0, 1), e.g. 0.002; got " + ParamWriter::format_number(params.delta));
    params.delta = defaults.delta;
  }
  if (params.clock < 1) {
    reader.reject("clock", "must be an integer >= 1 (1 tests every update); got " +
                               std::to_string(params.clock));
    params.clock = defaults.clock;
  }
  if (params.max_buckets < 1 || params.max_buckets > kMaxBucketsLimit) {
    reader.reject("max_buckets", "must be an integer in [1, " + std::to_string(kMaxBucketsLimit) +
                                     "]; got " + std::to_string(params.max_buckets));
    params.max_buckets = defaults.max_buckets;
  }
  if (params.min_window_length < 1) {
    reader.reject("min_window_length",
                  "must be an integer >= 1; got " + std::to_string(params.min_window_length));
    params.min_window_length = defaults.min_window_length;
  }
  if (params.grace_period < 0) {
    reader.reject("grace_period",
                  "must be an integer >= 0; got " + std::to_string(params.grace_period));
    params.grace_period = defaults.grace_period;
  }
  return std::make_unique<Adwin>(params);
}

std::string Adwin::describe() const {
  const Params defaults;
  ParamWriter writer("adwin");
  writer.number("delta", params_.delta, defaults.delta);
  writer.integer("clock", params_.clock, defaults.clock);
  writer.integer("max_buckets", params_.max_buckets, defaults.max_buckets);
  writer.integer("min_window_length", params_.min_window_length, defaults.min_window_length);
  writer.integer("grace_period", params_.grace_period, defaults.grace_period);
  return writer.expression();
}

std::unique_ptr<DriftDetector> Adwin::clone() const { return std::make_unique<Adwin>(params_); }

void Adwin::reset() {
  for (std::size_t row = 0; row < num_rows_; ++row) rows_[row].clear();
  num_rows_ = 0;
  add_row();
  width_ = 0.0;
  total_ = 0.0;
  variance_ = 0.0;
  tick_ = 0;
  drift_detected_ = false;
}

AdwinBucketRow& Adwin::add_row() {
  // One bucket more than max_buckets: a row overflows by one before it is merged.
  if (num_rows_ == rows_.size())
    rows_.emplace_back(static_cast<std::size_t>(params_.max_buckets) + 1);
  AdwinBucketRow& row = rows_[num_rows_++];
  row.clear();
  return row;
}

void Adwin::update(double x) {
  if (drift_detected_) reset();
  insert(x);
  drift_detected_ = detect_change();
}

void Adwin::insert(double x) {
  rows_[0].push(x, 0.0);
  width_ += 1.0;
  double incremental_variance = 0.0;
  if (width_ > 1.0) {
    // River's expression, evaluated left to right exactly as written there.
    incremental_variance =
        (width_ - 1.0) * (x - total_ / (width_ - 1.0)) * (x - total_ / (width_ - 1.0)) / width_;
  }
  variance_ += incremental_variance;
  total_ += x;
  merge_full_rows();
}

void Adwin::merge_full_rows() {
  const auto full = static_cast<std::size_t>(params_.max_buckets) + 1;
  for (std::size_t row = 0; row < num_rows_; ++row) {
    if (rows_[row].size() != full) break;
    if (row + 1 == num_rows_) add_row();  // before taking references: it may reallocate rows_
    AdwinBucketRow& bucket = rows_[row];
    AdwinBucketRow& next = rows_[row + 1];
    const double n1 = bucket_size(row);
    const double n2 = bucket_size(row);
    const double mu1 = bucket.total(0) / n1;
    const double mu2 = bucket.total(1) / n2;
    const double total12 = bucket.total(0) + bucket.total(1);
    const double between = n1 * n2 * (mu1 - mu2) * (mu1 - mu2) / (n1 + n2);
    const double variance12 = bucket.variance(0) + bucket.variance(1) + between;
    next.push(total12, variance12);
    bucket.drop_oldest(2);
    if (next.size() <= static_cast<std::size_t>(params_.max_buckets)) break;
  }
}

double Adwin::drop_oldest_bucket() {
  AdwinBucketRow& last = rows_[num_rows_ - 1];
  const double n = bucket_size(num_rows_ - 1);
  const double u = last.total(0);
  const double mu = u / n;
  const double v = last.variance(0);
  width_ -= n;
  total_ -= u;
  const double mu_window = total_ / width_;
  const double incremental_variance =
      v + n * width_ * (mu - mu_window) * (mu - mu_window) / (n + width_);
  variance_ -= incremental_variance;
  last.drop_oldest(1);
  if (last.empty()) --num_rows_;
  return n;
}

bool Adwin::detect_change() {
  bool change_detected = false;
  ++tick_;
  if (tick_ % params_.clock != 0 || !(width_ > static_cast<double>(params_.grace_period)))
    return false;
  const auto min_length = static_cast<double>(params_.min_window_length);
  bool reduce_width = true;
  while (reduce_width) {
    reduce_width = false;
    // The terms of the bound that depend on the whole window only, computed once per pass over
    // the buckets (width_ and variance_ change only when a bucket is dropped, which starts a new
    // pass) rather than once per tested split as River does; the same expressions give the same
    // doubles.
    const CutBound bound = cut_bound();
    bool done = false;
    double n0 = 0.0;  // length of W0, the older side of the split
    double n1 = width_;
    double u0 = 0.0;  // total of W0
    double u1 = total_;
    // Oldest row first, oldest bucket first. River's loop ends one bucket short in every row, and
    // so its "last bucket of row 0" exit never fires: the scan just runs out.
    for (std::size_t row = num_rows_; row-- > 0 && !done;) {
      const AdwinBucketRow& bucket = rows_[row];
      const double size = bucket_size(row);
      for (std::size_t k = 0; k + 1 < bucket.size(); ++k) {
        n0 += size;
        n1 -= size;
        u0 += bucket.total(k);
        u1 -= bucket.total(k);
        const double delta_mean = (u0 / n0) - (u1 / n1);
        if (n1 >= min_length && n0 >= min_length && cut_is_significant(bound, n0, n1, delta_mean)) {
          reduce_width = true;
          change_detected = true;
          if (width_ > 0.0) {
            drop_oldest_bucket();  // may retire the last row: rescan from the start
            done = true;
            break;
          }
        }
      }
    }
  }
  return change_detected;
}

Adwin::CutBound Adwin::cut_bound() const {
  return {.delta_prime = std::log(2.0 * std::log(width_) / params_.delta),
          .variance_in_window = variance_ / width_};
}

bool Adwin::cut_is_significant(const CutBound& bound, double n0, double n1,
                               double delta_mean) const {
  const auto min_length = static_cast<double>(params_.min_window_length);
  const double m_recip = (1.0 / (n0 - min_length + 1.0)) + (1.0 / (n1 - min_length + 1.0));
  const double epsilon = std::sqrt(2.0 * m_recip * bound.variance_in_window * bound.delta_prime) +
                         2.0 / 3.0 * bound.delta_prime * m_recip;
  return std::fabs(delta_mean) > epsilon;
}

void Adwin::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write_bool(drift_detected_);
  out.write(tick_);
  out.write(width_);
  out.write(total_);
  out.write(variance_);
  out.write<std::uint64_t>(num_rows_);
  for (std::size_t row = 0; row < num_rows_; ++row) rows_[row].save(out);
}

core::Status Adwin::load(core::StateReader& in) {
  Adwin restored(params_);
  std::uint64_t num_rows = 0;
  if (in.expect_version(kStateVersion) && in.read_bool(restored.drift_detected_) &&
      in.read(restored.tick_) && in.read(restored.width_) && in.read(restored.total_) &&
      in.read(restored.variance_) && in.read(num_rows)) {
    // A window of 2^63 values would need 63 rows; more means a corrupt buffer.
    bool consistent = num_rows >= 1 && num_rows <= 64;
    for (std::uint64_t row = 0; consistent && row < num_rows; ++row) {
      AdwinBucketRow& bucket = row == 0 ? restored.rows_[0] : restored.add_row();
      consistent =
          bucket.load(in) && bucket.size() <= static_cast<std::size_t>(params_.max_buckets);
    }
    // The buckets must account for exactly the saved width, and the newest row is never empty
    // except in a window that has seen nothing yet.
    double counted = 0.0;
    for (std::size_t row = 0; consistent && row < restored.num_rows_; ++row)
      counted += static_cast<double>(restored.rows_[row].size()) * bucket_size(row);
    consistent = consistent && counted == restored.width_ &&
                 (restored.num_rows_ == 1 || !restored.rows_[restored.num_rows_ - 1].empty());
    if (consistent) {
      *this = std::move(restored);
      return core::Status::ok();
    }
    in.fail();
  }
  return in.status("adwin");
}

}  // namespace streamlearn::monitors
