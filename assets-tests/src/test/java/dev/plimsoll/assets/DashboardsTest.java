package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.ContractDoc;
import dev.plimsoll.ops.testsupport.LocalServices;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboards in {@code dashboards/}, statically: their shape (schema version, uids,
 * variables, the datasource only through {@code ${datasource}}), that every metric they read is in
 * {@code docs/contract.md} or is a recording rule of {@code alerts/}, that every selector filters
 * by the service, that every query parses as PromQL, and that the Kubernetes and file provisioning
 * ship every dashboard. {@code LiveAssetsIT} runs the same queries against live metrics.
 */
class DashboardsTest {

  /** As Grafana 11 writes it; Grafana 12 migrates it when it loads the dashboard. */
  static final int SCHEMA_VERSION = 39;

  static final List<String> DASHBOARDS =
      List.of("health-lifecycle.json", "runtime.json", "service-overview.json");

  static final Map<String, String> DATASOURCE =
      Map.of("type", "prometheus", "uid", "${datasource}");

  /** The optional log datasource, the only other one a panel may query (the Logs row). */
  static final Map<String, String> LOGS = Map.of("type", "loki", "uid", "${loki}");

  /** The dashboard with the trace and log links, the optional variables and the Logs row. */
  static final String LINKED = "service-overview.json";

  /** A route panel's links: Explore on the log datasource, then on the trace datasource. */
  private static final List<String> LINK_TARGETS = List.of("${loki}", "${tempo}");

  private static final String SERVICE_FILTER = "service_name=~?\"\\$service\"";

  @TempDir Path work;

  private static Path dir() {
    return Assets.dashboards();
  }

  private static Map<String, JsonNode> dashboards() {
    Map<String, JsonNode> dashboards = new LinkedHashMap<>();
    for (Path file : DashboardExpressions.files(dir())) {
      dashboards.put(file.getFileName().toString(), DashboardExpressions.read(file));
    }
    return dashboards;
  }

  private static Map<String, String> keepFilters() {
    return Map.of("service", "$service", "instance", "$instance", "version", "$version");
  }

  /** Panels, annotations and the query variables. */
  private static List<DashboardExpressions.Expression> everyQuery(Map<String, String> variables) {
    List<DashboardExpressions.Expression> queries = new ArrayList<>();
    queries.addAll(DashboardExpressions.all(dir(), variables));
    queries.addAll(DashboardExpressions.annotations(dir(), variables));
    queries.addAll(DashboardExpressions.variables(dir(), variables));
    return queries;
  }

  @Test
  void theThreeDashboardsParseWithTheSchemaVersionAndUniqueUids() {
    Map<String, JsonNode> dashboards = dashboards();
    assertThat(dashboards.keySet()).containsExactlyElementsOf(DASHBOARDS);
    Set<String> uids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    dashboards.forEach(
        (file, dashboard) -> {
          assertThat(dashboard.path("schemaVersion").asInt()).as(file).isEqualTo(SCHEMA_VERSION);
          String uid = dashboard.path("uid").asString("");
          assertThat(uid).as(file + " uid").matches("[a-z0-9-]{1,40}");
          assertThat(uids.add(uid)).as(file + " uid " + uid + " is unique").isTrue();
          assertThat(titles.add(dashboard.path("title").asString())).as(file + " title").isTrue();
          assertThat(dashboard.path("id").isNull()).as(file + " id is null").isTrue();
          assertThat(dashboard.has("__inputs") || dashboard.has("__requires"))
              .as(file + " has no import placeholders")
              .isFalse();
          assertThat(dashboard.path("tags").toString()).as(file).contains("\"plimsoll\"");
        });
  }

  @Test
  void everyDashboardHasTheDatasourceServiceInstanceAndVersionVariables() {
    dashboards()
        .forEach(
            (file, dashboard) -> {
              Map<String, JsonNode> variables = new LinkedHashMap<>();
              for (JsonNode variable : dashboard.path("templating").path("list")) {
                variables.put(variable.path("name").asString(), variable);
              }
              if (file.equals(LINKED)) {
                assertThat(variables.keySet())
                    .as(file)
                    .containsExactly(
                        "datasource", "service", "instance", "version", "tempo", "loki");
                // Optional: a datasource variable without a match is empty, never an error.
                for (String optional : List.of("tempo", "loki")) {
                  JsonNode variable = variables.get(optional);
                  assertThat(variable.path("type").asString()).isEqualTo("datasource");
                  assertThat(variable.path("query").asString()).isEqualTo(optional);
                  assertThat(variable.path("current").isEmpty()).as(optional).isTrue();
                }
              } else {
                assertThat(variables.keySet())
                    .as(file)
                    .containsExactly("datasource", "service", "instance", "version");
              }
              JsonNode datasource = variables.get("datasource");
              assertThat(datasource.path("type").asString()).isEqualTo("datasource");
              assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
              assertQueryVariable(
                  file, variables.get("service"), "label_values(ops_build_info, service_name)");
              assertThat(variables.get("service").path("multi").asBoolean()).isFalse();
              assertQueryVariable(
                  file,
                  variables.get("instance"),
                  "label_values(ops_build_info{service_name=\"$service\"}, instance)");
              assertQueryVariable(
                  file,
                  variables.get("version"),
                  "label_values(ops_build_info{service_name=\"$service\"}, service_version)");
              for (String multi : List.of("instance", "version")) {
                JsonNode variable = variables.get(multi);
                assertThat(variable.path("multi").asBoolean()).as(file + " " + multi).isTrue();
                assertThat(variable.path("includeAll").asBoolean()).as(file + " " + multi).isTrue();
                assertThat(variable.path("allValue").asString())
                    .as(file + " " + multi)
                    .isEqualTo(".*");
              }
            });
  }

  private static void assertQueryVariable(String file, JsonNode variable, String query) {
    assertThat(variable.path("type").asString()).as(file + " " + variable).isEqualTo("query");
    assertThat(datasource(variable.path("datasource"))).as(file).isEqualTo(DATASOURCE);
    assertThat(variable.path("definition").asString()).as(file).isEqualTo(query);
    assertThat(variable.path("query").path("query").asString()).as(file).isEqualTo(query);
  }

  @Test
  void everyDatasourceIsTheVariableAndNoUidIsLiteral() {
    dashboards()
        .forEach(
            (file, dashboard) -> {
              List<String> wrong = new ArrayList<>();
              walk(dashboard, "$", wrong);
              assertThat(wrong)
                  .as(file + ": datasources and uids other than ${datasource} (and ${loki})")
                  .isEmpty();
              assertThat(dashboard.toString()).as(file).doesNotContain("${DS_");
            });
  }

  private static void walk(JsonNode node, String path, List<String> wrong) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String at = path + "." + field.getKey();
        JsonNode value = field.getValue();
        if (field.getKey().equals("datasource")
            && !datasource(value).equals(DATASOURCE)
            && !datasource(value).equals(LOGS)) {
          wrong.add(at + " = " + value);
        }
        if (field.getKey().equals("uid")
            && !at.equals("$.uid")
            && !value.asString("").equals("${datasource}")
            && !value.asString("").equals("${loki}")) {
          wrong.add(at + " = " + value);
        }
        walk(value, at, wrong);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", wrong);
      }
    }
  }

  private static Map<String, String> datasource(JsonNode node) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      fields.put(field.getKey(), field.getValue().asString(""));
    }
    return fields;
  }

  @Test
  void everyPanelQueriesPrometheusAndTheLayoutFitsTheGrid() {
    dashboards()
        .forEach(
            (file, dashboard) -> {
              Set<Integer> ids = new HashSet<>();
              List<int[]> boxes = new ArrayList<>();
              for (JsonNode panel : DashboardExpressions.panels(dashboard)) {
                String title = file + " / " + panel.path("title").asString();
                assertThat(ids.add(panel.path("id").asInt())).as(title + " id is unique").isTrue();
                JsonNode grid = panel.path("gridPos");
                int[] box = {
                  grid.path("x").asInt(), grid.path("y").asInt(),
                  grid.path("w").asInt(), grid.path("h").asInt()
                };
                assertThat(box[0] + box[2]).as(title + " fits 24 columns").isBetween(1, 24);
                for (int[] other : boxes) {
                  boolean overlap =
                      box[0] < other[0] + other[2]
                          && other[0] < box[0] + box[2]
                          && box[1] < other[1] + other[3]
                          && other[1] < box[1] + box[3];
                  assertThat(overlap).as(title + " overlaps no other panel").isFalse();
                }
                boxes.add(box);
                if (panel.path("type").asString().equals("row")) {
                  continue;
                }
                assertThat(panel.path("title").asString()).as(file + " panel title").isNotBlank();
                List<String> exprs = new ArrayList<>();
                for (JsonNode target : panel.path("targets")) {
                  exprs.add(target.path("expr").asString(""));
                }
                assertThat(exprs).as(title + " queries").isNotEmpty().doesNotContain("");
              }
            });
  }

  @Test
  void everyMetricIsInTheContractOrIsARecordingRule() {
    RulesContract documented = RulesContract.load();
    assertThat(documented.documents("jvm_memory_used_bytes"))
        .as("the jvm_memory_* family in docs/contract.md")
        .isTrue();
    assertThat(documented.documentsFamilyOf("hikaricp_connections_idle"))
        .as("the hikaricp_* family in docs/contract.md")
        .isTrue();
    List<String> undocumented = new ArrayList<>();
    for (DashboardExpressions.Expression query : everyQuery(Map.of())) {
      for (String metric : PromQlNames.metrics(query.expr())) {
        if (!documented.documentsFamilyOf(metric)
            && !RulesFiles.AGREED_RECORDINGS.contains(metric)) {
          undocumented.add(metric + " in " + query.dashboard() + " / " + query.panel());
        }
      }
    }
    assertThat(undocumented)
        .as("metrics neither in docs/contract.md nor recording rules")
        .isEmpty();
  }

  @Test
  void everyRecordingRuleTheDashboardsReadIsRecordedInAlerts() throws IOException {
    Set<String> recorded = new TreeSet<>();
    try (Stream<Path> files = Files.list(Assets.alerts())) {
      for (Path file : files.filter(p -> p.toString().matches(".*\\.ya?ml")).toList()) {
        recorded.addAll(records(file));
      }
    }
    Set<String> read = new TreeSet<>();
    for (DashboardExpressions.Expression query : everyQuery(Map.of())) {
      PromQlNames.metrics(query.expr()).stream().filter(m -> m.contains(":")).forEach(read::add);
    }
    assertThat(read).isNotEmpty();
    assertThat(recorded).as("recording rules in alerts/").containsAll(read);
  }

  @SuppressWarnings("unchecked")
  private static Set<String> records(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Reader in = Files.newBufferedReader(file)) {
      Map<String, Object> root = new Yaml().load(in);
      if (root == null || !(root.get("groups") instanceof List<?>)) {
        return names;
      }
      for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          if (rule.get("record") != null) {
            names.add(String.valueOf(rule.get("record")));
          }
        }
      }
    }
    return names;
  }

  @Test
  void everySelectorFiltersByTheServiceAndPanelsByInstanceAndVersion() {
    List<String> unfiltered = new ArrayList<>();
    for (DashboardExpressions.Expression query : DashboardExpressions.all(dir(), keepFilters())) {
      unfiltered.addAll(unfiltered(query, true));
    }
    List<DashboardExpressions.Expression> others = new ArrayList<>();
    others.addAll(DashboardExpressions.annotations(dir(), keepFilters()));
    others.addAll(DashboardExpressions.variables(dir(), keepFilters()));
    for (DashboardExpressions.Expression query : others) {
      if (!query.panel().equals("variable: service")) { // it lists the services to filter by
        unfiltered.addAll(unfiltered(query, false));
      }
    }
    assertThat(unfiltered).as("selectors without the variables' filters").isEmpty();
  }

  /**
   * The selectors of {@code query} without {@code service_name="$service"}, and, for {@code panel}
   * queries, raw metrics without {@code instance=~"$instance"} and {@code
   * service_version=~"$version"} (recording rules are per service only).
   */
  private static List<String> unfiltered(DashboardExpressions.Expression query, boolean panel) {
    List<String> unfiltered = new ArrayList<>();
    for (String metric : PromQlNames.metrics(query.expr())) {
      for (String matchers : selectors(query.expr(), metric)) {
        boolean ok = matchers.matches("(?s).*\\b" + SERVICE_FILTER + ".*");
        if (panel && !metric.contains(":")) {
          ok &=
              matchers.contains("instance=~\"$instance\"")
                  && matchers.contains("service_version=~\"$version\"");
        }
        if (!ok) {
          unfiltered.add(query + "\n    selector " + metric + matchers);
        }
      }
    }
    return unfiltered;
  }

  /** The matchers ({@code {...}}, or empty) of each selector of {@code metric} in {@code expr}. */
  static List<String> selectors(String expr, String metric) {
    Matcher m =
        Pattern.compile("(?<![\\w:])" + Pattern.quote(metric) + "(?![\\w:])\\s*(\\{[^}]*})?")
            .matcher(expr);
    List<String> selectors = new ArrayList<>();
    while (m.find()) {
      selectors.add(m.group(1) == null ? "" : m.group(1));
    }
    return selectors;
  }

  @Test
  void everyVariableAQueryUsesIsDefined() {
    for (DashboardExpressions.Expression query : everyQuery(Map.of())) {
      assertThat(query.expr()).as(query.toString()).doesNotContain("$").doesNotContain("[[");
    }
  }

  @Test
  void everyQueryIsValidPromQl() throws Exception {
    Path promtool = LocalServices.requireExecutable("promtool");
    List<Map<String, Object>> rules = new ArrayList<>();
    List<DashboardExpressions.Expression> queries = everyQuery(Map.of("service", "example"));
    for (int i = 0; i < queries.size(); i++) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("record", "dashboard:query_" + i + ":check");
      rule.put("expr", queries.get(i).expr());
      rules.add(rule);
    }
    Path file = work.resolve("dashboard-queries.yaml");
    Files.writeString(
        file,
        new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules)))));
    Process process =
        new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("promtool check rules:\n" + output + "\n" + queries)
        .isZero();
    assertThat(output).contains("SUCCESS: " + queries.size() + " rules found");
  }

  @Test
  void theConfigMapGeneratorShipsEveryDashboardToTheGrafanaSidecar() throws IOException {
    Map<String, Object> kustomization = yaml(dir().resolve("kustomization.yaml"));
    Map<String, Object> options = map(kustomization.get("generatorOptions"));
    assertThat(map(options.get("labels"))).containsEntry("grafana_dashboard", "1");
    assertThat(options).containsEntry("disableNameSuffixHash", true);
    List<Object> generators = list(kustomization.get("configMapGenerator"));
    assertThat(generators).hasSize(1);
    List<String> files = new ArrayList<>();
    for (Object entry : list(map(generators.get(0)).get("files"))) {
      String spec = String.valueOf(entry);
      files.add(spec.substring(spec.indexOf('=') + 1));
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(DASHBOARDS);
  }

  @Test
  void theProvisioningExamplesLoadTheFilesFromPrometheus() throws IOException {
    Map<String, Object> providers = yaml(dir().resolve("provisioning/dashboards.yaml"));
    assertThat(providers).containsEntry("apiVersion", 1);
    Map<String, Object> provider = map(list(providers.get("providers")).get(0));
    assertThat(provider).containsEntry("type", "file");
    assertThat(map(provider.get("options"))).containsKey("path");

    Map<String, Object> datasources = yaml(dir().resolve("provisioning/datasource.yaml"));
    Map<String, Object> datasource = map(list(datasources.get("datasources")).get(0));
    assertThat(datasource).containsEntry("type", "prometheus");
    // $__rate_interval is at least four scrape intervals only when Grafana knows the interval.
    assertThat(map(datasource.get("jsonData"))).containsKey("timeInterval");
  }

  @Test
  void latencyPanelsShowExemplarsAndRoutePanelsLinkToTheirLogsAndTraces() {
    JsonNode dashboard = dashboards().get(LINKED);
    int latency = 0;
    int routes = 0;
    for (JsonNode panel : DashboardExpressions.panels(dashboard)) {
      String title = panel.path("title").asString();
      for (JsonNode target : panel.path("targets")) {
        if (panel.path("type").asString().equals("timeseries")
            && target.path("expr").asString("").contains("histogram_quantile")) {
          assertThat(target.path("exemplar").asBoolean()).as(title + " exemplars").isTrue();
          latency++;
        }
      }
      boolean byRoute = false;
      for (JsonNode target : panel.path("targets")) {
        byRoute |= target.path("legendFormat").asString("").contains("{{http_route}}");
      }
      if (byRoute) {
        routes++;
        List<String> urls = new ArrayList<>();
        for (JsonNode link : panel.path("fieldConfig").path("defaults").path("links")) {
          urls.add(
              java.net.URLDecoder.decode(link.path("url").asString(""), StandardCharsets.UTF_8));
        }
        assertThat(urls).as(title + " links").hasSize(2);
        for (int i = 0; i < urls.size(); i++) {
          String url = urls.get(i);
          assertThat(url)
              .as(title + " link " + i)
              .startsWith("/explore?")
              .contains("\"datasource\":\"" + LINK_TARGETS.get(i) + "\"")
              .contains("${__field.labels.http_route:percentencode}")
              .contains("${service}")
              .contains("${__from}", "${__to}");
        }
        assertThat(urls.get(0)).contains("| json | http_route=");
        assertThat(urls.get(1)).contains("span.http.route=", "resource.service.name=");
      }
    }
    assertThat(latency).as("latency panels with exemplars").isGreaterThanOrEqualTo(4);
    assertThat(routes).as("panels by route with links").isEqualTo(3);
  }

  @Test
  void theLogsRowShowsTheErrorLinesOfTheServiceFromTheOptionalLogDatasource() {
    JsonNode dashboard = dashboards().get(LINKED);
    List<JsonNode> logPanels = new ArrayList<>();
    for (JsonNode panel : DashboardExpressions.panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        if (!DashboardExpressions.isPrometheus(target)) {
          logPanels.add(panel);
          assertThat(datasource(target.path("datasource"))).isEqualTo(LOGS);
          // LogQL over the fields of docs/contract.md: `| json` turns http.route into http_route.
          assertThat(target.path("expr").asString())
              .isEqualTo("{service_name=\"$service\"} | json | level=\"ERROR\"");
        }
      }
    }
    assertThat(logPanels).hasSize(1);
    assertThat(logPanels.get(0).path("type").asString()).isEqualTo("logs");
    JsonNode row = null;
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode nested : panel.path("panels")) {
        if (nested == logPanels.get(0)) {
          row = panel;
        }
      }
    }
    assertThat(row).as("the row holding the logs panel").isNotNull();
    assertThat(row.path("title").asString()).startsWith("Logs");
    // Collapsed: nothing queries the log datasource until the row is opened.
    assertThat(row.path("collapsed").asBoolean()).isTrue();
    Set<String> fields = new TreeSet<>();
    for (List<String> documented : ContractDoc.load().table("## Log fields", "Field")) {
      fields.add(ContractDoc.code(documented.get(0)));
    }
    assertThat(fields).contains("level", "http.route", "service.name", "trace_id");
  }

  @Test
  void theProvisioningExampleLinksExemplarsAndLogLinesToTraces() throws IOException {
    Map<String, Object> file = yaml(dir().resolve("provisioning/datasource.yaml"));
    Map<String, Map<String, Object>> byType = new LinkedHashMap<>();
    for (Object datasource : list(file.get("datasources"))) {
      byType.put(String.valueOf(map(datasource).get("type")), map(datasource));
    }
    assertThat(byType.keySet()).containsExactly("prometheus", "tempo", "loki");
    String tempo = String.valueOf(byType.get("tempo").get("uid"));
    String loki = String.valueOf(byType.get("loki").get("uid"));
    Map<String, Object> exemplars =
        map(
            list(map(byType.get("prometheus").get("jsonData")).get("exemplarTraceIdDestinations"))
                .get(0));
    // The exemplar label of docs/contract.md's buckets.
    assertThat(exemplars).containsEntry("name", "trace_id").containsEntry("datasourceUid", tempo);
    Map<String, Object> derived =
        map(list(map(byType.get("loki").get("jsonData")).get("derivedFields")).get(0));
    assertThat(derived).containsEntry("datasourceUid", tempo);
    Matcher traceId =
        Pattern.compile(String.valueOf(derived.get("matcherRegex")))
            .matcher("{\"level\":\"ERROR\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
    assertThat(traceId.find()).isTrue();
    assertThat(traceId.group(1)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(map(map(byType.get("tempo").get("jsonData")).get("tracesToLogsV2")))
        .containsEntry("datasourceUid", loki);
  }

  @Test
  void theReadmeDescribesEveryDashboard() throws IOException {
    String readme = Files.readString(dir().resolve("README.md"));
    dashboards()
        .forEach(
            (file, dashboard) -> {
              assertThat(readme).contains(file);
              assertThat(readme).contains(dashboard.path("title").asString());
              for (JsonNode panel : DashboardExpressions.panels(dashboard)) {
                if (panel.path("type").asString().equals("row")) {
                  assertThat(readme).as(file + " row").contains(rowName(panel));
                }
              }
            });
    assertThat(readme).contains("grafana_dashboard", "${datasource}", "$__rate_interval");
  }

  private static String rowName(JsonNode row) {
    String title = row.path("title").asString();
    int colon = title.indexOf(':');
    return colon < 0 ? title : title.substring(0, colon);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file)) {
      return (Map<String, Object>) new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Object>) value;
  }
}
