#include "stream/model_monitor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "monitors/drift/drift_detector_registry.h"

namespace streamlearn::stream {
namespace {

using monitors::DataDriftMonitor;
using ValueKind = monitors::DataDriftMonitor::ValueKind;

std::int64_t wall_time_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

core::Status ModelMonitor::validate(const Params& params, bool classification) {
  std::vector<std::string> errors;
  const auto check = [&](core::Status status) {
    if (!status) errors.push_back(status.message());
  };
  if (!params.drift_detector.empty()) {
    auto detector = monitors::DriftDetectorRegistry::builtin().build(params.drift_detector);
    if (!detector) errors.push_back(detector.status().message());
  }
  for (const NamedPerformance& performance : params.performance)
    check(monitors::PerformanceMonitor::validate(performance.name, classification,
                                                 performance.params));
  if (params.feature_drift) {
    // The kind of a feature is known only from its values: check the params for both kinds,
    // except the statistic, which must fit one of them.
    const DataDriftMonitor::Params& drift = params.feature_drift->params;
    if (drift.statistic.empty()) {
      check(DataDriftMonitor::validate("feature_drift", ValueKind::kNumeric, drift));
    } else {
      core::Status numeric = DataDriftMonitor::validate("feature_drift", ValueKind::kNumeric, drift);
      core::Status categorical =
          DataDriftMonitor::validate("feature_drift", ValueKind::kCategorical, drift);
      if (!numeric && !categorical) check(numeric);
    }
    if (params.feature_drift->max_features < 1)
      errors.push_back("feature_drift: max_features must be at least 1");
  }
  const ValueKind target_kind = classification ? ValueKind::kCategorical : ValueKind::kNumeric;
  if (params.prediction_drift)
    check(DataDriftMonitor::validate("prediction_drift", target_kind, *params.prediction_drift));
  if (params.label_drift)
    check(DataDriftMonitor::validate("label_drift", target_kind, *params.label_drift));
  if (errors.empty()) return core::Status::ok();
  std::string message = "invalid monitoring settings:";
  for (const std::string& error : errors) message += "\n  " + error;
  return core::Status::error(message);
}

core::Result<std::unique_ptr<ModelMonitor>> ModelMonitor::create(Params params,
                                                                 bool classification,
                                                                 std::string target,
                                                                 core::FeatureSpace& features) {
  SL_RETURN_IF_ERROR(validate(params, classification));
  return std::unique_ptr<ModelMonitor>(
      new ModelMonitor(std::move(params), classification, std::move(target), features));
}

ModelMonitor::ModelMonitor(Params params, bool classification, std::string target,
                           core::FeatureSpace& features)
    : params_(std::move(params)),
      classification_(classification),
      target_(std::move(target)),
      features_(features),
      wall_clock_(&wall_time_ms) {
  concept_ = concept_monitor_of(params_);
  for (const NamedPerformance& performance : params_.performance) {
    performance_monitors_.emplace_back(performance.name, performance.params);
    needs_log_loss_ |= performance_monitors_.back().quantity() ==
                       monitors::PerformanceMonitor::Quantity::kLogLoss;
  }
  const ValueKind target_kind = classification_ ? ValueKind::kCategorical : ValueKind::kNumeric;
  if (params_.prediction_drift)
    prediction_monitor_.emplace("prediction_drift", monitors::AlertKind::kPrediction, "",
                                target_kind, *params_.prediction_drift);
  if (params_.label_drift)
    label_monitor_.emplace("label_drift", monitors::AlertKind::kData, target_, target_kind,
                           *params_.label_drift);
  if (params_.feature_drift) {
    for (const std::string& name : params_.feature_drift->features) {
      const core::FeatureId id = features_.feature(name);
      if (id >= slot_of_feature_.size()) slot_of_feature_.resize(id + 1, kUnwatched);
      slot_of_feature_[id] = kUndecided;
    }
  }
}

std::unique_ptr<monitors::ConceptDriftMonitor> ModelMonitor::concept_monitor_of(
    const Params& params) const {
  if (params.drift_detector.empty()) return nullptr;
  return std::make_unique<monitors::ConceptDriftMonitor>(
      "concept_drift",
      std::move(monitors::DriftDetectorRegistry::builtin().build(params.drift_detector).value()),
      params.concept_policy);
}

DataDriftMonitor ModelMonitor::feature_monitor(std::string feature, ValueKind kind) const {
  // A statistic given for one kind only leaves features of the other kind to its default.
  DataDriftMonitor::Params drift = params_.feature_drift->params;
  if (!DataDriftMonitor::validate("feature_drift", kind, drift)) drift.statistic.clear();
  return DataDriftMonitor("feature_drift", monitors::AlertKind::kData, std::move(feature), kind,
                          drift);
}

std::vector<std::pair<std::string, monitors::AlertKind>> ModelMonitor::alerting_monitors() const {
  std::vector<std::pair<std::string, monitors::AlertKind>> monitors;
  if (concept_) monitors.emplace_back(concept_->monitor(), monitors::AlertKind::kConcept);
  for (const monitors::PerformanceMonitor& performance : performance_monitors_)
    monitors.emplace_back(performance.monitor(), monitors::AlertKind::kPerformance);
  if (params_.feature_drift) monitors.emplace_back("feature_drift", monitors::AlertKind::kData);
  if (prediction_monitor_)
    monitors.emplace_back(prediction_monitor_->monitor(), monitors::AlertKind::kPrediction);
  if (label_monitor_) monitors.emplace_back(label_monitor_->monitor(), monitors::AlertKind::kData);
  return monitors;
}

std::int32_t ModelMonitor::feature_slot(core::FeatureId id, ValueKind kind) {
  if (id >= slot_of_feature_.size()) {
    const bool all = params_.feature_drift->features.empty();
    slot_of_feature_.resize(id + 1, all ? kUndecided : kUnwatched);
  }
  std::int32_t& slot = slot_of_feature_[id];
  if (slot == kUndecided) {
    if (feature_monitors_.size() >= params_.feature_drift->max_features) {
      slot = kUnwatched;
      ++features_over_cap_;
      return slot;
    }
    slot = static_cast<std::int32_t>(feature_monitors_.size());
    feature_monitors_.push_back(feature_monitor(features_.feature_name(id), kind));
    return slot;
  }
  if (slot >= 0 && feature_monitors_[static_cast<std::size_t>(slot)].value_kind() != kind) {
    ++kind_mismatches_;
    return kUnwatched;
  }
  return slot;
}

void ModelMonitor::observe_features(const core::FeatureVector& x, std::uint64_t position,
                                    std::int64_t time_ms) {
  if (!params_.feature_drift) return;
  for (const core::NumericFeature& feature : x.numeric()) {
    const std::int32_t slot = feature_slot(feature.id, ValueKind::kNumeric);
    if (slot < 0) continue;
    if (feature_monitors_[static_cast<std::size_t>(slot)].observe_numeric(feature.value, position,
                                                                          time_ms, scratch_))
      publish(scratch_);
  }
  for (const core::CategoricalFeature& feature : x.categorical()) {
    const std::int32_t slot = feature_slot(feature.id, ValueKind::kCategorical);
    if (slot < 0) continue;
    if (feature_monitors_[static_cast<std::size_t>(slot)].observe_category(feature.value, position,
                                                                           time_ms, scratch_))
      publish(scratch_);
  }
}

void ModelMonitor::observe_target(DataDriftMonitor& monitor, const core::Target& value,
                                  std::uint64_t position, std::int64_t time_ms) {
  bool fired = false;
  if (value.is_class())
    fired = monitor.observe_category(value.class_id, position, time_ms, scratch_);
  else if (value.kind == core::Target::Kind::kValue)
    fired = monitor.observe_numeric(value.value, position, time_ms, scratch_);
  if (fired) publish(scratch_);
}

void ModelMonitor::observe_prediction(const core::Target& prediction, std::uint64_t position,
                                      std::int64_t time_ms) {
  if (prediction_monitor_) observe_target(*prediction_monitor_, prediction, position, time_ms);
}

void ModelMonitor::observe_label(const core::Target& label, std::uint64_t position,
                                 std::int64_t time_ms) {
  if (label_monitor_) observe_target(*label_monitor_, label, position, time_ms);
}

monitors::ConceptDriftMonitor::Signal ModelMonitor::observe_outcome(const Outcome& outcome,
                                                                    std::uint64_t position,
                                                                    std::int64_t time_ms) {
  for (monitors::PerformanceMonitor& monitor : performance_monitors_) {
    double quantity = 0.0;
    switch (monitor.quantity()) {
      case monitors::PerformanceMonitor::Quantity::kCorrect:
        quantity = 1.0 - outcome.error;
        break;
      case monitors::PerformanceMonitor::Quantity::kLogLoss:
        quantity = outcome.log_loss;
        break;
      case monitors::PerformanceMonitor::Quantity::kAbsoluteError:
        quantity = outcome.error;
        break;
      case monitors::PerformanceMonitor::Quantity::kSquaredError:
        quantity = outcome.squared_error;
        break;
    }
    if (monitor.observe(quantity, position, time_ms, scratch_)) publish(scratch_);
  }
  if (!concept_) return {};
  monitors::ConceptDriftMonitor::Signal signal =
      concept_->observe(outcome.error, position, time_ms, concept_alert_);
  if (signal.drift) drift_positions_.push_back(position);
  concept_alert_pending_ = signal.alert;
  return signal;
}

void ModelMonitor::publish_concept_alert(std::string_view model_action,
                                         std::uint64_t new_version) {
  if (!concept_alert_pending_) return;
  concept_alert_pending_ = false;
  concept_alert_.model_action = std::string(model_action);
  concept_alert_.new_model_version = new_version;
  publish(concept_alert_);
}

void ModelMonitor::publish_promotion_alert(monitors::Alert& alert) {
  alert.kind = monitors::AlertKind::kPromotion;
  alert.model_action = "promotion";
  publish(alert);
}

void ModelMonitor::model_replaced(std::uint64_t version) {
  model_version_ = version;
  for (DataDriftMonitor& monitor : feature_monitors_) monitor.restart_reference();
  if (prediction_monitor_) prediction_monitor_->restart_reference();
  if (label_monitor_) label_monitor_->restart_reference();
  for (monitors::PerformanceMonitor& monitor : performance_monitors_) monitor.restart_reference();
}

void ModelMonitor::publish(monitors::Alert& alert) {
  ++alerts_fired_;
  alert.pipeline = params_.pipeline;
  alert.id = params_.pipeline + "/" + alert.monitor + "/" + std::to_string(alerts_fired_);
  alert.wall_time_ms = wall_clock_();
  alert.model_version = model_version_;
  if (alert.kind != monitors::AlertKind::kConcept &&
      alert.kind != monitors::AlertKind::kPromotion) {
    alert.new_model_version = model_version_;
    alert.model_action = "none";
  }
  for (monitors::AlertSink* sink : sinks_) sink->publish(alert);
  if (kept_alerts_.size() < kMaxKeptAlerts) kept_alerts_.push_back(alert);
}

namespace {

constexpr std::string_view kProfileMagic = "streamlearn reference profile";
constexpr std::uint32_t kProfileVersion = 1;

}  // namespace

core::Result<std::string> ModelMonitor::save_reference_profile() const {
  std::vector<const DataDriftMonitor*> complete;
  for (const DataDriftMonitor* monitor : data_drift_monitors())
    if (monitor->has_reference()) complete.push_back(monitor);
  if (complete.empty())
    return core::Status::error(
        "no reference profile to save: no data-drift monitor has a complete reference window "
        "(monitor features, predictions or labels, and feed at least `reference` events)");
  core::StateWriter out;
  out.write_string(kProfileMagic);
  out.write(kProfileVersion);
  out.write(static_cast<std::uint64_t>(complete.size()));
  for (const DataDriftMonitor* monitor : complete) {
    const bool on_feature = monitor->monitor() == "feature_drift";
    if (!on_feature && monitor->value_kind() == ValueKind::kCategorical && classes_ == nullptr)
      return core::Status::error("reference profile: class names are needed for " +
                                 monitor->monitor());
    out.write_string(monitor->monitor());
    out.write_string(monitor->feature());
    monitor->save_reference(out, [&](core::SymbolId id) {
      return on_feature ? features_.value_text(id) : classes_->name(id);
    });
  }
  return out.bytes();
}

core::Status ModelMonitor::load_reference_profile(std::string_view bytes) {
  core::StateReader in(bytes);
  std::string magic;
  std::uint32_t version = 0;
  std::uint64_t count = 0;
  if (!in.read_string(magic) || magic != kProfileMagic)
    return core::Status::error("not a streamlearn reference profile (save one with "
                               "`evaluate --save-reference PATH`)");
  if (!in.read(version) || version != kProfileVersion)
    return core::Status::error("reference profile version " + std::to_string(version) +
                               " is not " + std::to_string(kProfileVersion) +
                               ": save it again with this build");
  if (!in.read(count)) return in.status("reference profile");
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string name, feature;
    if (!in.read_string(name) || !in.read_string(feature)) return in.status("reference profile");
    DataDriftMonitor* monitor = nullptr;
    bool on_feature = false;
    if (name == "feature_drift" && params_.feature_drift) {
      // The kind is in the entry; peek at it by loading into a monitor created for either kind.
      const core::FeatureId id = features_.feature(feature);
      if (id >= slot_of_feature_.size())
        slot_of_feature_.resize(id + 1, params_.feature_drift->features.empty() ? kUndecided
                                                                                 : kUnwatched);
      core::StateReader peek = in;
      std::uint32_t entry_version = 0;
      std::uint8_t kind = 0;
      if (!peek.read(entry_version) || !peek.read(kind) || kind > 1)
        return in.status("reference profile");
      if (slot_of_feature_[id] < 0) slot_of_feature_[id] = kUndecided;
      const std::int32_t slot = feature_slot(id, static_cast<ValueKind>(kind));
      if (slot < 0)
        return core::Status::error("reference profile: feature '" + feature +
                                   "' cannot be monitored (max_features reached, or its values are "
                                   "of the other kind)");
      monitor = &feature_monitors_[static_cast<std::size_t>(slot)];
      on_feature = true;
    } else if (name == "prediction_drift" && prediction_monitor_) {
      monitor = &*prediction_monitor_;
    } else if (name == "label_drift" && label_monitor_) {
      monitor = &*label_monitor_;
    } else {
      return core::Status::error("reference profile has an entry for " + name +
                                 (feature.empty() ? "" : " (" + feature + ")") +
                                 ", which this pipeline does not monitor: enable it, or save the "
                                 "profile again");
    }
    if (!on_feature && monitor->value_kind() == ValueKind::kCategorical && classes_ == nullptr)
      return core::Status::error("reference profile: class names are needed for " + name);
    SL_RETURN_IF_ERROR(monitor->load_reference(in, [&](std::string_view text) {
      return on_feature ? features_.value(text) : classes_->intern(text);
    }));
  }
  if (!in.at_end()) return core::Status::error("reference profile: trailing bytes (corrupt file)");
  return core::Status::ok();
}

std::vector<const monitors::DataDriftMonitor*> ModelMonitor::data_drift_monitors() const {
  std::vector<const DataDriftMonitor*> monitors;
  for (const DataDriftMonitor& monitor : feature_monitors_) monitors.push_back(&monitor);
  if (prediction_monitor_) monitors.push_back(&*prediction_monitor_);
  if (label_monitor_) monitors.push_back(&*label_monitor_);
  return monitors;
}

namespace {

constexpr std::uint32_t kStateVersion = 1;

void write_alert(core::StateWriter& out, const monitors::Alert& alert) {
  out.write_string(alert.id);
  out.write(alert.event_time_ms);
  out.write(alert.wall_time_ms);
  out.write_string(alert.pipeline);
  out.write_string(alert.monitor);
  out.write(static_cast<std::uint8_t>(alert.kind));
  out.write_string(alert.feature);
  out.write_string(alert.statistic);
  out.write(alert.value);
  out.write(alert.threshold);
  out.write_bool(alert.has_reference);
  out.write(alert.reference);
  out.write(alert.current);
  out.write(alert.model_version);
  out.write(alert.new_model_version);
  out.write_string(alert.model_action);
  out.write<std::uint64_t>(alert.evidence.size());
  for (const auto& [name, value] : alert.evidence) {
    out.write_string(name);
    out.write(value);
  }
}

bool read_alert(core::StateReader& in, monitors::Alert& alert) {
  std::uint8_t kind = 0;
  std::uint64_t num_evidence = 0;
  if (!in.read_string(alert.id) || !in.read(alert.event_time_ms) ||
      !in.read(alert.wall_time_ms) || !in.read_string(alert.pipeline) ||
      !in.read_string(alert.monitor) || !in.read(kind) || !in.read_string(alert.feature) ||
      !in.read_string(alert.statistic) || !in.read(alert.value) || !in.read(alert.threshold) ||
      !in.read_bool(alert.has_reference) || !in.read(alert.reference) ||
      !in.read(alert.current) || !in.read(alert.model_version) ||
      !in.read(alert.new_model_version) || !in.read_string(alert.model_action) ||
      !in.read(num_evidence))
    return false;
  if (kind > static_cast<std::uint8_t>(monitors::AlertKind::kPromotion)) return in.fail();
  alert.kind = static_cast<monitors::AlertKind>(kind);
  alert.evidence.clear();
  for (std::uint64_t i = 0; i < num_evidence; ++i) {
    std::string name;
    double value = 0.0;
    if (!in.read_string(name) || !in.read(value)) return false;
    alert.evidence.emplace_back(std::move(name), value);
  }
  return true;
}

std::string configuration_changed(std::string_view what) {
  return "model monitor: " + std::string(what) +
         ": the configuration changed since the checkpoint was saved; restore it with the same "
         "monitoring settings, or start without it";
}

}  // namespace

void ModelMonitor::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  // What is monitored, so that load() tells a changed configuration from a corrupt state.
  out.write_bool(classification_);
  out.write_bool(concept_ != nullptr);
  out.write<std::uint64_t>(performance_monitors_.size());
  out.write_bool(params_.feature_drift.has_value());
  out.write_bool(prediction_monitor_.has_value());
  out.write_bool(label_monitor_.has_value());
  out.write_string(feature_drift_settings());

  out.write(model_version_);
  out.write_vector(slot_of_feature_);
  out.write<std::uint64_t>(feature_monitors_.size());
  for (const DataDriftMonitor& monitor : feature_monitors_) {
    out.write_string(monitor.feature());
    out.write(static_cast<std::uint8_t>(monitor.value_kind()));
    monitor.save(out);
  }
  if (prediction_monitor_) prediction_monitor_->save(out);
  if (label_monitor_) label_monitor_->save(out);
  for (const monitors::PerformanceMonitor& monitor : performance_monitors_) monitor.save(out);
  if (concept_) concept_->save(out);
  out.write_bool(concept_alert_pending_);
  if (concept_alert_pending_) write_alert(out, concept_alert_);
  out.write_vector(drift_positions_);
  out.write<std::uint64_t>(kept_alerts_.size());
  for (const monitors::Alert& alert : kept_alerts_) write_alert(out, alert);
  out.write(alerts_fired_);
  out.write(kind_mismatches_);
  out.write(features_over_cap_);
}

core::Status ModelMonitor::load(core::StateReader& in) {
  constexpr std::string_view kWhat = "model monitor";
  bool classification = false, has_concept = false, has_feature_drift = false,
       has_prediction_drift = false, has_label_drift = false;
  std::uint64_t num_performance = 0;
  std::string feature_drift;
  if (!in.expect_version(kStateVersion) || !in.read_bool(classification) ||
      !in.read_bool(has_concept) || !in.read(num_performance) ||
      !in.read_bool(has_feature_drift) || !in.read_bool(has_prediction_drift) ||
      !in.read_bool(has_label_drift) || !in.read_string(feature_drift))
    return in.status(kWhat);
  if (classification != classification_)
    return core::Status::error(configuration_changed("the task (classification or regression)"));
  if (has_concept != (concept_ != nullptr) || num_performance != performance_monitors_.size() ||
      has_feature_drift != params_.feature_drift.has_value() ||
      has_prediction_drift != prediction_monitor_.has_value() ||
      has_label_drift != label_monitor_.has_value())
    return core::Status::error(configuration_changed("the monitors configured"));
  if (feature_drift != feature_drift_settings())
    return core::Status::error(
        configuration_changed("the features watched for drift (features, max_features)"));

  // Everything is loaded beside the current state and swapped in at the end: a failure leaves
  // this monitor as it was.
  std::uint64_t model_version = 0;
  std::vector<std::int32_t> slots;
  std::uint64_t num_feature_monitors = 0;
  if (!in.read(model_version) || !in.read_vector(slots) || !in.read(num_feature_monitors))
    return in.status(kWhat);
  if (slots.size() > features_.num_features())
    return core::Status::error(
        "model monitor: the checkpoint watches features up to id " +
        std::to_string(slots.size() - 1) + " but the feature space has " +
        std::to_string(features_.num_features()) +
        " names: restore the FeatureSpace before the monitor");
  if (model_version == 0 ||
      num_feature_monitors > (params_.feature_drift ? params_.feature_drift->max_features : 0)) {
    in.fail();
    return in.status(kWhat);
  }
  const std::uint64_t num_values = features_.num_values();
  const std::uint64_t num_classes =
      classes_ != nullptr ? classes_->size() : std::numeric_limits<std::uint64_t>::max();
  std::vector<DataDriftMonitor> feature_monitors;
  for (std::uint64_t i = 0; i < num_feature_monitors; ++i) {
    std::string feature;
    std::uint8_t kind = 0;
    if (!in.read_string(feature) || !in.read(kind)) return in.status(kWhat);
    if (kind > static_cast<std::uint8_t>(ValueKind::kCategorical)) {
      in.fail();
      return in.status(kWhat);
    }
    feature_monitors.push_back(feature_monitor(std::move(feature), static_cast<ValueKind>(kind)));
    SL_RETURN_IF_ERROR(feature_monitors.back().load(in, num_values));
  }
  if (!slots_consistent(slots, feature_monitors)) {
    in.fail();
    return in.status(kWhat);
  }
  std::optional<DataDriftMonitor> prediction_monitor = prediction_monitor_;
  if (prediction_monitor) SL_RETURN_IF_ERROR(prediction_monitor->load(in, num_classes));
  std::optional<DataDriftMonitor> label_monitor = label_monitor_;
  if (label_monitor) SL_RETURN_IF_ERROR(label_monitor->load(in, num_classes));
  std::vector<monitors::PerformanceMonitor> performance_monitors = performance_monitors_;
  for (monitors::PerformanceMonitor& monitor : performance_monitors)
    SL_RETURN_IF_ERROR(monitor.load(in));
  std::unique_ptr<monitors::ConceptDriftMonitor> concept_drift = concept_monitor_of(params_);
  if (concept_drift) SL_RETURN_IF_ERROR(concept_drift->load(in));
  bool concept_alert_pending = false;
  monitors::Alert concept_alert;
  std::vector<std::uint64_t> drift_positions;
  std::uint64_t num_kept = 0;
  if (!in.read_bool(concept_alert_pending) ||
      (concept_alert_pending && !read_alert(in, concept_alert)) ||
      !in.read_vector(drift_positions) || !in.read(num_kept))
    return in.status(kWhat);
  if (num_kept > kMaxKeptAlerts || (concept_alert_pending && !concept_drift)) {
    in.fail();
    return in.status(kWhat);
  }
  std::vector<monitors::Alert> kept_alerts(num_kept);
  for (monitors::Alert& alert : kept_alerts)
    if (!read_alert(in, alert)) return in.status(kWhat);
  std::uint64_t alerts_fired = 0, kind_mismatches = 0, features_over_cap = 0;
  if (!in.read(alerts_fired) || !in.read(kind_mismatches) || !in.read(features_over_cap))
    return in.status(kWhat);
  if (alerts_fired < num_kept) {
    in.fail();
    return in.status(kWhat);
  }

  model_version_ = model_version;
  slot_of_feature_ = std::move(slots);
  feature_monitors_ = std::move(feature_monitors);
  prediction_monitor_ = std::move(prediction_monitor);
  label_monitor_ = std::move(label_monitor);
  performance_monitors_ = std::move(performance_monitors);
  concept_ = std::move(concept_drift);
  concept_alert_pending_ = concept_alert_pending;
  concept_alert_ = std::move(concept_alert);
  drift_positions_ = std::move(drift_positions);
  kept_alerts_ = std::move(kept_alerts);
  alerts_fired_ = alerts_fired;
  kind_mismatches_ = kind_mismatches;
  features_over_cap_ = features_over_cap;
  return core::Status::ok();
}

std::string ModelMonitor::feature_drift_settings() const {
  core::StateWriter out;
  if (!params_.feature_drift) return out.bytes();
  out.write<std::uint64_t>(params_.feature_drift->max_features);
  out.write<std::uint64_t>(params_.feature_drift->features.size());
  for (const std::string& feature : params_.feature_drift->features) out.write_string(feature);
  return out.bytes();
}

bool ModelMonitor::slots_consistent(const std::vector<std::int32_t>& slots,
                                    const std::vector<DataDriftMonitor>& monitors) const {
  // Slots are indexed by FeatureId, and every monitor is the one of exactly one feature, the one
  // its name says in the (restored) feature space.
  std::vector<bool> claimed(monitors.size(), false);
  for (std::size_t id = 0; id < slots.size(); ++id) {
    const std::int32_t slot = slots[id];
    if (slot == kUnwatched || slot == kUndecided) continue;
    if (slot < 0 || static_cast<std::size_t>(slot) >= monitors.size()) return false;
    const auto index = static_cast<std::size_t>(slot);
    if (claimed[index] ||
        monitors[index].feature() != features_.feature_name(static_cast<core::FeatureId>(id)))
      return false;
    claimed[index] = true;
  }
  return std::find(claimed.begin(), claimed.end(), false) == claimed.end();
}

}  // namespace streamlearn::stream
