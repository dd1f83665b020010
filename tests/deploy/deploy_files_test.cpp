// Static checks of deploy/: the Prometheus configuration and alerting rules pass promtool (and
// their unit tests), and the Grafana dashboard queries parse as PromQL and use only the metrics
// of the catalogue in connectors/prometheus/README.md.

#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/deploy/deploy_files.h"
#include "tests/test_support.h"

namespace streamlearn::deploy {
namespace {

TEST(DeployFilesTest, PrometheusConfigPassesPromtoolCheckConfig) {
  const std::string tool = promtool();
  if (tool.empty()) GTEST_SKIP() << kPromtoolMissing;
  // check config also loads and checks the rule files it names.
  const CommandResult result =
      run(tool + " check config " + shell_quote(source_path("deploy/prometheus/prometheus.yml")));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("1 rule files found"), std::string::npos) << result.output;
}

TEST(DeployFilesTest, PrometheusConfigScrapesTheMetricsEndpointEveryFiveSeconds) {
  const std::string config = read_text(source_path("deploy/prometheus/prometheus.yml"));
  for (const std::string expected :
       {"scrape_interval: 5s", "evaluation_interval: 5s", "job_name: streamlearn",
        "metrics_path: /metrics", "- 127.0.0.1:9464", "- rules.yml"})
    EXPECT_NE(config.find(expected), std::string::npos) << expected;
}

TEST(DeployFilesTest, AlertingRulesPassPromtoolCheckRules) {
  const std::string tool = promtool();
  if (tool.empty()) GTEST_SKIP() << kPromtoolMissing;
  const CommandResult result =
      run(tool + " check rules " + shell_quote(source_path("deploy/prometheus/rules.yml")));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("SUCCESS: 6 rules found"), std::string::npos) << result.output;
}

TEST(DeployFilesTest, AlertingRulesPassTheirUnitTests) {
  const std::string tool = promtool();
  if (tool.empty()) GTEST_SKIP() << kPromtoolMissing;
  const CommandResult result =
      run(tool + " test rules " + shell_quote(source_path("deploy/prometheus/rules_test.yml")));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("SUCCESS"), std::string::npos) << result.output;
}

TEST(DeployFilesTest, EveryAlertHasAUnitTestAndASeverity) {
  const std::string rules = read_text(source_path("deploy/prometheus/rules.yml"));
  const std::string rules_test = read_text(source_path("deploy/prometheus/rules_test.yml"));
  const std::vector<std::string> names = alert_names(rules);
  EXPECT_EQ(names,
            (std::vector<std::string>{"StreamlearnDriftDetected", "StreamlearnModelQualityDropped",
                                      "StreamlearnConsumerLagGrowing", "StreamlearnDown",
                                      "StreamlearnNotProcessing", "StreamlearnNotReady"}));
  for (const std::string& name : names)
    EXPECT_NE(rules_test.find("alertname: " + name + "\n"), std::string::npos)
        << name << " has no test in rules_test.yml";
  // One severity label, summary and description per alert.
  const auto count = [&rules](const std::string& text) {
    std::size_t found = 0;
    for (std::size_t at = rules.find(text); at != std::string::npos; at = rules.find(text, at + 1))
      ++found;
    return found;
  };
  EXPECT_EQ(count("severity: warning") + count("severity: critical"), names.size());
  EXPECT_EQ(count("summary: "), names.size());
  EXPECT_EQ(count("description: "), names.size());
}

TEST(DeployFilesTest, DashboardQueriesParseAsPromql) {
  const std::string tool = promtool();
  if (tool.empty()) GTEST_SKIP() << kPromtoolMissing;
  const std::vector<DashboardQuery> queries = dashboard_queries(load_dashboard());
  ASSERT_GE(queries.size(), 20u);

  // One recording rule per query: promtool parses each expression without a server.
  std::string rules = "groups:\n  - name: dashboard\n    rules:\n";
  std::string listing;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const std::string record = "dashboard_query_" + std::to_string(i);
    const std::string expr = substitute_variables(queries[i].expr);
    // A JSON string is a valid YAML double-quoted scalar.
    rules += "      - record: " + record + "\n        expr: " + Json(expr).dump() + "\n";
    listing += record + " = " + queries[i].where + ": " + expr + "\n";
  }
  TempDir dir;
  ASSERT_FALSE(dir.path().empty())
      << "cannot create a folder under " << std::filesystem::temp_directory_path();
  const std::filesystem::path rules_file = dir.path() / "dashboard_queries.yml";
  std::ofstream(rules_file) << rules;

  const CommandResult result = run(tool + " check rules " + shell_quote(rules_file.string()));
  EXPECT_EQ(result.exit_code, 0) << result.output << "\nqueries:\n" << listing;
  EXPECT_NE(result.output.find("SUCCESS: " + std::to_string(queries.size()) + " rules found"),
            std::string::npos)
      << result.output;
}

TEST(DeployFilesTest, DashboardAndRulesUseOnlyCatalogueMetrics) {
  const std::map<std::string, std::string> catalogue = metric_catalogue();
  ASSERT_GE(catalogue.size(), 30u) << "the metrics table of connectors/prometheus/README.md";
  ASSERT_TRUE(catalogue.contains("process_max_fds"));

  std::string used_text;
  for (const DashboardQuery& query : dashboard_queries(load_dashboard()))
    used_text += query.expr + "\n";
  used_text += read_text(source_path("deploy/prometheus/rules.yml"));
  used_text += read_text(source_path("deploy/prometheus/rules_test.yml"));

  const std::set<std::string> tokens = metric_tokens(used_text);
  EXPECT_GE(tokens.size(), 20u);
  for (std::string name : tokens) {
    // A histogram is exported as <name>_bucket, <name>_sum and <name>_count.
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (!name.ends_with(suffix)) continue;
      const std::string base = name.substr(0, name.size() - suffix.size());
      const auto entry = catalogue.find(base);
      if (entry != catalogue.end() && entry->second.find("histogram") != std::string::npos)
        name = base;
    }
    EXPECT_TRUE(catalogue.contains(name))
        << name << " is not in the catalogue of connectors/prometheus/README.md";
  }
}

TEST(DeployFilesTest, DashboardPanelsHaveTitlesAndThePrometheusDatasource) {
  const Json dashboard = load_dashboard();
  const std::vector<Json> panels = dashboard_panels(dashboard);
  ASSERT_GE(panels.size(), 15u);
  const Json prometheus = {{"type", "prometheus"}, {"uid", "prometheus"}};
  std::set<int> ids;
  for (const Json& panel : panels) {
    const std::string title = panel.value("title", "");
    EXPECT_FALSE(title.empty()) << panel.dump();
    EXPECT_EQ(panel.value("datasource", Json()), prometheus) << title;
    EXPECT_TRUE(ids.insert(panel.value("id", -1)).second) << "duplicate panel id: " << title;
    EXPECT_TRUE(panel.contains("gridPos")) << title;
    ASSERT_FALSE(panel.value("targets", Json::array()).empty()) << title;
    for (const Json& target : panel["targets"]) {
      EXPECT_EQ(target.value("datasource", Json()), prometheus) << title;
      EXPECT_FALSE(target.value("expr", "").empty()) << title;
    }
  }
  const Json annotations = dashboard["annotations"].value("list", Json::array());
  ASSERT_FALSE(annotations.empty());
  for (const Json& annotation : annotations) {
    EXPECT_EQ(annotation.value("datasource", Json()), prometheus) << annotation.dump();
    EXPECT_FALSE(annotation.value("expr", "").empty()) << annotation.dump();
  }
  for (const Json& variable : dashboard["templating"]["list"])
    EXPECT_EQ(variable.value("datasource", Json()), prometheus) << variable.dump();
}

TEST(DeployFilesTest, DashboardQueriesFilterByPipelineAndInstance) {
  // Every series selector of a panel or annotation filters by the variables. `up` and process_*
  // series may lack the pipeline label: they filter by instance (the instance variable only
  // lists the selected pipelines' instances) and, for process_*, join build_info by pipeline.
  const std::regex selector(
      R"((?:^|[^A-Za-z0-9_:])(streamlearn_[a-z0-9_]+|process_[a-z0-9_]+|up)\s*(\{[^}]*\})?)");
  const std::string pipeline_filter = R"(pipeline=~"$pipeline")";
  const std::string instance_filter = R"(instance=~"$instance")";
  for (const DashboardQuery& query : dashboard_queries(load_dashboard())) {
    if (!query.filtered) continue;
    std::size_t selectors = 0;
    for (std::sregex_iterator it(query.expr.begin(), query.expr.end(), selector), end; it != end;
         ++it) {
      ++selectors;
      const std::string name = (*it)[1];
      const std::string matchers = (*it)[2];
      EXPECT_NE(matchers.find(instance_filter), std::string::npos) << query.where << ": " << name;
      if (name.starts_with("streamlearn_")) {
        EXPECT_NE(matchers.find(pipeline_filter), std::string::npos) << query.where << ": " << name;
        continue;
      }
      EXPECT_NE(matchers.find(R"(job="streamlearn")"), std::string::npos)
          << query.where << ": " << name;
      if (name != "up") {  // joined to a streamlearn_* series that filters by pipeline
        EXPECT_NE(query.expr.find(pipeline_filter), std::string::npos)
            << query.where << ": " << name;
      }
    }
    EXPECT_GE(selectors, 1u) << query.where << ": " << query.expr;
  }
}

TEST(DeployFilesTest, DashboardUsesOnlyGrafanaIntervalsAndItsOwnVariables) {
  const std::set<std::string> allowed = {"__rate_interval", "__interval", "pipeline", "instance"};
  const std::regex variable(R"(\$\{?([A-Za-z_][A-Za-z0-9_]*))");
  for (const DashboardQuery& query : dashboard_queries(load_dashboard())) {
    EXPECT_EQ(query.expr.find("[["), std::string::npos) << query.where;
    for (std::sregex_iterator it(query.expr.begin(), query.expr.end(), variable), end; it != end;
         ++it)
      EXPECT_TRUE(allowed.contains((*it)[1])) << query.where << ": $" << (*it)[1];
  }
}

TEST(DeployFilesTest, DashboardIsProvisionableWithPipelineAndInstanceVariables) {
  const Json dashboard = load_dashboard();
  EXPECT_TRUE(dashboard["id"].is_null());
  EXPECT_EQ(dashboard.value("uid", ""), "streamlearn");
  EXPECT_EQ(dashboard.value("title", ""), "streamlearn");
  EXPECT_GE(dashboard.value("schemaVersion", 0), 36);

  std::map<std::string, Json> variables;
  for (const Json& variable : dashboard["templating"]["list"])
    variables[variable.value("name", "")] = variable;
  ASSERT_TRUE(variables.contains("pipeline"));
  ASSERT_TRUE(variables.contains("instance"));
  EXPECT_EQ(variable_query(variables["pipeline"]),
            "label_values(streamlearn_build_info, pipeline)");
  EXPECT_NE(variable_query(variables["instance"]).find(R"(pipeline=~"$pipeline")"),
            std::string::npos);
  for (const auto& [name, variable] : variables) {
    EXPECT_EQ(variable.value("type", ""), "query") << name;
    EXPECT_TRUE(variable.value("multi", false)) << name;
    EXPECT_TRUE(variable.value("includeAll", false)) << name;
  }
}

TEST(DeployFilesTest, GrafanaProvisioningPointsAtPrometheusAndTheDashboards) {
  const std::string datasources =
      read_text(source_path("deploy/grafana/provisioning/datasources/prometheus.yml"));
  for (const std::string expected :
       {"apiVersion: 1", "type: prometheus", "uid: prometheus", "url: http://127.0.0.1:9090"})
    EXPECT_NE(datasources.find(expected), std::string::npos) << expected;
  const std::string dashboards =
      read_text(source_path("deploy/grafana/provisioning/dashboards/streamlearn.yml"));
  for (const std::string expected : {"apiVersion: 1", "type: file", "path: "})
    EXPECT_NE(dashboards.find(expected), std::string::npos) << expected;
}

}  // namespace
}  // namespace streamlearn::deploy
