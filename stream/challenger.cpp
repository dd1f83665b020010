#include "stream/challenger.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/check.h"
#include "stream/pipeline_model.h"

namespace streamlearn::stream {
namespace {

constexpr std::uint32_t kStateVersion = 1;

template <std::size_t N>
bool one_of(std::string_view metric, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), metric) != names.end();
}

template <std::size_t N>
std::string listed(const std::array<std::string_view, N>& names) {
  std::string text;
  for (std::string_view name : names) text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

std::string configuration_changed(const std::string& what) {
  return "challenger: " + what +
         ": the configuration changed since the checkpoint was saved; restore it, or start "
         "afresh with another checkpoint directory";
}

}  // namespace

core::Status Challenger::validate(const Params& params, bool classification,
                                  std::string_view prefix) {
  std::vector<std::string> errors;
  const std::string at(prefix);
  if (!params.metric.empty()) {
    const bool known = classification
                           ? one_of(params.metric, monitors::ClassificationMetrics::kNames)
                           : one_of(params.metric, monitors::RegressionMetrics::kNames);
    if (!known)
      errors.push_back(at + "metric: '" + params.metric + "' is not a " +
                       (classification ? "classification" : "regression") + " metric: use one of " +
                       (classification ? listed(monitors::ClassificationMetrics::kNames)
                                       : listed(monitors::RegressionMetrics::kNames)));
  }
  if (!std::isfinite(params.margin) || params.margin < 0)
    errors.push_back(at +
                     "margin: must be a finite number >= 0 (an absolute difference of the "
                     "metric)");
  if (params.window < 1) errors.push_back(at + "window: must be at least 1 compared event");
  if (errors.empty()) return core::Status::ok();
  std::string message = errors.front();
  for (std::size_t i = 1; i < errors.size(); ++i) message += "\n" + errors[i];
  return core::Status::error(message);
}

core::Result<std::unique_ptr<Challenger>> Challenger::create(std::string_view expression,
                                                             Params params, learners::Task task,
                                                             core::FeatureSpace& space,
                                                             std::string_view model_setting,
                                                             std::string_view prefix) {
  const bool classification = task == learners::Task::kClassification;
  std::vector<std::string> errors;
  const std::string at = std::string(model_setting) + ": ";
  auto model = PipelineModel::build(expression, space);
  if (!model) {
    errors.push_back(at + model.status().message());
  } else if (!model->features->empty()) {
    errors.push_back(at + "'" + std::string(expression) +
                     "' has window steps: the challenger sees the serving model's features "
                     "after its window steps; give a learner expression only");
  } else if (model->learner->task() != task) {
    errors.push_back(at + "'" + std::string(expression) + "' is a " +
                     (classification ? "regression model" : "classifier") +
                     " but the serving model is a " +
                     (classification ? "classifier" : "regression model"));
  }
  if (core::Status status = validate(params, classification, prefix); !status)
    errors.push_back(status.message());
  if (!errors.empty()) {
    std::string message = errors.front();
    for (std::size_t i = 1; i < errors.size(); ++i) message += "\n" + errors[i];
    return core::Status::error(message);
  }
  return std::make_unique<Challenger>(std::move(model->learner), std::move(params));
}

std::string_view Challenger::default_metric(bool classification) {
  return classification ? monitors::ClassificationMetrics::kNames[0]
                        : monitors::RegressionMetrics::kNames[0];
}

bool Challenger::higher_is_better(std::string_view metric) {
  return metric != "log_loss" && metric != "mae" && metric != "rmse";
}

Challenger::Challenger(std::unique_ptr<learners::Learner> model, Params params)
    : model_(std::move(model)),
      params_(std::move(params)),
      configured_model_(model_->describe()),
      classification_(model_->task() == learners::Task::kClassification),
      champion_classification_(params_.window),
      challenger_classification_(params_.window),
      champion_regression_(params_.window),
      challenger_regression_(params_.window),
      positions_(params_.window) {
  if (params_.metric.empty()) params_.metric = std::string(default_metric(classification_));
  SL_CHECK(validate(params_, classification_, "").is_ok());
}

void Challenger::predict(const core::FeatureVector& x, Prediction& prediction) {
  if (classification_) {
    model_->predict_proba_one(x, prediction.challenger_proba);
    prediction.challenger_value =
        prediction.challenger_proba.empty()
            ? core::Target::none()
            : core::Target::of_class(prediction.challenger_proba.argmax());
  } else {
    prediction.challenger_value = model_->predict_one(x);
  }
}

void Challenger::score(const Prediction& prediction, const core::Target& y,
                       std::uint64_t serving_version) {
  if (prediction.model_version != serving_version || prediction.empty() ||
      !prediction.challenger_value.has_value())
    return;
  if (classification_) {
    if (!y.is_class()) return;
    champion_classification_.update(y.class_id, prediction.proba);
    challenger_classification_.update(y.class_id, prediction.challenger_proba);
  } else {
    if (y.kind != core::Target::Kind::kValue) return;
    champion_regression_.update(y.value, prediction.value.value);
    challenger_regression_.update(y.value, prediction.challenger_value.value);
  }
  positions_.push({prediction.position, prediction.time_ms});
  ++compared_;
}

double Challenger::value(const monitors::ClassificationMetrics& classification,
                         const monitors::RegressionMetrics& regression) const {
  std::vector<std::pair<std::string_view, double>> values;
  if (classification_)
    classification.report(values);
  else
    regression.report(values);
  for (const auto& [name, metric] : values)
    if (name == params_.metric) return metric;
  return 0.0;
}

bool Challenger::beats_champion() const {
  if (compared_ < params_.window) return false;
  const double champion = champion_value();
  const double challenger = challenger_value();
  return higher_is_better(params_.metric) ? challenger - champion > params_.margin
                                          : champion - challenger > params_.margin;
}

std::string Challenger::to_json(const learners::Learner& serving) const {
  const auto number = [](double value) {
    return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
  };
  const nlohmann::ordered_json report = {
      {"model", model_->describe()},
      {"serving", serving.describe()},
      {"metric", params_.metric},
      {"margin", params_.margin},
      {"window", params_.window},
      {"auto_promote", params_.auto_promote},
      {"compared", compared_},
      {"champion_" + params_.metric, number(champion_value())},
      {"challenger_" + params_.metric, number(challenger_value())},
      {"promotions", promotions_}};
  return report.dump();
}

void Challenger::restart() {
  champion_classification_ = monitors::ClassificationMetrics(params_.window);
  challenger_classification_ = monitors::ClassificationMetrics(params_.window);
  champion_regression_ = monitors::RegressionMetrics(params_.window);
  challenger_regression_ = monitors::RegressionMetrics(params_.window);
  positions_.clear();
  compared_ = 0;
}

monitors::Alert Challenger::promotion_alert(std::uint64_t position, std::int64_t time_ms,
                                            std::uint64_t new_version, std::uint64_t events,
                                            bool manual) const {
  monitors::Alert alert;
  alert.kind = monitors::AlertKind::kPromotion;
  alert.monitor = "challenger";
  alert.event_time_ms = time_ms;
  alert.statistic = params_.metric;
  const double champion = champion_value();
  const double challenger = challenger_value();
  alert.value = challenger;
  // The bound the challenger crossed.
  alert.threshold =
      higher_is_better(params_.metric) ? champion + params_.margin : champion - params_.margin;
  positions_.for_each([&](const Compared& compared) {
    alert.current.include(compared.position, compared.time_ms);
  });
  if (alert.current.count == 0) alert.current.first_event = alert.current.last_event = position;
  alert.new_model_version = new_version;
  alert.model_action = "promotion";
  alert.evidence = {{"champion_" + params_.metric, champion},
                    {"challenger_" + params_.metric, challenger},
                    {"margin", params_.margin},
                    {"window", static_cast<double>(params_.window)},
                    {"compared", static_cast<double>(compared_)},
                    {"events", static_cast<double>(events)},
                    {"manual", manual ? 1.0 : 0.0}};
  return alert;
}

std::unique_ptr<learners::Learner> Challenger::swap(
    std::unique_ptr<learners::Learner> former_champion) {
  SL_CHECK(former_champion != nullptr && former_champion->task() == model_->task());
  std::unique_ptr<learners::Learner> promoted = std::move(model_);
  model_ = std::move(former_champion);
  ++promotions_;
  restart();
  return promoted;
}

std::unique_ptr<Challenger> Challenger::unfitted_copy() const {
  auto copy = std::make_unique<Challenger>(model_->clone(), params_);
  copy->configured_model_ = configured_model_;
  return copy;
}

void Challenger::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write_string(configured_model_);
  out.write_string(params_.metric);
  out.write<std::uint64_t>(params_.window);
  out.write_string(model_->describe());
  model_->save(out);
  if (classification_) {
    champion_classification_.save(out);
    challenger_classification_.save(out);
  } else {
    champion_regression_.save(out);
    challenger_regression_.save(out);
  }
  out.write<std::uint64_t>(positions_.size());
  positions_.for_each([&](const Compared& compared) {
    out.write(compared.position);
    out.write(compared.time_ms);
  });
  out.write(compared_);
  out.write(promotions_);
}

core::Status Challenger::load(core::StateReader& in, const ModelFactory& factory) {
  constexpr std::string_view kWhat = "challenger";
  std::string configured, metric, expression;
  std::uint64_t window = 0;
  if (!in.expect_version(kStateVersion) || !in.read_string(configured) || !in.read_string(metric) ||
      !in.read(window) || !in.read_string(expression))
    return in.status(kWhat);
  if (configured != configured_model_)
    return core::Status::error(
        configuration_changed("the model was " + configured + ", it is " + configured_model_));
  if (metric != params_.metric || window != params_.window)
    return core::Status::error(configuration_changed(
        "it compared " + metric + " over " + std::to_string(window) + " events, it compares " +
        params_.metric + " over " + std::to_string(params_.window)));
  std::unique_ptr<learners::Learner> model;
  if (expression == model_->describe()) {
    model = model_->clone();
  } else if (factory) {
    auto built = factory(expression);
    if (!built) return core::Status::error("challenger: " + built.status().message());
    model = std::move(*built);
  } else {
    return core::Status::error("challenger: the checkpoint holds a model '" + expression +
                               "' and no factory was given to build it");
  }
  if (model->task() != model_->task()) {
    in.fail();
    return in.status(kWhat);
  }
  SL_RETURN_IF_ERROR(model->load(in));
  monitors::ClassificationMetrics champion_classification(params_.window);
  monitors::ClassificationMetrics challenger_classification(params_.window);
  monitors::RegressionMetrics champion_regression(params_.window);
  monitors::RegressionMetrics challenger_regression(params_.window);
  if (classification_) {
    SL_RETURN_IF_ERROR(champion_classification.load(in));
    SL_RETURN_IF_ERROR(challenger_classification.load(in));
  } else {
    SL_RETURN_IF_ERROR(champion_regression.load(in));
    SL_RETURN_IF_ERROR(challenger_regression.load(in));
  }
  std::uint64_t num_positions = 0, compared = 0, promotions = 0;
  if (!in.read(num_positions)) return in.status(kWhat);
  if (num_positions > params_.window) {
    in.fail();
    return in.status(kWhat);
  }
  monitors::RollingWindow<Compared> positions(params_.window);
  for (std::uint64_t i = 0; i < num_positions; ++i) {
    Compared item;
    if (!in.read(item.position) || !in.read(item.time_ms)) return in.status(kWhat);
    positions.push(item);
  }
  if (!in.read(compared) || !in.read(promotions)) return in.status(kWhat);
  if (num_positions != std::min<std::uint64_t>(compared, params_.window)) {
    in.fail();
    return in.status(kWhat);
  }
  model_ = std::move(model);
  champion_classification_ = std::move(champion_classification);
  challenger_classification_ = std::move(challenger_classification);
  champion_regression_ = std::move(champion_regression);
  challenger_regression_ = std::move(challenger_regression);
  positions_ = std::move(positions);
  compared_ = compared;
  promotions_ = promotions;
  return core::Status::ok();
}

}  // namespace streamlearn::stream
