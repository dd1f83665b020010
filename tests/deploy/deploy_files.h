#pragma once

/// What the tests of deploy/ share (the static checks in deploy_files_test.cpp and the live
/// Prometheus test in tests/e2e/): the files' paths and contents, the PromQL expressions of the
/// Grafana dashboard and of the alerting rules, the metric catalogue of
/// connectors/prometheus/README.md, and promtool.

#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace streamlearn::deploy {

using Json = nlohmann::json;

inline constexpr char kPromtoolMissing[] =
    "promtool not found on PATH: run scripts/install_deps.sh (Debian package prometheus)";

/// A file of the source tree (SL_SOURCE_DIR).
std::filesystem::path source_path(const std::string& relative);
std::string read_text(const std::filesystem::path& path);
/// Single-quoted for the shell.
std::string shell_quote(const std::string& word);
/// The promtool command, or empty when it is not installed.
std::string promtool();

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr
};
CommandResult run(const std::string& command);

// A fresh folder under the system temp folder, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sl_deploy_XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The metrics table of connectors/prometheus/README.md: name -> type (first and second column).
/// A first cell may name several metrics (`process_open_fds` / `process_max_fds`).
std::map<std::string, std::string> metric_catalogue();

// One PromQL query of the dashboard and where it is, for messages.
struct DashboardQuery {
  std::string where;
  std::string expr;
  bool filtered;  // false for variables: they list the pipelines and instances to filter by
};

Json load_dashboard();
/// Every panel, rows' nested panels included.
std::vector<Json> dashboard_panels(const Json& dashboard);
/// The query of a variable: a string, or {"query": string} (Grafana 9/10).
std::string variable_query(const Json& variable);
/// Panel targets, annotation queries and the series selector of each label_values() variable.
std::vector<DashboardQuery> dashboard_queries(const Json& dashboard);
/// Grafana's variables replaced by values PromQL accepts.
std::string substitute_variables(std::string expr);
/// Names of alerts defined in rules.yml (`- alert: Name`).
std::vector<std::string> alert_names(const std::string& rules);
/// (alert name, expr) of every alerting rule in rules.yml.
std::vector<std::pair<std::string, std::string>> alert_expressions(const std::string& rules);
/// An alert expression with every comparison `<op> <number>` turned into `<op> bool <number>`:
/// it returns a series (0 or 1) wherever the compared series exist, firing or not.
std::string with_bool_comparisons(const std::string& expr);
/// Metric names a text mentions: streamlearn_* and process_* tokens.
std::set<std::string> metric_tokens(const std::string& text);

}  // namespace streamlearn::deploy
