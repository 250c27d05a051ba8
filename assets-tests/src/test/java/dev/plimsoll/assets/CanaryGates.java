package dev.plimsoll.assets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queries of the shipped canary gates, as Argo Rollouts and Flagger send them to Prometheus:
 * the text of {@code alerts/canary/argo-rollouts/analysis-template.yaml} and {@code
 * alerts/canary/flagger/metric-templates.yaml} with the canary's service and version put in place
 * of their placeholders ({@code {{args.service-name}}}, {@code {{ variables.service_version }}}).
 * Each returns 1 when the canary passes, 0 when it fails, nothing while there is no data.
 */
final class CanaryGates {

  static final String ARGO = "canary/argo-rollouts/analysis-template.yaml";
  static final String FLAGGER = "canary/flagger/metric-templates.yaml";

  /** {@code {{args.name}}} (Argo Rollouts) and {@code {{ variables.name }}} (Flagger). */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*(args\\.[\\w-]+|variables\\.\\w+)\\s*}}");

  /**
   * One gate's query.
   *
   * @param source the template file, relative to {@code alerts/}
   * @param name the Argo metric's or Flagger MetricTemplate's name
   * @param query the PromQL Prometheus receives
   */
  record Query(String source, String name, String query) {

    @Override
    public String toString() {
      return source + " " + name + ": " + query;
    }
  }

  private CanaryGates() {}

  /** Every query of both templates, for {@code service} at {@code version}. */
  static List<Query> all(String service, String version) {
    List<Query> queries = new ArrayList<>(argo(service, version));
    queries.addAll(flagger(service, version));
    return queries;
  }

  /** The queries of every metric of the Argo Rollouts AnalysisTemplate. */
  static List<Query> argo(String service, String version) {
    Map<String, String> values =
        Map.of("args.service-name", service, "args.service-version", version);
    List<Query> queries = new ArrayList<>();
    for (Map<String, Object> document : RulesFiles.yamlDocuments(file(ARGO))) {
      if (!"AnalysisTemplate".equals(document.get("kind"))) {
        continue;
      }
      for (Map<String, Object> metric : RulesFiles.maps(spec(document).get("metrics"))) {
        Map<String, Object> prometheus =
            RulesFiles.map(RulesFiles.map(metric.get("provider")).get("prometheus"));
        queries.add(
            new Query(
                ARGO,
                String.valueOf(metric.get("name")),
                substitute(String.valueOf(prometheus.get("query")), values)));
      }
    }
    return queries;
  }

  /** The queries of every Flagger MetricTemplate. */
  static List<Query> flagger(String service, String version) {
    Map<String, String> values =
        Map.of("variables.service_name", service, "variables.service_version", version);
    List<Query> queries = new ArrayList<>();
    for (Map<String, Object> document : RulesFiles.yamlDocuments(file(FLAGGER))) {
      if (!"MetricTemplate".equals(document.get("kind"))) {
        continue;
      }
      queries.add(
          new Query(
              FLAGGER,
              String.valueOf(RulesFiles.map(document.get("metadata")).get("name")),
              substitute(String.valueOf(spec(document).get("query")), values)));
    }
    return queries;
  }

  private static Path file(String relative) {
    return Assets.alerts().resolve(relative);
  }

  private static Map<String, Object> spec(Map<String, Object> document) {
    return RulesFiles.map(document.get("spec"));
  }

  /**
   * {@code query} with each placeholder replaced by its value.
   *
   * @throws IllegalArgumentException if a placeholder has no value, as the query would reach
   *     Prometheus broken
   */
  static String substitute(String query, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(query);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for " + matcher.group() + " in " + query);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    if (out.indexOf("{{") >= 0) {
      throw new IllegalArgumentException("a placeholder is left in " + out);
    }
    return out.toString();
  }
}
