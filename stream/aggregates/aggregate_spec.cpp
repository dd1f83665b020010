#include "stream/aggregates/aggregate_spec.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "core/param_reader.h"
#include "core/param_writer.h"

namespace streamlearn::stream::aggregates {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool is_field_char(char c) { return is_name_char(c) || c == '.' || c == '-'; }

// A range bound in a message: 0.0001 rather than ParamWriter's 1e-04.
std::string bound(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

// The example shown when an aggregate lacks its field.
std::string usage(AggregateKind kind) {
  const std::string name(aggregate_kind_name(kind));
  switch (kind) {
    case AggregateKind::kQuantile:
      return name + "(<field>, q=0.99)";
    default:
      return name + "(<field>)";
  }
}

class SpecParser {
 public:
  explicit SpecParser(std::string_view text) : text_(text) {}

  core::Result<AggregateSpec> parse() {
    AggregateSpec spec;
    skip_space();
    if (at_end()) return error("expected an aggregate such as mean(amount) or count()");
    const std::size_t name_column = position_;
    while (!at_end() && is_name_char(peek())) ++position_;
    const std::string_view name = text_.substr(name_column, position_ - name_column);
    if (name.empty()) return syntax_error("expected an aggregate name");
    const std::optional<AggregateKind> kind = aggregate_kind_from_name(name);
    if (!kind) {
      return error("unknown aggregate '" + std::string(name) +
                   "' (known: " + known_aggregate_names() + ")");
    }
    spec.kind = *kind;
    skip_space();
    if (at_end() || peek() != '(')
      return syntax_error("expected '(' after '" + std::string(name) + "'");
    ++position_;
    core::ParamMap params;
    if (!parse_arguments(spec.field, params)) return status_;
    skip_space();
    if (!at_end()) return syntax_error("unexpected text after ')'");
    if (spec.field.empty() && spec.kind != AggregateKind::kCount) {
      return error(std::string(name) + " needs the field it aggregates first, as in " +
                   usage(spec.kind));
    }
    if (core::Status status = read_params(spec, params); !status.is_ok()) return status;
    return spec;
  }

 private:
  // After '(': `)`, or arguments separated by commas up to ')'. The first argument may be the
  // field; every other is key=value.
  bool parse_arguments(std::string& field, core::ParamMap& params) {
    skip_space();
    if (!at_end() && peek() == ')') {
      ++position_;
      return true;
    }
    for (std::size_t argument = 0;; ++argument) {
      skip_space();
      const std::size_t start = position_;
      std::string token;
      if (!at_end() && (peek() == '\'' || peek() == '"')) {
        if (!parse_quoted(token)) return false;
        if (argument > 0) return fail_at(start, "only the first argument can be the field");
        field = std::move(token);
      } else {
        while (!at_end() && is_field_char(peek())) ++position_;
        token = std::string(text_.substr(start, position_ - start));
        if (token.empty()) {
          return fail(argument == 0 ? "expected a field name, a parameter (key=value) or ')'"
                                    : "expected a parameter (key=value)");
        }
        skip_space();
        if (!at_end() && peek() == '=') {
          ++position_;
          if (!parse_param(start, token, params)) return false;
        } else if (argument > 0) {
          return fail_at(start, "'" + token +
                                    "' is not key=value: only the first argument can be the "
                                    "field, parameters are written key=value");
        } else {
          field = std::move(token);
        }
      }
      skip_space();
      if (at_end()) return fail("expected ',' or ')'");
      if (peek() == ')') {
        ++position_;
        return true;
      }
      if (peek() != ',') return fail("expected ',' or ')'");
      ++position_;
    }
  }

  // `key=` has been read; reads the value up to the next ',' or ')'.
  bool parse_param(std::size_t key_column, const std::string& key, core::ParamMap& params) {
    for (const char c : key) {
      if (!is_name_char(c)) return fail_at(key_column, "'" + key + "' is not a parameter name");
    }
    const std::size_t start = position_;
    while (!at_end() && peek() != ',' && peek() != ')') ++position_;
    std::string_view value = text_.substr(start, position_ - start);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
      value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
      value.remove_suffix(1);
    if (value.empty()) return fail_at(key_column, "parameter '" + key + "' has no value");
    if (!params.emplace(key, std::string(value)).second)
      return fail_at(key_column, "parameter '" + key + "' is given twice");
    return true;
  }

  bool parse_quoted(std::string& token) {
    const std::size_t start = position_;
    const char quote = peek();
    ++position_;
    while (!at_end() && peek() != quote) token += text_[position_++];
    if (at_end()) return fail_at(start, "the quoted field name is not closed");
    ++position_;
    if (token.empty()) return fail_at(start, "the field name is empty");
    return true;
  }

  core::Status read_params(AggregateSpec& spec, const core::ParamMap& params) const {
    core::ParamReader reader("aggregate '" + std::string(text_) + "'", params);
    switch (spec.kind) {
      case AggregateKind::kVariance:
      case AggregateKind::kStandardDeviation: {
        Variance::Params variance;
        const std::int64_t ddof = reader.integer("ddof", variance.ddof);
        if (ddof < 0 || ddof > std::numeric_limits<std::int32_t>::max()) {
          reader.reject("ddof", "must be an integer >= 0 (the divisor is n - ddof), got " +
                                    std::to_string(ddof));
        } else {
          variance.ddof = static_cast<std::uint32_t>(ddof);
        }
        spec.params = variance;
        break;
      }
      case AggregateKind::kDistinctCount: {
        DistinctCount::Params distinct;
        const std::int64_t precision = reader.integer("precision", distinct.precision);
        if (precision < DistinctCount::kMinPrecision || precision > DistinctCount::kMaxPrecision) {
          reader.reject("precision",
                        "must be an integer from " + std::to_string(DistinctCount::kMinPrecision) +
                            " to " + std::to_string(DistinctCount::kMaxPrecision) +
                            " (2^precision registers), got " + std::to_string(precision));
        } else {
          distinct.precision = static_cast<std::uint32_t>(precision);
        }
        spec.params = distinct;
        break;
      }
      case AggregateKind::kQuantile: {
        Quantile::Params quantile;
        const double q = reader.number("q", quantile.q);
        if (q < 0.0 || q > 1.0) {
          reader.reject("q", "must be from 0 to 1, got " + core::ParamWriter::format_number(q));
        } else {
          quantile.q = q;
        }
        const double alpha = reader.number("alpha", quantile.alpha);
        if (alpha < Quantile::kMinAlpha || alpha > Quantile::kMaxAlpha) {
          reader.reject("alpha", "must be from " + bound(Quantile::kMinAlpha) + " to " +
                                     bound(Quantile::kMaxAlpha) + " (the relative error), got " +
                                     core::ParamWriter::format_number(alpha));
        } else {
          quantile.alpha = alpha;
        }
        const std::int64_t buckets = reader.integer("max_num_buckets", quantile.max_num_buckets);
        if (buckets < Quantile::kMinBuckets || buckets > Quantile::kMaxBuckets) {
          reader.reject("max_num_buckets", "must be an integer from " +
                                               std::to_string(Quantile::kMinBuckets) + " to " +
                                               std::to_string(Quantile::kMaxBuckets) + ", got " +
                                               std::to_string(buckets));
        } else {
          quantile.max_num_buckets = static_cast<std::uint32_t>(buckets);
        }
        spec.params = quantile;
        break;
      }
      default:
        spec.params = std::monostate{};
        break;
    }
    return reader.finish();
  }

  core::Status error(const std::string& what) const {
    return core::Status::error("aggregate '" + std::string(text_) + "': " + what);
  }
  core::Status syntax_error(const std::string& what) const {
    return error("at column " + std::to_string(position_ + 1) + ": " + what);
  }
  bool fail(const std::string& what) { return fail_at(position_, what); }
  bool fail_at(std::size_t column, const std::string& what) {
    status_ = error("at column " + std::to_string(column + 1) + ": " + what);
    return false;
  }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek()))) ++position_;
  }
  bool at_end() const { return position_ >= text_.size(); }
  char peek() const { return text_[position_]; }

  std::string_view text_;
  std::size_t position_ = 0;
  core::Status status_;
};

// The field as the parser reads it back: bare when it can be, else quoted.
std::string quote_field(const std::string& field) {
  bool bare = !field.empty();
  for (const char c : field) bare = bare && is_field_char(c);
  if (bare) return field;
  const char quote = field.find('\'') == std::string::npos ? '\'' : '"';
  return quote + field + quote;
}

}  // namespace

std::string AggregateSpec::expression() const {
  std::string arguments = field.empty() ? "" : quote_field(field);
  auto add = [&arguments](std::string_view key, const std::string& value) {
    if (!arguments.empty()) arguments += ", ";
    arguments += std::string(key) + "=" + value;
  };
  if (const auto* variance = std::get_if<Variance::Params>(&params)) {
    if (variance->ddof != Variance::Params{}.ddof) add("ddof", std::to_string(variance->ddof));
  } else if (const auto* distinct = std::get_if<DistinctCount::Params>(&params)) {
    if (distinct->precision != DistinctCount::Params{}.precision)
      add("precision", std::to_string(distinct->precision));
  } else if (const auto* quantile = std::get_if<Quantile::Params>(&params)) {
    const Quantile::Params defaults;
    if (quantile->q != defaults.q) add("q", core::ParamWriter::format_number(quantile->q));
    if (quantile->alpha != defaults.alpha)
      add("alpha", core::ParamWriter::format_number(quantile->alpha));
    if (quantile->max_num_buckets != defaults.max_num_buckets)
      add("max_num_buckets", std::to_string(quantile->max_num_buckets));
  }
  return std::string(aggregate_kind_name(kind)) + "(" + arguments + ")";
}

core::Result<AggregateSpec> parse_aggregate_spec(std::string_view expression) {
  return SpecParser(expression).parse();
}

}  // namespace streamlearn::stream::aggregates
