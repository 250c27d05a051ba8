package dev.plimsoll.assets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PromQL of the Grafana dashboards in {@code dashboards/}, with their template variables filled
 * in, so that tests can check the names and syntax and run every panel against a real Prometheus.
 *
 * <p>A variable's value is the caller's, else a default: Grafana's built-in intervals and ranges
 * ({@link #BUILT_IN_DEFAULTS}), else the dashboard variable's {@code allValue} ({@code .*}), which
 * keeps every {@code =~} matcher valid. A {@code $name} that is neither given nor defined stays as
 * it is, for the tests to report.
 */
final class DashboardExpressions {

  /** One query of a dashboard: its file name, where it is shown, and its PromQL. */
  record Expression(String dashboard, String panel, String expr) {

    @Override
    public String toString() {
      return dashboard + " / " + panel + ": " + expr;
    }
  }

  /** Values of Grafana's built-in variables when the caller gives none. */
  static final Map<String, String> BUILT_IN_DEFAULTS =
      Map.of(
          "__rate_interval", "1m",
          "__interval", "15s",
          "__interval_ms", "15000",
          "__range", "1h",
          "__range_s", "3600",
          "__range_ms", "3600000",
          "datasource", "prometheus");

  /** {@code $name}, {@code ${name}}, {@code ${name:format}} and the old {@code [[name]]}. */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)(?::[^\\]]*)?]]");

  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.+),\\s*(\\w+)\\s*\\)", Pattern.DOTALL);

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private DashboardExpressions() {}

  /**
   * Every Prometheus target of every panel (rows' nested panels too) of every dashboard in {@code
   * dashboardsDir}: the expressions that must return data from a live service.
   */
  static List<Expression> all(Path dashboardsDir, Map<String, String> variables) {
    return collect(
        dashboardsDir,
        variables,
        (dashboard, found) -> {
          for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
              if (isPrometheus(target)) {
                found.accept(panel.path("title").asString(""), target.path("expr").asString(""));
              }
            }
          }
        });
  }

  /**
   * Every target of the panels of one row of one dashboard: the row whose title starts with {@code
   * rowTitle} (its nested panels when collapsed, else the panels after it up to the next row).
   *
   * @throws IllegalArgumentException if the dashboard has no such row
   */
  static List<Expression> row(Path dashboardFile, String rowTitle, Map<String, String> variables) {
    JsonNode dashboard = read(dashboardFile);
    Map<String, String> values = values(dashboard, variables);
    String name = dashboardFile.getFileName().toString();
    List<Expression> expressions = new ArrayList<>();
    boolean found = false;
    boolean inRow = false;
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asString("").equals("row")) {
        inRow = panel.path("title").asString("").startsWith(rowTitle);
        found |= inRow;
        if (inRow) {
          for (JsonNode nested : panel.path("panels")) {
            addTargets(nested, name, values, expressions);
          }
        }
      } else if (inRow) {
        addTargets(panel, name, values, expressions);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no row '" + rowTitle + "' in " + dashboardFile);
    }
    return expressions;
  }

  private static void addTargets(
      JsonNode panel, String dashboard, Map<String, String> values, List<Expression> to) {
    for (JsonNode target : panel.path("targets")) {
      String expr = target.path("expr").asString("");
      if (!expr.isBlank() && isPrometheus(target)) {
        to.add(
            new Expression(dashboard, panel.path("title").asString(""), substitute(expr, values)));
      }
    }
  }

  /**
   * Whether a target queries Prometheus: its own datasource, or else its panel's, is of type
   * prometheus (the Logs row's panels query the optional Loki datasource).
   */
  static boolean isPrometheus(JsonNode target) {
    JsonNode datasource = target.path("datasource");
    return datasource.isMissingNode()
        || datasource.path("type").asString("prometheus").equals("prometheus");
  }

  /**
   * Every annotation query, shown as {@code annotation: <name>}. These mark events (a deployment, a
   * restart) and are empty between them, so they are not part of {@link #all}.
   */
  static List<Expression> annotations(Path dashboardsDir, Map<String, String> variables) {
    return collect(
        dashboardsDir,
        variables,
        (dashboard, found) -> {
          for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            found.accept(
                "annotation: " + annotation.path("name").asString(""),
                annotation.path("expr").asString(""));
          }
        });
  }

  /**
   * Every query variable, shown as {@code variable: <name>}, as PromQL: Grafana's {@code
   * label_values(selector, label)} becomes {@code group by (label) (selector)}.
   *
   * @throws IllegalArgumentException if a variable's query is not {@code label_values}
   */
  static List<Expression> variables(Path dashboardsDir, Map<String, String> variables) {
    return collect(
        dashboardsDir,
        variables,
        (dashboard, found) -> {
          for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString("").equals("query")) {
              String query = variable.path("definition").asString("");
              Matcher m = LABEL_VALUES.matcher(query);
              if (!m.matches()) {
                throw new IllegalArgumentException("not label_values(selector, label): " + query);
              }
              found.accept(
                  "variable: " + variable.path("name").asString(""),
                  "group by (" + m.group(2) + ") (" + m.group(1) + ")");
            }
          }
        });
  }

  private static List<Expression> collect(
      Path dashboardsDir,
      Map<String, String> variables,
      BiConsumer<JsonNode, BiConsumer<String, String>> queries) {
    List<Expression> expressions = new ArrayList<>();
    for (Path file : files(dashboardsDir)) {
      JsonNode dashboard = read(file);
      Map<String, String> values = values(dashboard, variables);
      String name = file.getFileName().toString();
      queries.accept(
          dashboard,
          (where, expr) -> {
            if (!expr.isBlank()) {
              expressions.add(new Expression(name, where, substitute(expr, values)));
            }
          });
    }
    return expressions;
  }

  /** The dashboard files ({@code *.json}) directly in {@code dashboardsDir}, by name. */
  static List<Path> files(Path dashboardsDir) {
    try (Stream<Path> files = Files.list(dashboardsDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A dashboard's JSON; a duplicate key is an error, as it would hide a value. */
  static JsonNode read(Path file) {
    return JSON.readTree(file);
  }

  /** Every panel of a dashboard, rows included, with the panels of collapsed rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      for (JsonNode nested : panel.path("panels")) {
        panels.add(nested);
      }
    }
    return panels;
  }

  /**
   * {@code text} with every variable whose value {@code values} holds replaced by that value;
   * others stay as they are.
   */
  static String substitute(String text, Map<String, String> values) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name =
          matcher.group(1) != null
              ? matcher.group(1)
              : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
      String value = values.get(name);
      matcher.appendReplacement(
          out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** The caller's values over the built-in defaults over the dashboard variables' defaults. */
  private static Map<String, String> values(JsonNode dashboard, Map<String, String> given) {
    Map<String, String> values = new HashMap<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      String allValue = variable.path("allValue").asString("");
      values.put(variable.path("name").asString(""), allValue.isEmpty() ? ".*" : allValue);
    }
    values.putAll(BUILT_IN_DEFAULTS);
    values.putAll(given);
    return values;
  }
}
