#include "stream/features/window_spec.h"

#include <cctype>

#include "core/param_reader.h"
#include "stream/features/duration.h"

namespace streamlearn::stream::features {
namespace {

constexpr std::string_view kWindow = "window";
constexpr std::string_view kTargetAgg = "target_agg";

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// The items of `[a, b(c, d), 'e f']` (or of a single bare item), split at top-level commas.
std::vector<std::string> split_list(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  std::vector<std::string> items;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ',';
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(' || c == '[') {
      ++depth;
    } else if (c == ')' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 0) {
      const std::string_view item = trim(text.substr(start, i - start));
      if (!item.empty()) items.emplace_back(item);
      start = i + 1;
    }
  }
  return items;
}

std::string unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"') &&
      text.back() == text.front())
    return std::string(text.substr(1, text.size() - 2));
  return std::string(text);
}

// Reads a duration parameter; 0 when absent.
std::int64_t duration(core::ParamReader& params, std::string_view key, bool allow_zero) {
  const std::string text = params.text(key, "");
  if (text.empty()) return 0;
  auto ms = parse_duration_ms(text, allow_zero);
  if (!ms) {
    params.reject(key, ms.status().message());
    return 0;
  }
  return *ms;
}

// `how=mean` or `how=quantile(q=0.9)`: the aggregate of the label, whose field is `target`.
core::Result<aggregates::AggregateSpec> parse_how(std::string_view how) {
  how = trim(how);
  const std::size_t open = how.find('(');
  std::string expression;
  if (open == std::string_view::npos) {
    expression = std::string(how) + "(target)";
  } else {
    std::string_view rest = trim(how.substr(open + 1));
    expression = std::string(how.substr(0, open)) + "(target" + (rest == ")" ? "" : ", ") +
                 std::string(rest);
  }
  return aggregates::parse_aggregate_spec(expression);
}

std::string default_name(const WindowSpec& spec) {
  std::string name;
  for (const std::string& field : spec.by) name += (name.empty() ? "" : "_") + field;
  if (name.empty()) name = "key";
  switch (spec.kind) {
    case WindowKind::kTumbling:
      return name + "_" + format_duration(spec.size_ms);
    case WindowKind::kHopping:
      return name + "_" + format_duration(spec.size_ms) + "_every_" +
             format_duration(spec.step_ms);
    case WindowKind::kSession:
      return name + "_session_" + format_duration(spec.gap_ms);
    case WindowKind::kCount:
      return name + "_last_" + std::to_string(spec.size_events);
    case WindowKind::kUnbounded:
      return name;
  }
  return name;
}

bool plain_field(std::string_view field) {
  for (char c : field)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
      return false;
  return !field.empty();
}

}  // namespace

bool is_window_step(const core::ModelStep& step) {
  return step.name == kWindow || step.name == kTargetAgg;
}

core::Result<WindowSpec> parse_window_spec(const core::ModelStep& step) {
  WindowSpec spec;
  spec.of_target = step.name == kTargetAgg;
  core::ParamReader params(step.name, step.params);
  for (const std::string& field : split_list(params.text("by", ""))) spec.by.push_back(unquote(field));
  if (spec.of_target) {
    auto how = parse_how(params.text("how", "mean"));
    if (how)
      spec.aggregates.push_back(std::move(*how));
    else
      params.reject("how", how.status().message());
  } else {
    const std::vector<std::string> items = split_list(params.text("agg", ""));
    if (items.empty())
      params.reject("agg", "give the aggregates, as in agg=[mean(amount), count()]");
    for (const std::string& item : items) {
      auto aggregate = aggregates::parse_aggregate_spec(item);
      if (aggregate)
        spec.aggregates.push_back(std::move(*aggregate));
      else
        params.reject("agg", aggregate.status().message());
    }
  }
  spec.size_ms = duration(params, "size", false);
  spec.step_ms = duration(params, "step", false);
  spec.gap_ms = duration(params, "gap", false);
  const std::int64_t events = params.integer("events", 0);
  if (events < 0) params.reject("events", "must be at least 1");
  spec.size_events = static_cast<std::uint64_t>(events);
  spec.out_of_order_ms = duration(params, "out_of_order", true);
  spec.lateness_ms = duration(params, "lateness", true);
  spec.ttl_ms = duration(params, "ttl", false);
  const std::string late = params.text("late", "drop");
  if (late == "dead_letter")
    spec.late = LatePolicy::kDeadLetter;
  else if (late != "drop")
    params.reject("late", "'" + late + "' is not one of: drop, dead_letter");
  const std::int64_t max_keys = params.integer("max_keys", 1'000'000);
  if (max_keys < 1 || max_keys > (std::int64_t{1} << 31))
    params.reject("max_keys", "must be from 1 to 2^31");
  else
    spec.max_keys = static_cast<std::size_t>(max_keys);
  const std::string time = params.text("time", "event");
  if (time == "processing")
    spec.processing_time = true;
  else if (time != "event")
    params.reject("time", "'" + time + "' is not one of: event, processing");

  const int kinds = (spec.size_ms > 0) + (spec.gap_ms > 0) + (spec.size_events > 0);
  if (kinds > 1) {
    params.reject("size", "give one of size (tumbling; with step: hopping), gap (session) and "
                          "events (the last N events of the key)");
  } else if (spec.size_ms > 0) {
    spec.kind = spec.step_ms > 0 ? WindowKind::kHopping : WindowKind::kTumbling;
    if (spec.step_ms == 0) spec.step_ms = spec.size_ms;
    if (spec.size_ms % spec.step_ms != 0 || spec.step_ms > spec.size_ms)
      params.reject("step", "must divide size (size=1h, step=5m)");
  } else if (spec.gap_ms > 0) {
    spec.kind = WindowKind::kSession;
  } else if (spec.size_events > 0) {
    spec.kind = WindowKind::kCount;
  }
  if (spec.step_ms > 0 && spec.size_ms == 0) params.reject("step", "needs size (hopping windows)");
  if (!spec.timed()) {
    for (std::string_view key : {"out_of_order", "lateness"})
      if (step.params.count(key))
        params.reject(key, "applies to time windows only (size or gap)");
    if (step.params.count("late")) params.reject("late", "applies to time windows only");
  }
  spec.name = params.text("name", "");
  if (spec.name.empty()) spec.name = default_name(spec);
  if (core::Status status = params.finish(); !status) return status;
  return spec;
}

std::string WindowSpec::feature_name(std::size_t i) const {
  return aggregates[i].expression() + "@" + name;
}

std::string WindowSpec::expression() const {
  std::string text(of_target ? kTargetAgg : kWindow);
  std::string arguments;
  const auto add = [&](std::string_view key, const std::string& value) {
    arguments += (arguments.empty() ? "" : ", ") + std::string(key) + "=" + value;
  };
  if (!by.empty()) {
    std::string fields;
    for (const std::string& field : by)
      fields += (fields.empty() ? "" : ", ") + (plain_field(field) ? field : "'" + field + "'");
    add("by", by.size() == 1 ? fields : "[" + fields + "]");
  }
  switch (kind) {
    case WindowKind::kTumbling:
      add("size", format_duration(size_ms));
      break;
    case WindowKind::kHopping:
      add("size", format_duration(size_ms));
      add("step", format_duration(step_ms));
      break;
    case WindowKind::kSession:
      add("gap", format_duration(gap_ms));
      break;
    case WindowKind::kCount:
      add("events", std::to_string(size_events));
      break;
    case WindowKind::kUnbounded:
      break;
  }
  if (of_target) {
    const std::string how = aggregates.front().expression();  // mean(target, q=...)
    const std::size_t open = how.find('(');
    std::string rest = how.substr(open + 1 + std::string_view("target").size());
    if (rest == ")") {
      if (how.substr(0, open) != "mean") add("how", how.substr(0, open));
    } else {
      add("how", how.substr(0, open) + "(" + rest.substr(2));
    }
  } else {
    std::string list;
    for (const aggregates::AggregateSpec& aggregate : aggregates)
      list += (list.empty() ? "" : ", ") + aggregate.expression();
    add("agg", "[" + list + "]");
  }
  if (out_of_order_ms > 0) add("out_of_order", format_duration(out_of_order_ms));
  if (lateness_ms > 0) add("lateness", format_duration(lateness_ms));
  if (late == LatePolicy::kDeadLetter) add("late", "dead_letter");
  if (ttl_ms > 0) add("ttl", format_duration(ttl_ms));
  if (max_keys != 1'000'000) add("max_keys", std::to_string(max_keys));
  if (processing_time) add("time", "processing");
  if (name != default_name(*this)) add("name", name);
  return text + "(" + arguments + ")";
}

}  // namespace streamlearn::stream::features
