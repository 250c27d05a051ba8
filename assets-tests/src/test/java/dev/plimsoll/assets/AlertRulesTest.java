package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import dev.plimsoll.assets.RulesFiles.Rule;
import dev.plimsoll.ops.testsupport.LocalServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Prometheus rules of {@code alerts/}: they load ({@code promtool check rules}), their unit
 * tests pass ({@code promtool test rules}) and cover every alert firing and silent, they name only
 * metrics the contract documents, every alert carries what an on-call engineer needs, the
 * prometheus-operator resource holds the same groups, and the canary gates apply the alerts'
 * thresholds to the same recording rules.
 */
class AlertRulesTest {

  private static final Set<String> SEVERITIES = Set.of("page", "ticket", "warning");

  /** {@code <series> > <number>}: the form of the alerts the canary gates mirror. */
  private static final Pattern THRESHOLD =
      Pattern.compile("\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*>\\s*([0-9.]+)\\s*");

  private static final Pattern GREATER_THAN = Pattern.compile(">\\s*([0-9][0-9.]*)");

  @Test
  void everyRuleFileLoadsIntoPrometheus() throws Exception {
    List<String> args = new ArrayList<>(List.of("check", "rules"));
    RulesFiles.all().forEach(file -> args.add(file.toString()));
    assertThat(RulesFiles.production()).isNotEmpty();
    Promtool result = promtool(args);
    assertThat(result.exit()).as("promtool check rules said:%n%s", result.output()).isZero();
  }

  static Stream<Path> unitTestFiles() {
    return RulesFiles.unitTests().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unitTestFiles")
  void unitTestsPass(Path file) throws Exception {
    Promtool result = promtool(List.of("test", "rules", file.toString()));
    assertThat(result.exit()).as("promtool test rules said:%n%s", result.output()).isZero();
  }

  @Test
  void thePrometheusRuleResourceHoldsTheSameGroups() throws IOException {
    Path resource = Assets.alerts().resolve(RulesFiles.PROMETHEUS_RULE);
    String expected = RulesFiles.prometheusRule();
    if (Boolean.getBoolean("plimsoll.regenerate")) {
      Files.createDirectories(resource.getParent());
      Files.writeString(resource, expected, StandardCharsets.UTF_8);
    }
    List<Map<String, Object>> plain = new ArrayList<>();
    RulesFiles.production().forEach(file -> plain.addAll(RulesFiles.groups(file)));
    Map<String, Object> parsed = RulesFiles.yaml(resource);
    assertThat(parsed.get("kind")).isEqualTo("PrometheusRule");
    assertThat(RulesFiles.maps(RulesFiles.map(parsed.get("spec")).get("groups")))
        .as("the groups of %s", resource)
        .isEqualTo(plain);
    assertThat(Files.readString(resource))
        .as(
            "%s is generated from alerts/*.yaml; regenerate it with -Dplimsoll.regenerate=true",
            resource)
        .isEqualTo(expected);
  }

  @Test
  void groupNamesAreUnique() {
    List<String> names = new ArrayList<>();
    RulesFiles.all().forEach(file -> RulesFiles.groups(file).forEach(g -> names.add(name(g))));
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void theRecordingRulesTheDashboardsReadExist() {
    Set<String> recorded = recorded();
    assertThat(recorded).containsAll(RulesFiles.AGREED_RECORDINGS);
  }

  @Test
  void everyAlertHasSeveritySummaryDescriptionAndRunbook() throws IOException {
    for (Rule alert : RulesFiles.alerts(RulesFiles.all())) {
      assertThat(String.valueOf(alert.labels().get("severity")))
          .as("severity of %s", alert)
          .isIn(SEVERITIES);
      Map<String, Object> annotations = alert.annotations();
      assertThat((String) annotations.get("summary")).as("summary of %s", alert).isNotBlank();
      assertThat((String) annotations.get("description"))
          .as("description of %s, with the value that fired it", alert)
          .contains("$value");
      String url = String.valueOf(annotations.get("runbook_url"));
      assertThat(url).as("runbook_url of %s", alert).startsWith(RulesFiles.RUNBOOK_BASE);
      String[] parts = url.substring(RulesFiles.RUNBOOK_BASE.length()).split("#", 2);
      Path runbook = Assets.root().resolve(parts[0]);
      assertThat(runbook).as("runbook of %s", alert).isRegularFile().startsWith(Assets.alerts());
      assertThat(parts).as("%s links to a section", url).hasSize(2);
      assertThat(anchors(runbook)).as("sections of %s", runbook).contains(parts[1]);
    }
  }

  /** GitHub's anchors of a Markdown file's headings. */
  private static Set<String> anchors(Path markdown) throws IOException {
    Set<String> anchors = new TreeSet<>();
    for (String line : Files.readAllLines(markdown)) {
      if (line.startsWith("#")) {
        anchors.add(
            line.replaceFirst("^#+\\s*", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9 _-]", "")
                .replace(' ', '-'));
      }
    }
    return anchors;
  }

  @Test
  void everyAlertHasAUnitTestWhereItFiresAndOneWhereItStaysSilent() {
    Set<String> firing = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    for (Path file : RulesFiles.unitTests()) {
      Map<String, Object> tests = RulesFiles.yaml(file);
      Set<String> loaded = new TreeSet<>();
      for (Object rules : (List<?>) tests.get("rule_files")) {
        RulesFiles.alerts(List.of(file.resolveSibling(String.valueOf(rules)).normalize()))
            .forEach(a -> loaded.add(a.name()));
      }
      for (Map<String, Object> test : RulesFiles.maps(tests.get("tests"))) {
        for (Map<String, Object> alertTest : RulesFiles.maps(test.get("alert_rule_test"))) {
          String name = String.valueOf(alertTest.get("alertname"));
          if (!loaded.contains(name)) {
            unknown.add(file.getFileName() + ": " + name);
          }
          boolean fires = !RulesFiles.maps(alertTest.get("exp_alerts")).isEmpty();
          (fires ? firing : silent).add(name);
        }
      }
    }
    assertThat(unknown).as("tests of alerts their rule files do not define").isEmpty();
    for (Rule alert : RulesFiles.alerts(RulesFiles.all())) {
      assertThat(firing).as("a unit test in which %s fires", alert).contains(alert.name());
      assertThat(silent).as("a unit test in which %s stays silent", alert).contains(alert.name());
    }
  }

  @Test
  void unitTestFilesFixTheirIntervalsAndGroupOrder() {
    for (Path file : RulesFiles.unitTests()) {
      Map<String, Object> tests = RulesFiles.yaml(file);
      assertThat(tests.get("evaluation_interval"))
          .as("evaluation_interval of %s", file)
          .isNotNull();
      for (Map<String, Object> test : RulesFiles.maps(tests.get("tests"))) {
        assertThat(test.get("interval"))
            .as("interval of %s: %s", file, test.get("name"))
            .isNotNull();
      }
      // promtool evaluates groups in a random order unless told, and rules read other groups'
      // output: the groups in the order of rule_files (recording rules first) and of each file.
      List<String> groups = new ArrayList<>();
      for (Object rules : (List<?>) tests.get("rule_files")) {
        RulesFiles.groups(file.resolveSibling(String.valueOf(rules)))
            .forEach(g -> groups.add(name(g)));
      }
      assertThat(tests.get("group_eval_order"))
          .as("group_eval_order of %s", file)
          .asInstanceOf(LIST)
          .containsExactlyElementsOf(groups);
    }
  }

  @Test
  void everyMetricIsDocumentedByTheContractOrRecordedHere() {
    RulesContract contract = RulesContract.load();
    Set<String> recorded = recorded();
    List<String> undocumented = new ArrayList<>();
    for (Rule rule : RulesFiles.rules(RulesFiles.all())) {
      for (String metric : PromQlNames.metrics(rule.expr())) {
        boolean known =
            contract.documents(metric)
                || recorded.contains(metric)
                || metric.equals("up")
                || (metric.startsWith("kube_") && rule.group().endsWith("kube-state-metrics"));
        if (!known) {
          undocumented.add(rule + ": " + metric);
        }
      }
    }
    assertThat(undocumented)
        .as("metrics neither in docs/contract.md nor recorded in alerts/")
        .isEmpty();
  }

  @Test
  void theArgoRolloutsGateAppliesTheRollbackAlertsThresholds() {
    Map<String, Object> template =
        RulesFiles.yaml(Assets.alerts().resolve("canary/argo-rollouts-analysis-template.yaml"));
    assertThat(template.get("kind")).isEqualTo("AnalysisTemplate");
    List<Map<String, Object>> metrics =
        RulesFiles.maps(RulesFiles.map(template.get("spec")).get("metrics"));
    for (String name : List.of("ServiceErrorRatioHigh", "ServiceLatencyHigh")) {
      Rule alert = alert(name);
      Matcher threshold = threshold(alert);
      String series = threshold.group(1);
      double limit = Double.parseDouble(threshold.group(2));
      List<Map<String, Object>> gates =
          metrics.stream().filter(m -> query(m).startsWith(series + "{")).toList();
      assertThat(gates).as("Argo metrics reading %s", series).hasSize(1);
      Map<String, Object> gate = gates.get(0);
      assertThat(query(gate)).contains("service_version=\"{{args.service-version}}\"");
      assertThat(number(gate.get("successCondition"), "result\\[0]\\s*<=\\s*([0-9.]+)"))
          .as("successCondition of %s against %s", gate.get("name"), alert)
          .isEqualTo(limit);
      assertThat(number(gate.get("failureCondition"), "result\\[0]\\s*>\\s*([0-9.]+)"))
          .as("failureCondition of %s against %s", gate.get("name"), alert)
          .isEqualTo(limit);
      Duration interval = RulesFiles.duration(gate.get("interval"));
      int failures = ((Number) gate.get("failureLimit")).intValue() + 1;
      assertThat(interval.multipliedBy(failures))
          .as(
              "failed measurements of %s that abort, against the for: of %s",
              gate.get("name"), alert)
          .isEqualTo(alert.holdFor());
    }
  }

  @Test
  void theFlaggerGateAppliesTheRollbackAlertsThresholds() {
    Map<String, String> queries = new TreeMap<>();
    for (Map<String, Object> document :
        RulesFiles.yamlDocuments(Assets.alerts().resolve("canary/flagger-metric-templates.yaml"))) {
      assertThat(document.get("kind")).isEqualTo("MetricTemplate");
      queries.put(
          name(RulesFiles.map(document.get("metadata"))),
          String.valueOf(RulesFiles.map(document.get("spec")).get("query")).strip());
    }
    Map<String, Object> canary =
        RulesFiles.yaml(Assets.alerts().resolve("canary/flagger-canary.yaml"));
    Map<String, Object> analysis =
        RulesFiles.map(RulesFiles.map(canary.get("spec")).get("analysis"));
    Duration shortestFor = Duration.ofDays(1);
    for (String name : List.of("ServiceErrorRatioHigh", "ServiceLatencyHigh")) {
      Rule alert = alert(name);
      Matcher threshold = threshold(alert);
      String series = threshold.group(1);
      List<String> templates =
          queries.entrySet().stream()
              .filter(e -> e.getValue().startsWith("max(" + series + "{"))
              .map(Map.Entry::getKey)
              .toList();
      assertThat(templates).as("Flagger templates reading %s", series).hasSize(1);
      List<Map<String, Object>> uses =
          RulesFiles.maps(analysis.get("metrics")).stream()
              .filter(m -> templates.get(0).equals(name(RulesFiles.map(m.get("templateRef")))))
              .toList();
      assertThat(uses).as("Canary metrics using %s", templates.get(0)).hasSize(1);
      Object max = RulesFiles.map(uses.get(0).get("thresholdRange")).get("max");
      assertThat(((Number) max).doubleValue())
          .as("thresholdRange.max of %s against %s", templates.get(0), alert)
          .isEqualTo(Double.parseDouble(threshold.group(2)));
      shortestFor = alert.holdFor().compareTo(shortestFor) < 0 ? alert.holdFor() : shortestFor;
    }
    Duration rollback =
        RulesFiles.duration(analysis.get("interval"))
            .multipliedBy(((Number) analysis.get("threshold")).longValue());
    assertThat(rollback)
        .as("failed checks before Flagger rolls back, against the shortest for: of the alerts")
        .isLessThanOrEqualTo(shortestFor);
  }

  @Test
  void theLiveOverlayRepeatsItsAlertsOverShorterWindows() {
    List<Rule> overlay = RulesFiles.alerts(List.of(RulesFiles.overlay()));
    assertThat(overlay).isNotEmpty();
    for (Rule live : overlay) {
      assertThat(live.name()).endsWith("_Live");
      Rule original = alert(live.name().substring(0, live.name().length() - "_Live".length()));
      assertThat(live.labels()).as("labels of %s", live).containsEntry("test_only", "true");
      Map<String, Object> labels = new TreeMap<>(live.labels());
      labels.remove("test_only");
      assertThat(labels).as("labels of %s", live).isEqualTo(original.labels());
      assertThat(live.annotations().get("runbook_url"))
          .isEqualTo(original.annotations().get("runbook_url"));
      assertThat(numbersAfterGreaterThan(live.expr()))
          .as("thresholds of %s against %s", live, original)
          .isEqualTo(numbersAfterGreaterThan(original.expr()));
      assertThat(live.holdFor()).isLessThan(original.holdFor()).isPositive();
    }
  }

  private static Set<String> numbersAfterGreaterThan(String expr) {
    Set<String> numbers = new LinkedHashSet<>();
    Matcher m = GREATER_THAN.matcher(expr);
    while (m.find()) {
      // "> 0" guards a denominator; the thresholds are the other comparisons.
      if (Double.parseDouble(m.group(1)) != 0) {
        numbers.add(m.group(1));
      }
    }
    return numbers;
  }

  private static Set<String> recorded() {
    return RulesFiles.rules(RulesFiles.production()).stream()
        .filter(r -> !r.isAlert())
        .map(Rule::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Rule alert(String name) {
    List<Rule> alerts =
        RulesFiles.alerts(RulesFiles.production()).stream()
            .filter(a -> a.name().equals(name))
            .toList();
    assertThat(alerts).as("alert %s", name).hasSize(1);
    return alerts.get(0);
  }

  private static Matcher threshold(Rule alert) {
    Matcher m = THRESHOLD.matcher(alert.expr());
    if (!m.matches()) {
      fail("%s is not '<recording rule> > <threshold>': %s", alert, alert.expr());
    }
    return m;
  }

  private static double number(Object text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(String.valueOf(text));
    if (!m.find()) {
      fail("no %s in %s", regex, text);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String query(Map<String, Object> argoMetric) {
    Map<String, Object> provider = RulesFiles.map(argoMetric.get("provider"));
    return String.valueOf(RulesFiles.map(provider.get("prometheus")).get("query")).strip();
  }

  private static String name(Map<String, Object> map) {
    return String.valueOf(map.get("name"));
  }

  private record Promtool(int exit, String output) {}

  private static Promtool promtool(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(LocalServices.requireExecutable("promtool").toString());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .directory(Assets.alerts().toFile())
            .redirectErrorStream(true)
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("promtool %s did not finish in 5 minutes", args);
    }
    return new Promtool(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
