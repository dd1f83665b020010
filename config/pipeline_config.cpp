#include "config/pipeline_config.h"

#include <regex.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/json_object_reader.h"
#include "config/monitoring_section.h"
#include "connectors/files/model_file.h"
#include "stream/features/duration.h"
#include "stream/pipeline_model.h"
#include "stream/field_role.h"

namespace streamlearn::config {
namespace {

using Json = JsonObjectReader::Json;

/// "host:port" or "[v6]:port", port 0 to 65535 (whether it binds is known only at start).
bool is_listen_address(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  if (std::stoi(std::string(port)) > 65535) return false;
  if (host.front() == '[') return host.size() > 2 && host.back() == ']';
  return host.find(':') == std::string_view::npos;
}

constexpr std::string_view kOverrideForm =
    "write key.path=value, e.g. source.group_id=g2 or source.rate=500";

/// A librdkafka property that has its own key in the configuration, and that key.
struct ReservedProperty {
  const char* property;
  const char* use_instead;
};

/// The JSON path of member `key` of the object at `path`: `$.a.b`, or `$.a['session.timeout.ms']`
/// when the key is not a plain word (so that the path reads back unambiguously).
std::string member_path(const std::string& path, const std::string& key) {
  const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  return plain ? path + "." + key : path + "['" + key + "']";
}

bool is_array_index(const std::string& segment) {
  return !segment.empty() && segment.size() <= 9 &&
         std::all_of(segment.begin(), segment.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

/// Applies one `--set key.path=value` to the document; the error says what is wrong with it.
std::optional<std::string> apply_override(Json& root, const std::string& text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos) return "there is no '=': " + std::string(kOverrideForm);
  const std::string path = text.substr(0, equals);
  if (path.empty()) return "the key path is empty: " + std::string(kOverrideForm);
  std::vector<std::string> keys;
  for (std::size_t start = 0;;) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    keys.push_back(path.substr(start, dot - start));
    if (keys.back().empty())
      return std::string("the key path has an empty key: separate keys with single dots");
    if (dot == path.size()) break;
    start = dot + 1;
  }
  // The value is JSON when it parses as JSON (500, true, ["a","b"], "quoted"), else a string.
  Json value = Json::parse(text.substr(equals + 1), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text.substr(equals + 1);
  const bool remove = value.is_null();

  Json* node = &root;
  std::string where = "$";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string& key = keys[i];
    const bool last = i + 1 == keys.size();
    if (node->is_object()) {
      if (last) {
        if (remove)
          node->erase(key);
        else
          (*node)[key] = std::move(value);
        return std::nullopt;
      }
      auto found = node->find(key);
      if (found == node->end() || found->is_null()) {
        if (remove) return std::nullopt;  // nothing there to remove
        (*node)[key] = Json::object();
        found = node->find(key);
      }
      node = &*found;
      where = member_path(where, key);
    } else if (node->is_array() && is_array_index(key)) {
      const std::size_t index = std::stoul(key);
      if (remove && (last || index >= node->size())) {
        if (last && index < node->size()) node->erase(index);
        return std::nullopt;  // removing what is not there changes nothing
      }
      if (index > node->size() || (index == node->size() && !last))
        return where + " has " + std::to_string(node->size()) +
               " elements: an index must be below that, or equal to it to append one";
      if (last) {
        if (index == node->size())
          node->push_back(std::move(value));
        else
          (*node)[index] = std::move(value);
        return std::nullopt;
      }
      node = &(*node)[index];
      where += "[" + key + "]";
    } else if (node->is_array()) {
      return where + " is an array: name an element by its index (e.g. " + where.substr(2) +
             ".0), or set the whole array";
    } else {
      return where + " is a " + std::string(node->type_name()) + ", not an object, so it has no '" +
             key + "'";
    }
  }
  return std::nullopt;
}

/// A string that must be there (when the object itself is one); the error says what it is for.
std::optional<std::string> required_name(JsonObjectReader& reader, const std::string& key,
                                         const std::string& what) {
  if (reader.is_object() && !reader.child(key)) {
    reader.error(key, "is required: " + what);
    return std::nullopt;
  }
  return reader.name(key);
}

/// The value of a section that must be there; nullptr (with the error) when it is not.
const Json* required_section(JsonObjectReader& root, const std::string& key,
                             const std::string& what) {
  const Json* node = root.child(key);
  if (!node) root.error(key, "is required: " + what);
  return node;
}

/// librdkafka properties: an object whose values are strings, numbers or booleans, each converted
/// to the text librdkafka reads (6000 -> "6000", true -> "true").
void read_properties(JsonObjectReader& reader, connectors::KafkaProperties& properties,
                     std::initializer_list<ReservedProperty> reserved) {
  const Json* node = reader.child("properties");
  if (!node) return;
  if (!node->is_object()) {
    reader.error("properties",
                 "must be an object of librdkafka properties, e.g. {\"session.timeout.ms\": 6000}");
    return;
  }
  const std::string path = reader.path_of("properties");
  for (const auto& [name, value] : node->items()) {
    const std::string where = member_path(path, name);
    if (name.empty()) {
      reader.errors().push_back(where + ": a property name must not be empty");
      continue;
    }
    const auto own_key = std::find_if(reserved.begin(), reserved.end(),
                                      [&](const auto& entry) { return name == entry.property; });
    if (own_key != reserved.end()) {
      reader.errors().push_back(where + ": set " + own_key->use_instead + " instead");
      continue;
    }
    if (value.is_string())
      properties.emplace_back(name, value.get<std::string>());
    else if (value.is_boolean())
      properties.emplace_back(name, value.get<bool>() ? "true" : "false");
    else if (value.is_number())
      properties.emplace_back(name, value.dump());
    else
      reader.errors().push_back(where +
                                ": must be a string, a number or a boolean (librdkafka takes every "
                                "property as text)");
  }
}

/// A parameter value of a `features` step in expression syntax: strings as they are, lists as
/// `[a, b]`, numbers and booleans as JSON writes them; nullopt (with the error) for objects.
std::optional<std::string> expression_value(const Json& value, const std::string& where,
                                            std::vector<std::string>& errors) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  if (value.is_array()) {
    std::string list = "[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto item = expression_value(value[i], where + "[" + std::to_string(i) + "]", errors);
      if (!item) return std::nullopt;
      list += (i > 0 ? ", " : "") + *item;
    }
    return list + "]";
  }
  errors.push_back(where + ": must be a string, a number, a boolean or a list of them");
  return std::nullopt;
}

/// `features`: the steps before the model, each {"name": {"param": value, ...}} or "name", as an
/// expression (`window(by=user, size=1h, agg=[count()]) | hash(...)`); empty when absent.
std::string read_features(JsonObjectReader& root) {
  const Json* node = root.child("features");
  if (!node) return {};
  const std::string path = root.path_of("features");
  if (!node->is_array()) {
    root.error("features",
               "must be a list of steps, e.g. [{\"window\": {\"by\": \"user\", \"size\": "
               "\"1h\", \"agg\": [\"mean(amount)\", \"count()\"]}}]");
    return {};
  }
  std::string expression;
  for (std::size_t i = 0; i < node->size(); ++i) {
    const Json& step = (*node)[i];
    const std::string where = path + "[" + std::to_string(i) + "]";
    std::string text;
    if (step.is_string()) {
      text = step.get<std::string>();
    } else if (step.is_object() && step.size() == 1 && step.begin().value().is_object()) {
      text = step.begin().key();
      std::string arguments;
      for (const auto& [key, value] : step.begin().value().items()) {
        auto written = expression_value(value, where + "." + text + "." + key, root.errors());
        if (written) arguments += (arguments.empty() ? "" : ", ") + key + "=" + *written;
      }
      if (!arguments.empty()) text += "(" + arguments + ")";
    } else {
      root.errors().push_back(where + ": must be a step name or {\"<step>\": {parameters}}");
      continue;
    }
    expression += (expression.empty() ? "" : " | ") + text;
  }
  return expression;
}

/// The model (the `features` steps, then `model`), built once to check it; its task (nullopt when
/// the model is missing or invalid).
std::optional<learners::Task> read_model(JsonObjectReader& root, std::string& model) {
  const std::string features = read_features(root);
  auto expression = required_name(
      root, "model",
      "a model expression, e.g. \"standard_scaler | logistic_regression\" ('streamlearn learners' "
      "lists the names)");
  if (!expression) return std::nullopt;
  model = features.empty() ? *expression : features + " | " + *expression;
  core::FeatureSpace space;
  auto built = stream::PipelineModel::build(model, space);
  if (!built) {
    root.error(features.empty() ? "model" : "features", built.status().message());
    return std::nullopt;
  }
  return built->learner->task();
}

void read_kafka(JsonObjectReader& root, connectors::KafkaConnection& kafka) {
  const Json* node = required_section(
      root, "kafka",
      "an object with bootstrap_servers, e.g. {\"bootstrap_servers\": \"127.0.0.1:9092\"}");
  if (!node) return;
  JsonObjectReader reader(*node, root.path_of("kafka"), root.errors());
  if (auto value = required_name(reader, "bootstrap_servers",
                                 "host:port[,host:port...], e.g. \"127.0.0.1:9092\""))
    kafka.bootstrap_servers = *value;
  read_properties(
      reader, kafka.properties,
      {{"bootstrap.servers", "$.kafka.bootstrap_servers"}, {"group.id", "$.source.group_id"}});
  reader.finish();
}

/// source.topic_pattern as librdkafka subscribes to it (a leading '^' makes it a regex there).
std::string anchored(const std::string& pattern) {
  return pattern.starts_with('^') ? pattern : "^" + pattern;
}

/// A topic pattern compiled as a POSIX extended regex (close to librdkafka's own engine; and
/// GCC 12's <regex> trips -Wmaybe-uninitialized under the sanitizers).
class TopicPattern {
 public:
  explicit TopicPattern(const std::string& pattern) {
    const int failed = regcomp(&regex_, pattern.c_str(), REG_EXTENDED | REG_NOSUB);
    compiled_ = failed == 0;
    if (!compiled_) {
      char message[256];
      regerror(failed, &regex_, message, sizeof(message));
      error_ = message;
    }
  }
  ~TopicPattern() {
    if (compiled_) regfree(&regex_);
  }
  TopicPattern(const TopicPattern&) = delete;
  TopicPattern& operator=(const TopicPattern&) = delete;

  bool compiled() const { return compiled_; }
  const std::string& error() const { return error_; }
  bool matches(const std::string& topic) const {
    return compiled_ && regexec(&regex_, topic.c_str(), 0, nullptr, 0) == 0;
  }

 private:
  regex_t regex_{};
  bool compiled_ = false;
  std::string error_;
};

void read_source(JsonObjectReader& root, SourceConfig& source) {
  const Json* node =
      required_section(root, "source", "an object with topics (or topic_pattern) and group_id");
  if (!node) return;
  JsonObjectReader reader(*node, root.path_of("source"), root.errors());
  const bool has_topics = reader.child("topics") != nullptr;
  if (auto topics = reader.names("topics", 1)) source.topics = *topics;
  const bool has_pattern = reader.child("topic_pattern") != nullptr;
  if (auto pattern = reader.name("topic_pattern")) {
    source.topic_pattern = anchored(*pattern);
    const TopicPattern compiled(source.topic_pattern);
    if (!compiled.compiled())
      reader.error("topic_pattern", "'" + source.topic_pattern +
                                        "' is not a valid regular expression: " + compiled.error());
  }
  if (has_topics && has_pattern)
    reader.error("", "give exactly one of topics and topic_pattern, not both");
  else if (!has_topics && !has_pattern && reader.is_object())
    reader.error("topics",
                 "is required (or topic_pattern): the topics to consume, e.g. [\"events\"]");
  if (auto value = required_name(reader, "group_id",
                                 "the consumer group whose committed offsets the run resumes from"))
    source.group_id = *value;
  if (auto value = reader.name("labels_topic")) source.labels_topic = *value;
  if (auto value = reader.text("from")) {
    auto parsed = connectors::StartPosition::parse(*value);
    if (parsed)
      source.from = *parsed;
    else
      reader.error("from", parsed.status().message());
  }
  if (auto value = reader.text("until")) {
    auto parsed = connectors::StopCondition::parse(*value);
    if (parsed)
      source.until = *parsed;
    else
      reader.error("until", parsed.status().message());
  }
  if (auto value = reader.number("rate")) {
    if (*value >= 0.0)
      source.rate_events_per_s = *value;
    else
      reader.error("rate", "must be a number >= 0: events per second, 0 for as fast as possible");
  }
  if (auto value = reader.count("commit_interval_ms", 10, 3'600'000))
    source.commit_interval_ms = *value;
  read_properties(
      reader, source.properties,
      {{"bootstrap.servers", "$.kafka.bootstrap_servers"}, {"group.id", "$.source.group_id"}});
  reader.finish();
}

/// schema.defaults: a number is a numeric feature's default, a string a categorical one's. Read
/// after the roles, since a default for a field with a role is an error.
void read_defaults(const Json& defaults, const std::string& path, stream::EventSchema& schema,
                   std::vector<std::string>& errors) {
  for (const auto& [field, value] : defaults.items()) {
    const std::string where = member_path(path, field);
    const stream::FieldRole role = stream::field_role(schema, field);
    if (role != stream::FieldRole::kFeature) {
      errors.push_back(where + ": '" + field + "' is the " +
                       std::string(stream::field_role_name(role)) +
                       ", not a feature: defaults apply to features only");
    } else if (value.is_number()) {
      schema.defaults.push_back({.field = field, .numeric = true, .number = value.get<double>()});
    } else if (value.is_string()) {
      schema.defaults.push_back(
          {.field = field, .numeric = false, .text = value.get<std::string>()});
    } else {
      errors.push_back(
          where + ": must be a number (a numeric feature) or a string (a categorical feature)");
    }
  }
}

void read_schema(JsonObjectReader& root, std::optional<learners::Task> task,
                 stream::EventSchema& schema) {
  // Unlabelled events are kept until their label arrives (delayed labels), never rejected.
  schema.target_optional = true;
  schema.target_kind =
      task == learners::Task::kRegression ? stream::TargetKind::kValue : stream::TargetKind::kClass;
  const Json* node = required_section(
      root, "schema", "an object with at least target, e.g. {\"target\": \"label\"}");
  if (!node) return;
  JsonObjectReader reader(*node, root.path_of("schema"), root.errors());
  if (auto format = reader.text("format"); format && *format != "json")
    reader.error("format", "'" + *format +
                               "' is not a supported record format; allowed: json (one JSON "
                               "object per Kafka record)");
  if (auto value =
          required_name(reader, "target", "the field that holds the label, e.g. \"label\""))
    schema.target = *value;
  if (auto kind = reader.text("target_kind")) {
    if (*kind == "class" || *kind == "value") {
      schema.target_kind =
          *kind == "class" ? stream::TargetKind::kClass : stream::TargetKind::kValue;
      if (task == learners::Task::kRegression && *kind == "class")
        reader.error("target_kind",
                     "is \"class\" but the model is a regression model: use \"value\" (or omit "
                     "target_kind), or a classifier");
      if (task == learners::Task::kClassification && *kind == "value")
        reader.error("target_kind",
                     "is \"value\" but the model is a classifier: use \"class\" (or omit "
                     "target_kind), or a regression model");
    } else {
      reader.error("target_kind", "'" + *kind +
                                      "' is not a target kind; allowed: class (a classification "
                                      "label), value (a regression target)");
    }
  }
  if (auto value = reader.name("key")) schema.key_field = *value;
  if (auto value = reader.names("entities", 0)) schema.entities = *value;
  if (auto value = reader.name("id")) schema.id_field = *value;
  if (auto value = reader.name("time")) schema.time_field = *value;
  if (auto value = reader.names("ignore", 0)) schema.ignore = *value;
  if (core::Status roles = stream::check_field_roles(schema); !roles)
    reader.error("", roles.message());
  if (const Json* defaults = reader.child("defaults"); defaults && !defaults->is_object())
    reader.error("defaults",
                 "must be an object of feature -> value, e.g. {\"country\": \"unknown\", "
                 "\"amount\": 0}");
  else if (defaults)
    read_defaults(*defaults, reader.path_of("defaults"), schema, reader.errors());
  reader.finish();
}

void read_metrics(JsonObjectReader& root, MetricsConfig& metrics) {
  const Json* node = root.child("metrics");
  if (!node) return;
  JsonObjectReader reader(*node, root.path_of("metrics"), root.errors());
  if (auto listen = reader.name("listen")) {
    if (*listen == "off") {
      metrics.listen.clear();
    } else if (!is_listen_address(*listen)) {
      reader.error("listen", "'" + *listen +
                                 "' is not host:port: write \"127.0.0.1:9464\", \"[::1]:9464\", "
                                 "port 0 for any free port, or \"off\" for no endpoint");
    } else {
      metrics.listen = *listen;
    }
  }
  if (auto value = reader.count("rolling_window", 0, 100'000'000))
    metrics.rolling_window = static_cast<std::size_t>(*value);
  reader.finish();
}

void read_labels(JsonObjectReader& root, LabelsConfig& labels) {
  const Json* node = root.child("labels");
  if (!node) return;
  JsonObjectReader reader(*node, root.path_of("labels"), root.errors());
  if (auto value = reader.count("max_pending", 1, 100'000'000))
    labels.max_pending = static_cast<std::size_t>(*value);
  constexpr std::string_view kTtlForm =
      "an event-time span such as \"30s\" or \"1h\", or an integer of milliseconds";
  if (const Json* ttl = reader.child("ttl")) {
    if (ttl->is_number_integer()) {
      // The parser keeps a non-negative integer as unsigned (and may exceed INT64_MAX).
      const bool positive = ttl->is_number_unsigned() ? ttl->get<std::uint64_t>() >= 1
                                                      : ttl->get<std::int64_t>() >= 1;
      if (positive)
        labels.ttl_ms = static_cast<std::int64_t>(
            std::min<std::uint64_t>(ttl->get<std::uint64_t>(), INT64_MAX));
      else
        reader.error("ttl", "must be positive: " + std::string(kTtlForm));
    } else if (ttl->is_string()) {
      auto parsed = monitors::WindowLength::parse(ttl->get<std::string>());
      if (!parsed)
        reader.error("ttl", parsed.status().message());
      else if (!parsed->by_time())
        reader.error("ttl", "'" + ttl->get<std::string>() +
                                "' is a count of events, but a ttl is event time: write " +
                                std::string(kTtlForm));
      else if (parsed->is_zero())
        reader.error("ttl", "must be positive: " + std::string(kTtlForm));
      else
        labels.ttl_ms = parsed->amount;
    } else {
      reader.error("ttl", "must be " + std::string(kTtlForm));
    }
  }
  reader.finish();
}

/// The output topics; an output that is another output's topic, or one the source reads (a
/// feedback loop: the pipeline would consume its own output), is an error.
void read_outputs(JsonObjectReader& root, const SourceConfig& source, OutputsConfig& outputs) {
  const Json* node = root.child("outputs");
  if (!node) return;
  JsonObjectReader reader(*node, root.path_of("outputs"), root.errors());
  const std::pair<const char*, std::string*> topics[] = {{"predictions", &outputs.predictions},
                                                         {"alerts", &outputs.alerts},
                                                         {"dead_letter", &outputs.dead_letter},
                                                         {"features", &outputs.features}};
  for (const auto& [key, topic] : topics)
    if (auto value = reader.name(key)) *topic = *value;
  read_properties(reader, outputs.properties, {{"bootstrap.servers", "$.kafka.bootstrap_servers"}});
  reader.finish();

  std::optional<TopicPattern> pattern;
  if (!source.topic_pattern.empty()) pattern.emplace(source.topic_pattern);
  constexpr std::string_view kLoop =
      ": the pipeline would read its own output (a feedback loop); write it to another topic";
  for (std::size_t i = 0; i < std::size(topics); ++i) {
    const auto& [key, topic] = topics[i];
    if (topic->empty()) continue;
    const std::string quoted = "topic '" + *topic + "'";
    for (std::size_t j = 0; j < i; ++j)
      if (*topics[j].second == *topic)
        reader.error(key, quoted + " is also $.outputs." + topics[j].first +
                              ": give each output its own topic");
    if (std::find(source.topics.begin(), source.topics.end(), *topic) != source.topics.end())
      reader.error(key, quoted + " is also a source topic" + std::string(kLoop));
    else if (pattern && pattern->matches(*topic))
      reader.error(key, quoted + " matches $.source.topic_pattern '" + source.topic_pattern + "'" +
                            std::string(kLoop));
    if (*topic == source.labels_topic)
      reader.error(key, quoted + " is also $.source.labels_topic" + std::string(kLoop));
  }
}

void read_checkpoints(JsonObjectReader& root, CheckpointsConfig& checkpoints) {
  const Json* node = root.child("checkpoints");
  if (!node) return;
  JsonObjectReader reader(*node, root.path_of("checkpoints"), root.errors());
  if (auto value = reader.text("directory")) checkpoints.directory = *value;
  constexpr std::string_view kIntervalForm =
      "a wall-clock duration such as \"10s\" or \"5m\" (\"0s\": not by time), or an integer of "
      "milliseconds";
  if (const Json* interval = reader.child("interval")) {
    if (interval->is_number_integer()) {
      if (interval->is_number_unsigned() && interval->get<std::uint64_t>() <= 86'400'000)
        checkpoints.interval_ms = interval->get<std::int64_t>();
      else
        reader.error("interval", "must be 0 to 86,400,000 milliseconds, or " +
                                     std::string(kIntervalForm));
    } else if (interval->is_string()) {
      auto parsed = stream::features::parse_duration_ms(interval->get<std::string>(), true);
      if (parsed)
        checkpoints.interval_ms = *parsed;
      else
        reader.error("interval", parsed.status().message());
    } else {
      reader.error("interval", "must be " + std::string(kIntervalForm));
    }
  }
  if (auto value = reader.count("every_events", 0, 1'000'000'000'000))
    checkpoints.every_events = static_cast<std::uint64_t>(*value);
  if (auto value = reader.count("keep", 2, 1000)) checkpoints.keep = static_cast<std::size_t>(*value);
  reader.finish();
}

/// `warm_start`: a model file that `streamlearn models export` wrote, of the same expression.
void read_warm_start(JsonObjectReader& root, const std::string& model, std::string& warm_start) {
  auto path = root.text("warm_start");
  if (!path) return;
  warm_start = *path;
  auto file = connectors::ModelFile::read(*path);
  if (!file) {
    root.error("warm_start", file.status().message() +
                                 " (give a file that 'streamlearn models export' wrote)");
    return;
  }
  core::FeatureSpace space;
  auto built = stream::PipelineModel::build(model, space);
  if (!built) return;  // the model's own error says why
  if (file->expression != built->describe())
    root.error("warm_start", "the model file holds the model '" + file->expression +
                                 "', $.model builds '" + built->describe() +
                                 "': export a model of this expression, or change $.model");
}

void read_challenger(JsonObjectReader& root, std::optional<learners::Task> task,
                     ChallengerConfig& challenger) {
  const Json* node = root.child("challenger");
  if (!node) return;
  JsonObjectReader reader(*node, root.path_of("challenger"), root.errors());
  auto model = required_name(reader, "model",
                             "a learner expression without window steps (the model's are "
                             "shared), e.g. \"standard_scaler | hoeffding_tree\"");
  if (auto value = reader.name("metric")) challenger.params.metric = *value;
  if (auto value = reader.number("margin")) challenger.params.margin = *value;
  if (auto value = reader.count("window", 1, 100'000'000))
    challenger.params.window = static_cast<std::size_t>(*value);
  if (auto value = reader.boolean("auto_promote")) challenger.params.auto_promote = *value;
  reader.finish();
  if (!model) return;
  challenger.model = *model;
  if (!task) return;  // the model's own error says why
  core::FeatureSpace space;
  auto built = stream::Challenger::create(challenger.model, challenger.params, *task, space,
                                          reader.path_of("model"), reader.path_of(""));
  if (built) return;
  // One error a line, each starting with its JSON path; an expression's own error may span lines.
  const std::string message = built.status().message();
  std::string_view text = message;
  while (!text.empty()) {
    const std::size_t newline = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, newline);
    if (line.starts_with("$.") || root.errors().empty())
      root.errors().emplace_back(line);
    else
      root.errors().back() += "\n" + std::string(line);
    text.remove_prefix(std::min(newline + 1, text.size()));
  }
}

/// Feature drift watches features: a field with another role is never one.
void check_watched_features(const PipelineConfig& config, std::vector<std::string>& errors) {
  if (!config.monitoring.monitor.feature_drift) return;
  for (const std::string& name : config.monitoring.monitor.feature_drift->features) {
    const stream::FieldRole role = stream::field_role(config.schema, name);
    if (role != stream::FieldRole::kFeature)
      errors.push_back("$.monitoring.feature_drift.features: '" + name + "' is the " +
                       std::string(stream::field_role_name(role)) +
                       ", not a feature; watch features only");
  }
}

}  // namespace

core::Result<PipelineConfig> parse_pipeline_config(std::string_view json_text,
                                                   std::string_view source,
                                                   std::span<const std::string> overrides) {
  auto root = JsonObjectReader::parse_document(json_text, source);
  if (!root) return root.status();
  if (!root->is_object())
    return core::Status::error(std::string(source) + ": must be a JSON object");
  std::vector<std::string> errors;
  for (const std::string& override_text : overrides)
    if (auto error = apply_override(*root, override_text))
      errors.push_back("--set '" + override_text + "': " + *error);

  PipelineConfig config;
  JsonObjectReader reader(*root, "$", errors);
  read_pipeline_name(reader, config.monitoring);
  const std::optional<learners::Task> task = read_model(reader, config.model);
  read_kafka(reader, config.kafka);
  read_source(reader, config.source);
  read_schema(reader, task, config.schema);
  read_labels(reader, config.labels);
  read_metrics(reader, config.metrics);
  read_challenger(reader, task, config.challenger);
  read_outputs(reader, config.source, config.outputs);
  read_checkpoints(reader, config.checkpoints);
  read_warm_start(reader, config.model, config.warm_start);
  const std::size_t errors_before_monitoring = errors.size();
  read_monitoring_section(reader, config.monitoring);
  // The monitors' own checks need a well-formed section and the model's task.
  if (errors.size() == errors_before_monitoring && task) {
    const bool classification = *task == learners::Task::kClassification;
    if (core::Status status =
            stream::ModelMonitor::validate(config.monitoring.monitor, classification);
        !status)
      errors.push_back("$.monitoring: " + status.message());
    check_watched_features(config, errors);
  }
  reader.finish();
  SL_RETURN_IF_ERROR(JsonObjectReader::report(source, errors));
  return config;
}

core::Result<PipelineConfig> load_pipeline_config(const std::string& path,
                                                  std::span<const std::string> overrides) {
  auto text = JsonObjectReader::read_file(path);
  if (!text) return text.status();
  return parse_pipeline_config(*text, path, overrides);
}

}  // namespace streamlearn::config
