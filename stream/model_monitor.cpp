#include "stream/model_monitor.h"

#include <chrono>
#include <cmath>

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
      features_(features) {
  if (!params_.drift_detector.empty())
    concept_ = std::make_unique<monitors::ConceptDriftMonitor>(
        "concept_drift",
        std::move(monitors::DriftDetectorRegistry::builtin().build(params_.drift_detector).value()),
        params_.concept_policy);
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
    // A statistic given for one kind only leaves features of the other kind to its default.
    DataDriftMonitor::Params drift = params_.feature_drift->params;
    if (!DataDriftMonitor::validate("feature_drift", kind, drift)) drift.statistic.clear();
    slot = static_cast<std::int32_t>(feature_monitors_.size());
    feature_monitors_.emplace_back("feature_drift", monitors::AlertKind::kData,
                                   features_.feature_name(id), kind, drift);
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
  alert.wall_time_ms = wall_time_ms();
  alert.model_version = model_version_;
  if (alert.kind != monitors::AlertKind::kConcept) {
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

}  // namespace streamlearn::stream
