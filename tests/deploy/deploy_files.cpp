#include "tests/deploy/deploy_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "tests/test_support.h"

namespace streamlearn::deploy {

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(SL_SOURCE_DIR) / relative;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Single-quoted for the shell; the paths come from SL_SOURCE_DIR and the temp folder.
std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The promtool command, or empty when it is not installed.
std::string promtool() {
  std::string path;
  if (testing::run_command("command -v promtool 2>/dev/null", &path) != 0) return "";
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return path;
}

CommandResult run(const std::string& command) {
  CommandResult result{0, ""};
  result.exit_code = testing::run_command(command + " 2>&1", &result.output);
  return result;
}

// The metrics table of connectors/prometheus/README.md: name -> type (first and second column).
// A first cell may name several metrics (`process_open_fds` / `process_max_fds`).
std::map<std::string, std::string> metric_catalogue() {
  std::map<std::string, std::string> catalogue;
  std::istringstream lines(read_text(source_path("connectors/prometheus/README.md")));
  const std::regex name_pattern("`([a-zA-Z_:][a-zA-Z0-9_:]*)`");
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    std::string cell;
    while (std::getline(row, cell, '|')) cells.push_back(cell);
    if (cells.size() < 2) continue;
    for (std::sregex_iterator it(cells[0].begin(), cells[0].end(), name_pattern), end; it != end;
         ++it)
      catalogue[(*it)[1]] = cells[1];
  }
  return catalogue;
}

Json load_dashboard() {
  return Json::parse(read_text(source_path("deploy/grafana/dashboards/streamlearn.json")));
}

// Every panel, rows' nested panels included.
void collect_panels(const Json& panels, std::vector<Json>* out) {
  for (const Json& panel : panels) {
    out->push_back(panel);
    if (panel.contains("panels")) collect_panels(panel["panels"], out);
  }
}

std::vector<Json> dashboard_panels(const Json& dashboard) {
  std::vector<Json> panels;
  collect_panels(dashboard.value("panels", Json::array()), &panels);
  return panels;
}

// The query of a variable: a string, or {"query": string} (Grafana 9/10).
std::string variable_query(const Json& variable) {
  const Json& query = variable.at("query");
  return query.is_string() ? query.get<std::string>() : query.value("query", "");
}

// Panel targets, annotation queries and the series selector of each label_values() variable.
std::vector<DashboardQuery> dashboard_queries(const Json& dashboard) {
  std::vector<DashboardQuery> queries;
  for (const Json& panel : dashboard_panels(dashboard))
    for (const Json& target : panel.value("targets", Json::array()))
      queries.push_back(
          {"panel \"" + panel.value("title", "") + "\" target " + target.value("refId", ""),
           target.value("expr", ""), true});
  for (const Json& annotation : dashboard["annotations"].value("list", Json::array()))
    if (annotation.contains("expr"))
      queries.push_back({"annotation \"" + annotation.value("name", "") + "\"",
                         annotation["expr"].get<std::string>(), true});
  const std::regex label_values(R"(^\s*label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$)");
  for (const Json& variable : dashboard["templating"].value("list", Json::array())) {
    if (variable.value("type", "") != "query") continue;
    const std::string query = variable_query(variable);
    std::smatch match;
    const std::string selector =
        std::regex_match(query, match, label_values) ? match[1].str() : query;
    queries.push_back({"variable \"" + variable.value("name", "") + "\"", selector, false});
  }
  return queries;
}

// Grafana's variables replaced by values PromQL accepts.
std::string substitute_variables(std::string expr) {
  static const std::vector<std::pair<std::regex, std::string>> substitutions = {
      {std::regex(R"(\$__rate_interval\b)"), "1m"},
      {std::regex(R"(\$__interval\b)"), "15s"},
      {std::regex(R"(\$pipeline\b)"), ".*"},
      {std::regex(R"(\$instance\b)"), ".*"},
  };
  for (const auto& [pattern, value] : substitutions)
    expr = std::regex_replace(expr, pattern, value);
  return expr;
}

// Names of alerts defined in rules.yml (`- alert: Name`).
std::vector<std::string> alert_names(const std::string& rules) {
  std::vector<std::string> names;
  const std::regex alert(R"(-\s*alert:\s*([A-Za-z0-9_]+))");
  for (std::sregex_iterator it(rules.begin(), rules.end(), alert), end; it != end; ++it)
    names.push_back((*it)[1]);
  return names;
}

// Metric names a text mentions: streamlearn_* and process_* tokens.
std::set<std::string> metric_tokens(const std::string& text) {
  std::set<std::string> tokens;
  const std::regex token(R"((?:^|[^A-Za-z0-9_:])((?:streamlearn|process)_[a-z0-9_]+))");
  for (std::sregex_iterator it(text.begin(), text.end(), token), end; it != end; ++it)
    tokens.insert((*it)[1]);
  return tokens;
}

std::vector<std::pair<std::string, std::string>> alert_expressions(const std::string& rules) {
  std::vector<std::pair<std::string, std::string>> alerts;
  const std::regex alert(R"(-\s*alert:\s*([A-Za-z0-9_]+)\s*\n\s*expr:\s*([^\n]+))");
  for (std::sregex_iterator it(rules.begin(), rules.end(), alert), end; it != end; ++it)
    alerts.emplace_back((*it)[1], (*it)[2]);
  return alerts;
}

std::string with_bool_comparisons(const std::string& expr) {
  static const std::regex comparison(R"(\s(==|!=|>=|<=|>|<)\s+(-?[0-9][0-9.eE+-]*))");
  return std::regex_replace(expr, comparison, " $1 bool $2");
}

}  // namespace streamlearn::deploy
