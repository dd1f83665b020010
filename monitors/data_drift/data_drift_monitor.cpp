#include "monitors/data_drift/data_drift_monitor.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/check.h"
#include "monitors/data_drift/categorical_drift_statistics.h"
#include "monitors/data_drift/numeric_drift_statistics.h"

namespace streamlearn::monitors {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kReferenceVersion = 1;
constexpr std::uint32_t kStateVersion = 1;
// A reference longer than this many events cannot come from a stream (a corrupt state).
constexpr std::uint64_t kMaxReferenceCount = std::uint64_t{1} << 62;
constexpr std::uint64_t kReservoirSeed = 0x5EED'5EED'5EED'5EEDULL;

std::uint64_t split_mix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

const std::vector<std::string>& DataDriftMonitor::statistics(ValueKind kind) {
  static const std::vector<std::string> kNumeric = {"psi", "ks_statistic", "ks_p_value",
                                                    "wasserstein_normalized",
                                                    "jensen_shannon_distance"};
  static const std::vector<std::string> kCategorical = {"chi_square_p_value", "psi",
                                                        "jensen_shannon_distance"};
  return kind == ValueKind::kNumeric ? kNumeric : kCategorical;
}

std::string DataDriftMonitor::default_statistic(ValueKind kind) {
  return kind == ValueKind::kNumeric ? "wasserstein_normalized" : "jensen_shannon_distance";
}

AlertPolicy::Direction DataDriftMonitor::direction_of(std::string_view statistic) {
  return statistic.ends_with("p_value") ? AlertPolicy::Direction::kBelow
                                        : AlertPolicy::Direction::kAbove;
}

double DataDriftMonitor::default_threshold(std::string_view statistic) {
  return statistic.ends_with("p_value") ? 0.05 : 0.1;
}

core::Status DataDriftMonitor::validate(const std::string& monitor, ValueKind kind,
                                        const Params& params) {
  std::vector<std::string> errors;
  const std::string statistic = params.statistic.empty() ? default_statistic(kind) : params.statistic;
  const auto& allowed = statistics(kind);
  if (std::find(allowed.begin(), allowed.end(), statistic) == allowed.end())
    errors.push_back("statistic '" + statistic + "' is not one of the " +
                     (kind == ValueKind::kNumeric ? "numeric" : "categorical") +
                     " statistics: " + join(allowed));
  if (params.reference.amount <= 0) errors.push_back("reference must be longer than 0");
  if (params.window.amount <= 0) errors.push_back("window must be longer than 0");
  const WindowLength step = params.step.is_zero() ? params.window : params.step;
  if (step.unit != params.window.unit)
    errors.push_back("step " + step.describe() + " and window " + params.window.describe() +
                     " must both be event counts or both event-time spans");
  else if (step.amount > 0 && params.window.amount % step.amount != 0)
    errors.push_back("step " + step.describe() + " must divide window " +
                     params.window.describe());
  else if (step.amount > 0 && params.window.amount / step.amount > 1000)
    errors.push_back("window / step must be at most 1000 panes, got " +
                     std::to_string(params.window.amount / step.amount));
  if (params.num_bins < 2) errors.push_back("bins must be at least 2");
  if (params.max_categories < 1) errors.push_back("max_categories must be at least 1");
  if (params.max_reference_samples < 2) errors.push_back("max_reference_samples must be >= 2");
  if (params.policy.consecutive < 1) errors.push_back("consecutive must be at least 1");
  if (errors.empty()) return core::Status::ok();
  std::string message = "monitor '" + monitor + "':";
  for (const std::string& error : errors) message += "\n  " + error;
  return core::Status::error(message);
}

DataDriftMonitor::DataDriftMonitor(std::string monitor, AlertKind alert_kind, std::string feature,
                                   ValueKind kind, Params params)
    : monitor_(std::move(monitor)),
      alert_kind_(alert_kind),
      feature_(std::move(feature)),
      kind_(kind),
      params_(std::move(params)),
      statistic_(params_.statistic.empty() ? default_statistic(kind) : params_.statistic),
      policy_(AlertPolicy::Params{}),
      categorical_reference_(CategoricalHistogram::Params{params_.max_categories}) {
  SL_CHECK(validate(monitor_, kind_, params_).is_ok());
  if (params_.step.is_zero()) params_.step = params_.window;
  AlertPolicy::Params policy = params_.policy;
  if (params_.use_default_threshold) policy.threshold = default_threshold(statistic_);
  policy.direction = direction_of(statistic_);
  policy_ = AlertPolicy(policy);
  restart_reference();
}

void DataDriftMonitor::restart_reference() {
  late_before_restart_ = late_events();
  untimed_before_restart_ = untimed_events();
  reference_complete_ = false;
  reference_bounds_ = WindowBounds{};
  reference_sample_.clear();
  reservoir_state_ = kReservoirSeed;
  categorical_reference_ = CategoricalHistogram(CategoricalHistogram::Params{params_.max_categories});
  numeric_window_.reset();
  categorical_window_.reset();
  policy_.reset();
}

bool DataDriftMonitor::in_reference(std::uint64_t position, std::int64_t time_ms) {
  if (reference_complete_) return false;
  const bool open =
      params_.reference.by_time()
          ? (time_ms == WindowBounds::kNoTime || reference_bounds_.start_time_ms == WindowBounds::kNoTime ||
             time_ms < reference_bounds_.start_time_ms + params_.reference.amount)
          : true;
  if (!open) {
    complete_reference();
    return false;
  }
  reference_bounds_.include(position, time_ms);
  return true;
}

void DataDriftMonitor::complete_reference() {
  reference_complete_ = true;
  if (kind_ == ValueKind::kNumeric) {
    numeric_reference_ = NumericHistogram::from_reference(reference_sample_, params_.num_bins);
    std::vector<double>().swap(reference_sample_);
    numeric_window_.emplace(params_.window, params_.step, numeric_reference_.empty_copy());
  } else {
    categorical_window_.emplace(params_.window, params_.step,
                                CategoricalHistogram::with_categories_of(categorical_reference_));
  }
}

bool DataDriftMonitor::observe_numeric(double x, std::uint64_t position, std::int64_t time_ms,
                                       Alert& alert) {
  SL_CHECK(kind_ == ValueKind::kNumeric);
  if (!std::isfinite(x)) return false;
  if (in_reference(position, time_ms)) {
    const std::uint64_t seen = reference_bounds_.count - 1;
    if (reference_sample_.size() < params_.max_reference_samples) {
      reference_sample_.push_back(x);
    } else {
      const std::uint64_t slot = split_mix64(reservoir_state_) % (seen + 1);
      if (slot < reference_sample_.size()) reference_sample_[slot] = x;
    }
    if (!params_.reference.by_time() &&
        reference_bounds_.count == static_cast<std::uint64_t>(params_.reference.amount))
      complete_reference();
    return false;
  }
  bool fired = false;
  numeric_window_->observe(
      position, time_ms, [&](NumericHistogram& pane) { pane.add(x); },
      [&](const NumericHistogram& current, const WindowBounds& bounds) {
        const NumericDriftStatistics drift(numeric_reference_, current);
        // The KS p-value costs O(window) (SciPy's exact survival sum): computed per window only
        // when it is the watched statistic, else for the evidence of an alert.
        const bool watch_p_value = statistic_ == "ks_p_value";
        last_ = {{"psi", drift.psi()},
                 {"ks_statistic", drift.ks_statistic()},
                 {"ks_p_value", watch_p_value ? drift.ks_p_value() : kNaN},
                 {"wasserstein_normalized", drift.wasserstein_normalized()},
                 {"jensen_shannon_distance", drift.jensen_shannon_distance()}};
        if (!evaluate(bounds, position, time_ms, alert)) return;
        fired = true;
        if (!watch_p_value) last_[2].second = alert.evidence[2].second = drift.ks_p_value();
      });
  return fired;
}

void DataDriftMonitor::track_category(core::SymbolId value) {
  // Every summary of the window tracks the same categories, so one of them answers for all.
  const CategoricalHistogram& window = categorical_window_->any_summary();
  if (window.tracks(value) || window.full()) return;
  categorical_window_->for_each_summary([&](CategoricalHistogram& summary) { summary.track(value); });
}

bool DataDriftMonitor::observe_category(core::SymbolId value, std::uint64_t position,
                                        std::int64_t time_ms, Alert& alert) {
  SL_CHECK(kind_ == ValueKind::kCategorical);
  if (in_reference(position, time_ms)) {
    categorical_reference_.add(value);
    if (!params_.reference.by_time() &&
        reference_bounds_.count == static_cast<std::uint64_t>(params_.reference.amount))
      complete_reference();
    return false;
  }
  track_category(value);
  bool fired = false;
  categorical_window_->observe(
      position, time_ms, [&](CategoricalHistogram& pane) { pane.add(value); },
      [&](const CategoricalHistogram& current, const WindowBounds& bounds) {
        core::Result<CategoricalDriftStatistics> drift =
            CategoricalDriftStatistics::compare(categorical_reference_, current);
        SL_CHECK(drift.is_ok());
        last_ = {{"chi_square_p_value", drift->chi_square_p_value()},
                 {"psi", drift->psi()},
                 {"jensen_shannon_distance", drift->jensen_shannon_distance()}};
        fired = evaluate(bounds, position, time_ms, alert) || fired;
      });
  return fired;
}

bool DataDriftMonitor::evaluate(const WindowBounds& current, std::uint64_t position,
                                std::int64_t time_ms, Alert& alert) {
  ++windows_evaluated_;
  double value = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [name, statistic_value] : last_)
    if (name == statistic_) value = statistic_value;
  if (!policy_.evaluate(value, current.count, position, time_ms)) return false;
  alert.monitor = monitor_;
  alert.kind = alert_kind_;
  alert.feature = feature_;
  alert.statistic = statistic_;
  alert.value = value;
  alert.threshold = policy_.params().threshold;
  alert.has_reference = true;
  alert.reference = reference_bounds_;
  alert.current = current;
  alert.event_time_ms = time_ms;
  alert.evidence = last_;
  return true;
}

void DataDriftMonitor::save_reference(core::StateWriter& out, const CategoryName& name_of) const {
  SL_CHECK(reference_complete_);
  out.write(kReferenceVersion);
  out.write(static_cast<std::uint8_t>(kind_));
  out.write(reference_bounds_);
  if (kind_ == ValueKind::kNumeric) {
    numeric_reference_.save(out);
    return;
  }
  const auto& categories = categorical_reference_.categories();
  out.write(static_cast<std::uint64_t>(categories.size()));
  for (std::size_t i = 0; i < categories.size(); ++i) {
    out.write_string(name_of(categories[i]));
    out.write(categorical_reference_.counts()[i]);
  }
  out.write(categorical_reference_.overflow_count());
}

core::Status DataDriftMonitor::load_reference(core::StateReader& in, const CategoryId& id_of) {
  std::uint8_t kind = 0;
  WindowBounds bounds;
  if (!in.expect_version(kReferenceVersion) || !in.read(kind) || !in.read(bounds))
    return in.status("reference profile of monitor '" + monitor_ + "'");
  if (kind != static_cast<std::uint8_t>(kind_))
    return core::Status::error("reference profile of monitor '" + monitor_ + "' (" + feature_ +
                               ") is for a " + (kind == 0 ? "numeric" : "categorical") +
                               " value, but the values seen are " +
                               (kind_ == ValueKind::kNumeric ? "numeric" : "categorical"));
  if (kind_ == ValueKind::kNumeric) {
    NumericHistogram histogram;
    SL_RETURN_IF_ERROR(histogram.load(in));
    restart_reference();
    numeric_reference_ = std::move(histogram);
    reference_complete_ = true;
    numeric_window_.emplace(params_.window, params_.step, numeric_reference_.empty_copy());
  } else {
    CategoricalHistogram histogram(CategoricalHistogram::Params{params_.max_categories});
    std::uint64_t num_categories = 0;
    if (!in.read(num_categories)) return in.status("reference profile of monitor '" + monitor_ + "'");
    for (std::uint64_t i = 0; i < num_categories; ++i) {
      std::string name;
      std::uint64_t count = 0;
      if (!in.read_string(name) || !in.read(count))
        return in.status("reference profile of monitor '" + monitor_ + "'");
      histogram.add(id_of(name), count);
    }
    std::uint64_t overflow = 0;
    if (!in.read(overflow)) return in.status("reference profile of monitor '" + monitor_ + "'");
    histogram.add_overflow(overflow);
    restart_reference();
    categorical_reference_ = std::move(histogram);
    reference_complete_ = true;
    categorical_window_.emplace(params_.window, params_.step,
                                CategoricalHistogram::with_categories_of(categorical_reference_));
  }
  reference_bounds_ = bounds;
  return core::Status::ok();
}

void DataDriftMonitor::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(static_cast<std::uint8_t>(kind_));
  out.write_string(statistic_);
  out.write_string(settings());
  policy_.save(out);
  out.write_bool(reference_complete_);
  out.write(reference_bounds_);
  out.write_vector(reference_sample_);
  out.write(reservoir_state_);
  if (kind_ == ValueKind::kNumeric) {
    numeric_reference_.save(out);
    out.write_bool(numeric_window_.has_value());
    if (numeric_window_) numeric_window_->save(out);
  } else {
    categorical_reference_.save(out);
    out.write_bool(categorical_window_.has_value());
    if (categorical_window_) categorical_window_->save(out);
  }
  out.write<std::uint64_t>(last_.size());
  for (const auto& [name, value] : last_) {
    out.write_string(name);
    out.write(value);
  }
  out.write(windows_evaluated_);
  out.write(late_before_restart_);
  out.write(untimed_before_restart_);
}

core::Status DataDriftMonitor::load(core::StateReader& in, std::uint64_t num_categories) {
  const std::string what = "data-drift monitor '" + monitor_ + "'" +
                           (feature_.empty() ? "" : " (" + feature_ + ")");
  std::uint8_t kind = 0;
  std::string statistic, saved_settings;
  if (!in.expect_version(kStateVersion) || !in.read(kind) || !in.read_string(statistic) ||
      !in.read_string(saved_settings))
    return in.status(what);
  if (kind != static_cast<std::uint8_t>(kind_) || statistic != statistic_)
    return core::Status::error(what + ": the checkpoint watches " + statistic + " of " +
                               (kind == 0 ? "numeric" : "categorical") + " values, this pipeline " +
                               statistic_ + ": the configuration changed since the checkpoint "
                               "was saved; restore it with the same configuration");
  if (saved_settings != settings())
    return core::Status::error(what + ": the checkpoint was saved with other settings (reference, "
                               "window, step, threshold, policy, bins or categories): the "
                               "configuration changed since the checkpoint was saved; restore it "
                               "with the same configuration");
  DataDriftMonitor loaded = *this;
  SL_RETURN_IF_ERROR(loaded.policy_.load(in));
  bool has_window = false;
  if (!in.read_bool(loaded.reference_complete_) || !in.read(loaded.reference_bounds_) ||
      !in.read_vector(loaded.reference_sample_) || !in.read(loaded.reservoir_state_))
    return in.status(what);
  loaded.numeric_window_.reset();
  loaded.categorical_window_.reset();
  if (kind_ == ValueKind::kNumeric) {
    SL_RETURN_IF_ERROR(loaded.numeric_reference_.load(in));
    if (!in.read_bool(has_window)) return in.status(what);
    if (has_window) {
      loaded.numeric_window_.emplace(params_.window, params_.step,
                                     loaded.numeric_reference_.empty_copy());
      SL_RETURN_IF_ERROR(loaded.numeric_window_->load(in));
    }
  } else {
    SL_RETURN_IF_ERROR(loaded.categorical_reference_.load(in));
    if (!in.read_bool(has_window)) return in.status(what);
    if (has_window) {
      loaded.categorical_window_.emplace(
          params_.window, params_.step,
          CategoricalHistogram::with_categories_of(loaded.categorical_reference_));
      SL_RETURN_IF_ERROR(loaded.categorical_window_->load(in));
    }
  }
  std::uint64_t num_statistics = 0;
  if (!in.read(num_statistics)) return in.status(what);
  loaded.last_.clear();
  for (std::uint64_t i = 0; i < num_statistics; ++i) {
    std::string name;
    double value = 0.0;
    if (i == statistics(kind_).size() || !in.read_string(name) || !in.read(value)) {
      in.fail();
      return in.status(what);
    }
    loaded.last_.emplace_back(std::move(name), value);
  }
  if (!in.read(loaded.windows_evaluated_) || !in.read(loaded.late_before_restart_) ||
      !in.read(loaded.untimed_before_restart_))
    return in.status(what);
  if (!loaded.consistent(num_categories)) {
    in.fail();
    return in.status(what);
  }
  *this = std::move(loaded);
  return core::Status::ok();
}

std::string DataDriftMonitor::settings() const {
  core::StateWriter out;
  params_.reference.save(out);
  params_.window.save(out);
  params_.step.save(out);
  AlertPolicy::save_params(out, policy_.params());
  out.write<std::uint64_t>(params_.num_bins);
  out.write(params_.max_categories);
  out.write<std::uint64_t>(params_.max_reference_samples);
  return out.bytes();
}

bool DataDriftMonitor::consistent(std::uint64_t num_categories) const {
  const bool has_window = numeric_window_ || categorical_window_;
  if (has_window != reference_complete_ || reference_bounds_.count >= kMaxReferenceCount)
    return false;
  const bool by_count = !params_.reference.by_time();
  if (!reference_complete_ && by_count &&
      reference_bounds_.count >= static_cast<std::uint64_t>(params_.reference.amount))
    return false;
  const auto known = [num_categories](const CategoricalHistogram& histogram) {
    for (core::SymbolId id : histogram.categories())
      if (id >= num_categories) return false;
    return true;
  };
  if (kind_ == ValueKind::kNumeric) {
    // The reservoir holds every reference value until it is full (observe_numeric).
    if (!reference_complete_)
      return reference_sample_.size() ==
             std::min<std::uint64_t>(reference_bounds_.count, params_.max_reference_samples);
    // Every summary of the window is binned on the reference's edges (merge and the statistics
    // require it).
    bool same_edges = true;
    numeric_window_->for_each_summary([&](const NumericHistogram& summary) {
      same_edges = same_edges && summary.same_edges(numeric_reference_);
    });
    return same_edges;
  }
  if (!known(categorical_reference_)) return false;
  if (!reference_complete_) return categorical_reference_.total() == reference_bounds_.count;
  // The window's summaries track the same categories (track_category keeps them so), starting
  // with the reference's, and only those once the reference is full: what merge() and
  // CategoricalDriftStatistics::compare() check.
  const CategoricalHistogram& window = categorical_window_->any_summary();
  const auto& reference = categorical_reference_.categories();
  if (!known(window) || window.categories().size() < reference.size() ||
      !std::equal(reference.begin(), reference.end(), window.categories().begin()) ||
      (categorical_reference_.full() &&
       (!window.full() || window.categories().size() != reference.size())))
    return false;
  bool aligned = true;
  categorical_window_->for_each_summary([&](const CategoricalHistogram& summary) {
    aligned = aligned && summary.categories() == window.categories() &&
              summary.full() == window.full();
  });
  return aligned;
}

std::uint64_t DataDriftMonitor::late_events() const {
  std::uint64_t late = late_before_restart_;
  if (numeric_window_) late += numeric_window_->late();
  if (categorical_window_) late += categorical_window_->late();
  return late;
}

std::uint64_t DataDriftMonitor::untimed_events() const {
  std::uint64_t untimed = untimed_before_restart_;
  if (numeric_window_) untimed += numeric_window_->untimed();
  if (categorical_window_) untimed += categorical_window_->untimed();
  return untimed;
}

}  // namespace streamlearn::monitors
