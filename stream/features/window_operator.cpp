#include "stream/features/window_operator.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>

#include "core/xxhash64.h"

namespace streamlearn::stream::features {
namespace {

constexpr core::FeatureId kNoField = std::numeric_limits<core::FeatureId>::max();
constexpr char kKeySeparator = '\x1f';

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

WindowOperator::WindowOperator(WindowSpec spec, core::FeatureSpace& space)
    : spec_(std::move(spec)), space_(space), window_(spec_) {
  for (const std::string& field : spec_.by) by_ids_.push_back(space_.feature(field));
  for (std::size_t i = 0; i < spec_.aggregates.size(); ++i) {
    const std::string& field = spec_.aggregates[i].field;
    field_ids_.push_back(spec_.of_target || field.empty() ? kNoField : space_.feature(field));
    output_names_.push_back(spec_.feature_name(i));
    output_ids_.push_back(space_.feature(output_names_.back()));
  }
  inputs_.resize(spec_.aggregates.size());
  values_.resize(spec_.aggregates.size());
}

bool WindowOperator::make_key(const core::FeatureVector& x, std::string_view event_key) {
  key_.clear();
  if (by_ids_.empty()) {
    if (!spec_.of_target) key_.assign(event_key);
    return true;
  }
  for (std::size_t i = 0; i < by_ids_.size(); ++i) {
    if (i > 0) key_.push_back(kKeySeparator);
    bool found = false;
    for (const core::NumericFeature& feature : x.numeric()) {
      if (feature.id != by_ids_[i]) continue;
      char text[32];
      const auto end = std::to_chars(text, text + sizeof(text), feature.value).ptr;
      key_.append(text, end);
      found = true;
      break;
    }
    if (!found) {
      for (const core::CategoricalFeature& feature : x.categorical()) {
        if (feature.id != by_ids_[i]) continue;
        key_.append(space_.value_text(feature.value));
        found = true;
        break;
      }
    }
    if (!found) {
      const std::optional<std::string_view> text = x.find_key(by_ids_[i]);
      if (!text || text->empty()) return false;
      key_.append(*text);
    }
  }
  return true;
}

std::int64_t WindowOperator::time_of(const Event& event) const {
  return spec_.processing_time ? now_ms() : event.event_time_ms;
}

void WindowOperator::gather_inputs(const core::FeatureVector& x) {
  for (std::size_t c = 0; c < field_ids_.size(); ++c) {
    ColumnInput& input = inputs_[c];
    input = ColumnInput{};
    const core::FeatureId id = field_ids_[c];
    if (id == kNoField) {  // count(): every event
      input.kind = ColumnInput::Kind::kNumber;
      continue;
    }
    for (const core::NumericFeature& feature : x.numeric()) {
      if (feature.id != id) continue;
      input.kind = ColumnInput::Kind::kNumber;
      input.number = feature.value;
      break;
    }
    if (input.kind != ColumnInput::Kind::kAbsent) continue;
    for (const core::CategoricalFeature& feature : x.categorical()) {
      if (feature.id != id) continue;
      input.kind = ColumnInput::Kind::kCategory;
      input.hash = core::xxhash64(space_.value_text(feature.value));
      break;
    }
  }
}

void WindowOperator::append_values(core::FeatureVector& x) const {
  for (std::size_t c = 0; c < values_.size(); ++c)
    if (std::isfinite(values_[c])) x.add_numeric(output_ids_[c], values_[c]);
}

bool WindowOperator::late(const Event& event) const {
  const std::int64_t time_ms = time_of(event);
  return time_ms != Event::kNoTime && window_.late(time_ms);
}

WindowOperator::Outcome WindowOperator::apply(Event& event) {
  ++counters_.events;
  const std::int64_t time_ms = time_of(event);
  if (time_ms == Event::kNoTime) {
    if (spec_.timed()) {
      ++counters_.untimed;
      return Outcome::kApplied;
    }
  } else {
    window_.observe(time_ms);
    if (window_.late(time_ms)) {
      ++counters_.late;
      return Outcome::kLate;
    }
  }
  if (!make_key(event.features, event.key)) {
    ++counters_.keyless;
    return Outcome::kApplied;
  }
  if (spec_.of_target) {
    // The labels known so far; an unknown key reads as an empty window.
    window_.read(key_, time_ms, values_);
  } else {
    gather_inputs(event.features);
    const std::uint32_t slot = window_.update(key_, time_ms, inputs_);
    window_.read_slot(slot, time_ms, values_);
  }
  append_values(event.features);
  return Outcome::kApplied;
}

void WindowOperator::learn_label(const core::FeatureVector& x, std::int64_t time_ms,
                                 const core::Target& y) {
  if (!spec_.of_target || !y.has_value()) return;
  if (time_ms == Event::kNoTime && spec_.timed()) return;
  if (time_ms != Event::kNoTime && window_.late(time_ms)) {
    ++counters_.late_labels;
    return;
  }
  if (!make_key(x, {})) return;
  // A class label counts as 1 when it is the positive class (id 1: `1`/`true`, or else the
  // second class seen), so mean is the positive rate; a regression target is its value.
  inputs_[0].kind = ColumnInput::Kind::kNumber;
  inputs_[0].number = y.is_class() ? (y.class_id == 1 ? 1.0 : 0.0) : y.value;
  window_.update(key_, time_ms, inputs_);
  ++counters_.labels;
}

bool WindowOperator::lookup(std::span<const std::string> parts,
                            std::vector<std::pair<std::string, double>>& out) {
  key_.clear();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) key_.push_back(kKeySeparator);
    key_.append(parts[i]);
  }
  if (!window_.read(key_, window_.latest_ms(), values_)) return false;
  for (std::size_t c = 0; c < values_.size(); ++c) out.emplace_back(output_names_[c], values_[c]);
  return true;
}

void WindowOperator::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write_string(spec_.expression());
  for (const std::uint64_t count : {counters_.events, counters_.late, counters_.untimed,
                                    counters_.keyless, counters_.labels, counters_.late_labels})
    out.write(count);
  window_.save(out);
}

core::Status WindowOperator::load(core::StateReader& in) {
  std::string expression;
  if (!in.expect_version(kStateVersion) || !in.read_string(expression))
    return in.status("WindowOperator");
  if (expression != spec_.expression()) {
    in.fail();  // the rest is laid out for another window
    return core::Status::error("the saved state is of '" + expression + "' but this window is '" +
                               spec_.expression() + "'");
  }
  Counters counters;
  for (std::uint64_t* count : {&counters.events, &counters.late, &counters.untimed,
                               &counters.keyless, &counters.labels, &counters.late_labels})
    if (!in.read(*count)) return in.status("WindowOperator");
  KeyedWindow window(spec_);
  SL_RETURN_IF_ERROR(window.load(in));
  window_ = std::move(window);
  counters_ = counters;
  return core::Status::ok();
}

WindowOperator::Counters WindowOperator::counters() const {
  Counters counters = counters_;
  counters.keys = window_.counters();
  return counters;
}

}  // namespace streamlearn::stream::features
