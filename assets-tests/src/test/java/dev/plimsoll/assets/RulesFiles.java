package dev.plimsoll.assets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The rule files of {@code alerts/}: the production ones ({@code alerts/*.yaml}, what Prometheus
 * loads), the test-only live overlay, the promtool unit tests ({@code alerts/tests/*_test.yaml}),
 * and the prometheus-operator resource generated from the production files.
 */
final class RulesFiles {

  /** The resource holding the production groups for prometheus-operator. */
  /**
   * The recording rules the dashboards and canary gates read, agreed in issue 5: renaming one
   * breaks them.
   */
  static final Set<String> AGREED_RECORDINGS =
      Set.of(
          "service:http_requests:rate5m",
          "service:http_request_error_ratio:rate5m",
          "service:http_request_error_ratio:rate30m",
          "service:http_request_error_ratio:rate1h",
          "service:http_request_error_ratio:rate6h",
          "service:http_request_error_ratio:rate3d",
          "service:http_request_slow_ratio:rate5m",
          "service:http_request_slow_ratio:rate30m",
          "service:http_request_slow_ratio:rate1h",
          "service:http_request_slow_ratio:rate6h",
          "service:http_request_slow_ratio:rate3d",
          "service:http_request_duration_seconds:p95_rate5m",
          "service_version:http_request_duration_seconds:p95_rate5m",
          "service_version:http_request_error_ratio:rate5m",
          "service_version:http_requests:rate5m",
          "service:slo_availability_objective:ratio",
          "service:slo_latency_objective:ratio",
          "service:slo_availability_error_budget_remaining:ratio30d",
          "service:slo_latency_error_budget_remaining:ratio30d",
          // Issue 13: the canary gates' inputs and thresholds, and the deployment KPIs.
          "service:http_request_duration_seconds:p99_rate5m",
          "service_version:http_request_duration_seconds:p99_rate5m",
          "service_version:http_request_error_ratio:rate1m",
          "service_version:http_request_duration_seconds:p99_rate1m",
          "service:deployment_gate_error_ratio:threshold",
          "service:deployment_gate_latency_p99_seconds:threshold",
          "service:rollback_error_ratio:threshold",
          "service:rollback_latency_p95_seconds:threshold",
          "service_version:instances:count",
          "service:rollout_duration_seconds",
          "service:rollouts:count1d",
          "service:rollouts:count30d",
          "service:rolled_back:bool",
          "service:rollbacks:count1d",
          "service:rollbacks:count30d",
          "service:rollback_duration_seconds",
          "service:deployment_success:ratio30d");

  static final String PROMETHEUS_RULE = "kubernetes/prometheus-rule.yaml";

  /** The start of every {@code runbook_url}; the rest is a path from the repository root. */
  static final String RUNBOOK_BASE = "https://github.com/plimsoll/plimsoll/blob/main/";

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private RulesFiles() {}

  /** The rule files Prometheus loads in production, in name order. */
  static List<Path> production() {
    return list(Assets.alerts(), ".yaml");
  }

  /** The test-only overlay: some alerts again over windows of seconds. */
  static Path overlay() {
    return Assets.alerts().resolve("tests/live-overlay.yaml");
  }

  /** Every rule file, the overlay last. */
  static List<Path> all() {
    List<Path> files = new ArrayList<>(production());
    files.add(overlay());
    return files;
  }

  /** The promtool unit test files. */
  static List<Path> unitTests() {
    return list(Assets.alerts().resolve("tests"), "_test.yaml");
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML document as maps and lists. */
  static Map<String, Object> yaml(Path file) {
    try {
      return new Yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every YAML document of a file. */
  static List<Map<String, Object>> yamlDocuments(Path file) {
    try {
      List<Map<String, Object>> documents = new ArrayList<>();
      for (Object document : new Yaml().loadAll(Files.readString(file))) {
        documents.add(map(document));
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code groups} of a rule file. */
  static List<Map<String, Object>> groups(Path file) {
    return maps(yaml(file).get("groups"));
  }

  /** The rules of every group of {@code files}. */
  static List<Rule> rules(List<Path> files) {
    List<Rule> rules = new ArrayList<>();
    for (Path file : files) {
      for (Map<String, Object> group : groups(file)) {
        for (Map<String, Object> rule : maps(group.get("rules"))) {
          rules.add(new Rule(file, String.valueOf(group.get("name")), rule));
        }
      }
    }
    return rules;
  }

  static List<Rule> alerts(List<Path> files) {
    return rules(files).stream().filter(Rule::isAlert).toList();
  }

  /** A Prometheus duration such as {@code 5m} or {@code 1h30m}. */
  static Duration duration(Object text) {
    String s = String.valueOf(text);
    Matcher m = DURATION.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw new IllegalArgumentException("not a duration: " + s);
    }
    return total;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  /** One recording or alerting rule, with where it is. */
  record Rule(Path file, String group, Map<String, Object> body) {

    boolean isAlert() {
      return body.containsKey("alert");
    }

    /** The alert's or the recorded series' name. */
    String name() {
      return String.valueOf(isAlert() ? body.get("alert") : body.get("record"));
    }

    String expr() {
      return String.valueOf(body.get("expr"));
    }

    Duration holdFor() {
      Object value = body.get("for");
      return value == null ? Duration.ZERO : duration(value);
    }

    Map<String, Object> labels() {
      Object value = body.get("labels");
      return value == null ? Map.of() : map(value);
    }

    Map<String, Object> annotations() {
      Object value = body.get("annotations");
      return value == null ? Map.of() : map(value);
    }

    @Override
    public String toString() {
      return name() + " (" + Assets.alerts().relativize(file) + ", group " + group + ")";
    }
  }
}
