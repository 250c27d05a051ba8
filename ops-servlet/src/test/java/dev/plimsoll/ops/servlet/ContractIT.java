package dev.plimsoll.ops.servlet;

import static dev.plimsoll.ops.testsupport.ContractDoc.code;
import static dev.plimsoll.ops.testsupport.ContractDoc.codes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.logging.LogFields;
import dev.plimsoll.ops.metrics.MetricNames;
import dev.plimsoll.ops.testsupport.ContractDoc;
import dev.plimsoll.ops.testsupport.Scrape;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** Holds docs/contract.md to the live scrape, the live log lines and the code's constants. */
class ContractIT {

  private static final ContractDoc DOC = ContractDoc.load();
  private static final Set<String> COMMON_LABELS =
      Set.of("service_name", "service_version", "deployment_environment");

  private static TestApp app;
  private static Scrape scrape;

  @BeforeAll
  static void start() throws Exception {
    app = new TestApp(Map.of());
    app.get("/hello");
    app.get("/boom");
    app.get("/explode-route"); // registers ops_instrumentation_errors_total
    app.get("/health/ready"); // runs the checks, so their durations are recorded
    app.get("/health/live");
    scrape = app.scrape();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  void everyDocumentedMetricIsScrapedWithExactlyItsLabelsAndType() {
    List<List<String>> rows = DOC.table("## Metrics", "Metric");
    assertThat(rows).hasSizeGreaterThanOrEqualTo(6);
    for (List<String> row : rows) {
      String metric = code(row.get(0));
      String type = row.get(1);
      Set<String> labels = new HashSet<>(COMMON_LABELS);
      labels.addAll(codes(row.get(2)));
      List<String> sampleNames =
          switch (type) {
            case "histogram" -> List.of(metric + "_bucket", metric + "_count", metric + "_sum");
            case "summary" -> List.of(metric + "_count", metric + "_sum");
            default -> List.of(metric);
          };
      for (String name : sampleNames) {
        List<Scrape.Sample> samples = scrape.samples(name);
        assertThat(samples).as("samples of %s", name).isNotEmpty();
        Set<String> expected = new HashSet<>(labels);
        if (name.endsWith("_bucket")) {
          expected.add("le");
        }
        assertThat(samples)
            .as("labels of %s", name)
            .allSatisfy(
                s -> assertThat(s.labels().keySet()).containsExactlyInAnyOrderElementsOf(expected));
        assertThat(samples)
            .as("common labels of %s", name)
            .allSatisfy(
                s ->
                    assertThat(s.labels())
                        .containsEntry("service_name", TestApp.SERVICE)
                        .containsEntry("service_version", TestApp.VERSION)
                        .containsEntry("deployment_environment", TestApp.ENVIRONMENT));
      }
      assertThat(scrape.type(metric)).as("type of %s", metric).isEqualTo(type);
    }
  }

  @Test
  void everyPlimsollMetricInTheScrapeIsDocumented() {
    Set<String> documented =
        DOC.table("## Metrics", "Metric").stream()
            .map(r -> code(r.get(0)))
            .collect(Collectors.toSet());
    Set<String> ours =
        scrape.families().stream()
            .filter(f -> f.startsWith("http_server_") || f.startsWith("ops_"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).containsAll(ours);
  }

  @Test
  void everyLabelConstantIsDocumented() {
    Set<String> documentedLabels = new HashSet<>(COMMON_LABELS);
    for (List<String> row : DOC.table("## Metrics", "Metric")) {
      documentedLabels.addAll(codes(row.get(2)));
    }
    List<String> labelConstants =
        List.of(
            MetricNames.HTTP_REQUEST_METHOD,
            MetricNames.HTTP_ROUTE,
            MetricNames.HTTP_RESPONSE_STATUS_CODE,
            MetricNames.ERROR_TYPE,
            MetricNames.SERVICE_NAME,
            MetricNames.SERVICE_VERSION,
            MetricNames.DEPLOYMENT_ENVIRONMENT,
            MetricNames.VCS_REVISION,
            MetricNames.JAVA_VERSION,
            MetricNames.STAGE,
            MetricNames.DECISION,
            HealthNames.CHECK,
            HealthNames.GROUP,
            HealthNames.CRITICAL);
    for (String label : labelConstants) {
      assertThat(documentedLabels).contains(label.replace('.', '_'));
    }
    assertThat(DOC.table("## Metrics", "Label").stream().map(r -> code(r.get(0))))
        .contains(MetricNames.HTTP_ROUTE.replace('.', '_'));
    String routeValues =
        DOC.table("## Metrics", "Label").stream()
            .filter(r -> code(r.get(0)).equals("http_route"))
            .findFirst()
            .orElseThrow()
            .get(1);
    assertThat(codes(routeValues)).contains(MetricNames.ROUTE_UNMATCHED, MetricNames.ROUTE_OTHER);
  }

  @Test
  void exemplarsAreOnlyWhereOpenMetricsAllowsThem() throws Exception {
    // Regression: exemplars on summary and histogram _count lines made Prometheus 2.42 reject
    // the whole scrape ("does not support exemplars").
    app.get("/traced");
    List<String> withExemplars =
        app.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0")
            .body()
            .lines()
            .filter(line -> line.contains(" # {"))
            .map(line -> line.substring(0, line.indexOf('{')))
            .toList();
    assertThat(withExemplars)
        .isNotEmpty()
        .allMatch(n -> n.endsWith("_bucket") || n.endsWith("_total"));
  }

  @Test
  void theDocumentedBucketsAreTheHistogramsBuckets() {
    String bucketsLine =
        String.join(" ", DOC.linesStartingWith("Histogram buckets"))
            + " "
            + String.join(" ", DOC.linesStartingWith("`0.075`"));
    // Only the listed numbers count: the default SLO's `le="0.5"` in the prose is not a listing.
    Set<String> documented = new TreeSet<>(codes(bucketsLine));
    Set<String> live =
        scrape.samples("http_server_request_duration_seconds_bucket").stream()
            .map(s -> s.label("le"))
            .filter(le -> !le.equals("+Inf"))
            .map(le -> Double.toString(Double.parseDouble(le)))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> normalized =
        documented.stream()
            .filter(v -> v.matches("[0-9.]+"))
            .map(v -> Double.toString(Double.parseDouble(v)))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(live).isEqualTo(normalized);
  }

  @Test
  void jvmProcessAndLogbackBindersAreScraped() {
    assertThat(scrape.families())
        .contains(
            "jvm_memory_used_bytes",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "process_uptime_seconds",
            "system_cpu_count",
            "logback_events_total");
    assertThat(scrape.families()).anyMatch(f -> f.startsWith("jvm_gc_"));
    // Regression: reconfiguring logback after the binder was bound removed its counting filter.
    assertThat(scrape.sum("logback_events_total", Map.of("level", "info"))).isGreaterThan(0);
  }

  @Test
  void everyLogFieldIsDocumentedAndEveryLoggedFieldIsInTheContract() throws IllegalAccessException {
    Set<String> documented =
        DOC.table("## Log fields", "Field").stream()
            .map(r -> code(r.get(0)))
            .collect(Collectors.toSet());
    for (Field field : LogFields.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && !field.getName().equals("ACCESS_LOGGER")) {
        assertThat(documented).as(field.getName()).contains((String) field.get(null));
      }
    }
    List<Map<String, Object>> lines = app.logs.json();
    assertThat(lines).isNotEmpty();
    Set<String> logged = new TreeSet<>();
    lines.forEach(l -> logged.addAll(l.keySet()));
    assertThat(documented).containsAll(logged);
    assertThat(logged).contains("stack_trace", "request_id", "trace_id", "span_id", "duration_ms");
  }

  @Test
  void everySettingIsDocumentedWithItsVariableAndDefault() {
    List<List<String>> rows = DOC.table("## Settings", "Key");
    List<String> documentedKeys = new ArrayList<>();
    for (List<String> row : rows) {
      documentedKeys.add(code(row.get(0)));
    }
    assertThat(documentedKeys)
        .containsExactlyElementsOf(OpsSettings.ALL.stream().map(Setting::key).toList());
    for (int i = 0; i < rows.size(); i++) {
      Setting<?> setting = OpsSettings.ALL.get(i);
      List<String> row = rows.get(i);
      assertThat(code(row.get(1))).as(setting.key()).isEqualTo(setting.environmentName());
      Object defaultValue = setting.defaultValue();
      if (defaultValue != null && !(defaultValue instanceof List<?> list && list.isEmpty())) {
        assertThat(codes(row.get(2)))
            .as("default of %s", setting.key())
            .contains(render(defaultValue));
      }
    }
  }

  @Test
  void headersAndEndpointsMatchTheDefaults() {
    List<String> headers =
        DOC.table("## Headers", "Header").stream().map(r -> code(r.get(0))).toList();
    assertThat(headers)
        .contains(
            OpsSettings.REQUEST_ID_HEADER.defaultValue(),
            "traceparent",
            "tracestate",
            "X-Forwarded-For");
    List<String> paths =
        DOC.table("## Endpoints", "Path").stream().map(r -> code(r.get(0))).toList();
    assertThat(paths).contains(OpsSettings.METRICS_PATH.defaultValue());
    String health = OpsSettings.HEALTH_PATH.defaultValue();
    assertThat(paths).contains(health);
    for (HealthGroup group : HealthGroup.values()) {
      assertThat(paths).contains(health + "/" + group.label());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theHealthBodyHasTheDocumentedShape() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> documented =
        json.readValue(DOC.codeBlock("## Endpoints", "json"), Map.class);
    Map<String, Object> documentedCheck =
        (Map<String, Object>) ((Map<String, Object>) documented.get("checks")).get("disk");
    Set<String> checkFields = new HashSet<>(documentedCheck.keySet());
    ((Map<String, Object>) documented.get("checks"))
        .values()
        .forEach(c -> checkFields.addAll(((Map<String, Object>) c).keySet()));
    for (String path : List.of("/health", "/health/ready", "/health/live")) {
      Map<String, Object> live = json.readValue(app.get(path).body(), Map.class);
      assertThat(documented.keySet()).as(path).containsAll(live.keySet());
      assertThat(live).as(path).containsKeys("status", "timestamp", "checks");
      Map<String, Object> checks = (Map<String, Object>) live.get("checks");
      assertThat(checks).as(path).isNotEmpty();
      for (Object check : checks.values()) {
        assertThat(checkFields).as(path).containsAll(((Map<String, Object>) check).keySet());
      }
    }
  }

  private static String render(Object value) {
    if (value instanceof Duration duration) {
      long millis = duration.toMillis();
      return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
    if (value instanceof Double ratio) {
      return java.math.BigDecimal.valueOf(ratio).stripTrailingZeros().toPlainString();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ContractIT::render).collect(Collectors.joining(","));
    }
    return String.valueOf(value);
  }
}
