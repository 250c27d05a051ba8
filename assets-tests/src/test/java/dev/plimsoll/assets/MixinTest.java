package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The monitoring mixin ({@code mixin/}): the committed rule files and dashboards are what it
 * generates with the default settings, and its fleet example ({@code mixin/examples/fleet.jsonnet})
 * keeps clusters apart in every rule (promtool) and every dashboard query.
 */
class MixinTest {

  /** An aggregation and the labels it keeps: {@code sum by (a, b) (} or a bare {@code sum(}. */
  private static final Pattern AGGREGATION =
      Pattern.compile("\\b(sum|min|max|avg|count|group)\\s*(?:by\\s*\\(([^)]*)\\))?\\s*\\(");

  private static final Pattern MATCHING = Pattern.compile("\\bon\\s*\\(([^)]*)\\)");

  /** The fleet example, generated once for the tests below. */
  @TempDir static Path fleet;

  @BeforeAll
  static void generateTheFleetExample() throws Exception {
    Mixin.generate(fleet, Mixin.FLEET);
  }

  @Test
  void theCommittedFilesAreWhatTheMixinGenerates(@TempDir Path out) throws Exception {
    Mixin.generate(out, null);
    Set<String> generated = files(out);
    Set<String> expected = new TreeSet<>();
    RulesFiles.production().forEach(p -> expected.add(Assets.root().relativize(p).toString()));
    expected.add("alerts/" + RulesFiles.PROMETHEUS_RULE);
    try (Stream<Path> dashboards = Files.list(Assets.dashboards())) {
      dashboards
          .filter(p -> p.toString().endsWith(".json"))
          .forEach(p -> expected.add(Assets.root().relativize(p).toString()));
    }
    assertThat(generated).as("the files the mixin generates").isEqualTo(expected);
    for (String file : generated) {
      assertThat(Files.readString(Assets.root().resolve(file)))
          .as("%s is generated from mixin/; regenerate it with scripts/generate-mixin.sh", file)
          .isEqualTo(Files.readString(out.resolve(file)));
    }
  }

  @Test
  void theFleetExampleFiresOnlyForTheFailingCluster() throws Exception {
    Path out = fleet;
    List<String> check = new ArrayList<>(List.of("check", "rules"));
    try (Stream<Path> rules = Files.list(out.resolve("alerts"))) {
      rules
          .filter(p -> p.toString().endsWith(".yaml"))
          .sorted()
          .forEach(p -> check.add(p.toString()));
    }
    Tool.Result checked = Tool.promtool().run(out, check);
    assertThat(checked.exit()).as("promtool check rules said:%n%s", checked.output()).isZero();

    Files.copy(
        Assets.root().resolve("mixin/tests/fleet_test.yaml"), out.resolve("fleet_test.yaml"));
    Tool.Result tested = Tool.promtool().run(out, List.of("test", "rules", "fleet_test.yaml"));
    assertThat(tested.exit()).as("promtool test rules said:%n%s", tested.output()).isZero();
  }

  @Test
  void theFleetExampleKeepsClustersApartInEveryRule() throws Exception {
    Path out = fleet;
    List<Path> files;
    try (Stream<Path> rules = Files.list(out.resolve("alerts"))) {
      files = rules.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    List<RulesFiles.Rule> rules = RulesFiles.rules(files);
    assertThat(rules).hasSameSizeAs(RulesFiles.rules(RulesFiles.production()));
    for (RulesFiles.Rule rule : rules) {
      assertKeepsClusters(rule.expr(), rule.toString());
    }
  }

  @Test
  void theFleetDashboardsShowOneSeriesPerCluster() throws Exception {
    Path out = fleet;
    Path dashboards = out.resolve("dashboards");
    List<DashboardExpressions.Expression> queries =
        new ArrayList<>(DashboardExpressions.all(dashboards, Map.of()));
    queries.addAll(DashboardExpressions.annotations(dashboards, Map.of()));
    assertThat(queries)
        .hasSize(
            DashboardExpressions.all(Assets.dashboards(), Map.of()).size()
                + DashboardExpressions.annotations(Assets.dashboards(), Map.of()).size());
    for (DashboardExpressions.Expression query : queries) {
      assertKeepsClusters(query.expr(), query.toString());
    }
    for (Path file : DashboardExpressions.files(dashboards)) {
      for (JsonNode panel : DashboardExpressions.panels(DashboardExpressions.read(file))) {
        for (JsonNode target : panel.path("targets")) {
          String legend = target.path("legendFormat").asString("");
          if (!legend.isEmpty() && !legend.equals("__auto")) {
            assertThat(legend).as("legend in %s", file).startsWith("{{cluster}} {{namespace}} ");
          }
        }
      }
    }
  }

  /** Every aggregation and every one-to-one match keeps cluster and namespace. */
  private static void assertKeepsClusters(String expr, String where) {
    Matcher aggregation = AGGREGATION.matcher(expr);
    while (aggregation.find()) {
      assertThat(aggregation.group(2))
          .as("%s: %s", where, aggregation.group())
          .isNotNull()
          .contains("cluster", "namespace");
    }
    Matcher matching = MATCHING.matcher(expr);
    while (matching.find()) {
      assertThat(matching.group(1))
          .as("%s: %s", where, matching.group())
          .contains("cluster", "namespace");
    }
  }

  /** The files under dir, as paths relative to it. */
  private static Set<String> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      Set<String> files = new TreeSet<>();
      walk.filter(Files::isRegularFile).forEach(p -> files.add(dir.relativize(p).toString()));
      return files;
    }
  }
}
