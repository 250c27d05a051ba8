package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.logging.LogFields;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.HaproxyServer;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.LoadDriver;
import dev.plimsoll.ops.testsupport.LocalServices;
import dev.plimsoll.ops.testsupport.PrometheusServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling deployment, live: three instances of the packaged example service behind a real HAProxy
 * that health-checks {@code /health/ready}, under steady client load through HAProxy, and a real
 * Prometheus with every rule file (plus the test-only overlay of short windows) scraping every
 * instance. Version A is replaced one instance at a time by version B (start the new instance, wait
 * until HAProxy has it up, SIGTERM an old one: it drains and exits), B by a bad version C (the demo
 * fault knobs answer 20 % of requests with a 500), and C rolled back to B the same way.
 *
 * <p>A, B and C are three builds of one Maven version from three commits: copies of the packaged
 * jar whose manifests carry three {@code SCM-Revision}s. Nothing sets {@code OPS_SERVICE_VERSION};
 * each instance derives its version from its build.
 *
 * <p>The scenario runs once, before the tests; each test judges one thing it showed.
 */
class LiveRolloutIT {

  static final String SERVICE = ExampleServices.NAME;
  static final int INSTANCES = 3;
  static final String LOAD_PATH = "/tasks?limit=5";

  /** Longer than HAProxy needs to see readiness fail (2 checks, 500 ms apart). */
  static final Duration DRAIN_DELAY = Duration.ofSeconds(3);

  @TempDir static Path work;

  private static final List<Instance> serving = new ArrayList<>();
  private static final List<Instance> everyInstance = new ArrayList<>();
  private static final Map<String, Phase> phases = new LinkedHashMap<>();
  private static final Map<String, Map<CanaryGates.Query, Double>> gates = new LinkedHashMap<>();
  private static final Map<String, Throwable> gateProblems = new LinkedHashMap<>();
  private static Version a;
  private static Version b;
  private static Version c;
  private static Instant runStart;
  private static Instant runEnd;
  private static PrometheusServer prometheus;
  private static HaproxyServer haproxy;
  private static LoadDriver load;

  /**
   * A build: its jar, the revision in its manifest, the version its instances must report and the
   * environment they run in.
   */
  record Version(
      String name,
      Path jar,
      String revision,
      String serviceVersion,
      Map<String, String> environment) {}

  /** A running instance and the HAProxy slot it is in. */
  record Instance(Version version, int port, JavaProcess process, String slot, Instant started) {}

  /**
   * One replacement of an instance.
   *
   * @param readyAfter from the new instance's start to HAProxy reporting it up
   * @param oldOut the last health check of the old instance when HAProxy marked it down: its result
   *     and HTTP status, such as {@code L7STS 503} (readiness said draining) or {@code L4CON 0} (it
   *     no longer accepted connections)
   * @param oldAliveWhenOut whether the old instance was still running then
   * @param oldExit the old instance's exit status
   */
  record Step(
      String from,
      String to,
      Duration readyAfter,
      String oldOut,
      boolean oldAliveWhenOut,
      int oldExit) {}

  /**
   * One rollout: from before its first new instance started to its last old instance's exit, and
   * when Prometheus saw one version again.
   */
  record Phase(
      String name,
      Instant start,
      Instant end,
      Instant settled,
      LoadDriver.Result load,
      long lbRetries,
      long lbRedispatches,
      List<Step> steps) {

    Duration duration() {
      return Duration.between(start, end);
    }
  }

  @BeforeAll
  static void rollOutAndBack() throws Exception {
    LocalServices.requireExecutable("prometheus");
    LocalServices.requireExecutable("haproxy", HaproxyServer.INSTALL);
    Path jar = Assets.exampleServiceJar();
    assertThat(jar).as("the packaged example service (built before this module)").exists();
    a = version("A", jar, Map.of());
    b = version("B", jar, Map.of());
    c = version("C", jar, Map.of("TASKS_DEMO_ENABLED", "true", "TASKS_DEMO_ERROR_RATE", "0.2"));

    runStart = Instant.now();
    // Prometheus scrapes every instance the run starts, each added as a target when it starts
    // and kept after it stops, as static targets that come and go.
    prometheus = PrometheusServer.start(SERVICE, List.of(), RulesFiles.all(), work);
    haproxy = HaproxyServer.start("/health/ready", INSTANCES + 1, work);
    List<Instance> first = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      first.add(launch(a));
    }
    for (Instance instance : first) {
      awaitUp(instance);
      serving.add(instance);
    }
    load =
        LoadDriver.builder(haproxy.port(), LOAD_PATH)
            .concurrency(4)
            .keepAlive(true)
            .interval(Duration.ofMillis(40))
            .requestIdPrefix("rollout-")
            .start();
    Await.until(
        "Prometheus to see version A's requests",
        Duration.ofSeconds(60),
        () -> !prometheus.query(requestRate(a)).isEmpty());

    rollOut("A→B", b);
    judgeGates(b);
    rollOut("B→C", c);
    judgeGates(c);
    rollOut("C→B", b);
    load.stop(Duration.ofSeconds(10));
    runEnd = Instant.now();
    System.out.println(summary());
  }

  @AfterAll
  static void stop() {
    if (load != null) {
      load.close();
    }
    everyInstance.forEach(i -> i.process().close());
    if (haproxy != null) {
      haproxy.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private static Version version(String name, Path jar, Map<String, String> environment)
      throws IOException {
    String revision = revision(name);
    Path copy = RevisionStamp.copy(jar, revision, work.resolve("example-service-" + name + ".jar"));
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put("OPS_SHUTDOWN_DRAIN_DELAY", DRAIN_DELAY.toSeconds() + "s");
    return new Version(name, copy, revision, serviceVersion(copy, revision), env);
  }

  /**
   * The version the service derives from its manifest: {@code Implementation-Version}, and for a
   * snapshot the first 12 hex digits of the revision after a dash.
   */
  private static String serviceVersion(Path jar, String revision) throws IOException {
    String version;
    try (JarFile file = new JarFile(jar.toFile())) {
      version = file.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
    return version.endsWith("-SNAPSHOT") ? version + "-" + revision.substring(0, 12) : version;
  }

  /** A made-up commit: 40 hex digits, different for each build. */
  private static String revision(String name) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest(("plimsoll live rollout " + name).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts an instance of {@code version} and puts it behind HAProxy, which judges it. */
  private static Instance launch(Version version) throws IOException {
    int port = FreePorts.find();
    prometheus.addTarget("127.0.0.1:" + port);
    Instant started = Instant.now();
    JavaProcess process = ExampleServices.start(version.jar(), port, version.environment());
    String slot = haproxy.attach(port);
    Instance instance = new Instance(version, port, process, slot, started);
    everyInstance.add(instance);
    return instance;
  }

  private static Duration awaitUp(Instance instance) {
    Await.until(
        "HAProxy to report " + describe(instance) + " up",
        Duration.ofSeconds(120),
        () -> {
          if (!instance.process().isAlive()) {
            throw new AssertionError(
                describe(instance) + " exited: " + tail(instance.process().stdout()));
          }
          return haproxy.isUp(instance.slot());
        });
    return Duration.between(instance.started(), Instant.now());
  }

  /**
   * Starts an instance of {@code to}, waits until HAProxy has it up, then SIGTERMs {@code old} and
   * waits for HAProxy to mark it down and for it to exit.
   */
  private static Step replace(Instance old, Version to) throws Exception {
    Instance fresh = launch(to);
    Duration ready = awaitUp(fresh);
    serving.add(fresh);
    old.process().sigterm();
    HaproxyServer.Server out =
        Await.until(
            "HAProxy to mark " + describe(old) + " down",
            Duration.ofSeconds(30),
            () -> {
              HaproxyServer.Server server = haproxy.servers().get(old.slot());
              return server.isDown() ? server : null;
            });
    boolean aliveWhenOut = old.process().isAlive();
    int exit = old.process().waitFor(Duration.ofSeconds(60));
    haproxy.detach(old.slot());
    serving.remove(old);
    return new Step(
        describe(old),
        describe(fresh),
        ready,
        out.checkStatus() + " " + out.checkCode(),
        aliveWhenOut,
        exit);
  }

  private static void rollOut(String name, Version to) throws Exception {
    LoadDriver.Result before = load.result();
    HaproxyServer.Server lbBefore = haproxy.backend();
    Instant start = Instant.now();
    List<Step> steps = new ArrayList<>();
    for (Instance old : List.copyOf(serving)) {
      steps.add(replace(old, to));
    }
    Instant end = Instant.now();
    Await.until(
        "Prometheus to see only version " + to.name() + " after " + name,
        Duration.ofSeconds(30),
        () ->
            prometheus
                .values(
                    "count(count by (service_version) (ops_build_info{service_name=\""
                        + SERVICE
                        + "\"}))")
                .equals(List.of(1.0)));
    Instant settled = Instant.now();
    HaproxyServer.Server lbAfter = haproxy.backend();
    phases.put(
        name,
        new Phase(
            name,
            start,
            end,
            settled,
            load.result().since(before),
            lbAfter.retries() - lbBefore.retries(),
            lbAfter.redispatches() - lbBefore.redispatches(),
            steps));
  }

  /**
   * Runs the gates for {@code version} while it serves alone; what goes wrong is kept for the gate
   * test, so that the rest of the run still happens.
   */
  private static void judgeGates(Version version) {
    try {
      gates.put(version.name(), gateResults(version));
    } catch (RuntimeException | AssertionError e) {
      gateProblems.put(version.name(), e);
    }
  }

  /** Every gate query's single result for {@code version}, once each has data. */
  private static Map<CanaryGates.Query, Double> gateResults(Version version) {
    List<CanaryGates.Query> queries = CanaryGates.all(SERVICE, version.serviceVersion());
    return Await.until(
        "every canary gate query to return a result for version " + version.name(),
        Duration.ofSeconds(90),
        () -> {
          Map<CanaryGates.Query, Double> results = new LinkedHashMap<>();
          for (CanaryGates.Query query : queries) {
            List<Double> values = prometheus.values(query.query());
            if (values.isEmpty()) {
              return null; // inconclusive: no data yet
            }
            assertThat(values).as("one result of " + query).hasSize(1);
            results.put(query, values.get(0));
          }
          return results;
        });
  }

  private static String requestRate(Version version) {
    return "sum(rate(http_server_request_duration_seconds_count{service_name=\""
        + SERVICE
        + "\",service_version=\""
        + version.serviceVersion()
        + "\"}[10s])) > 0";
  }

  private static String kpi(String record) {
    return record + "{service_name=\"" + SERVICE + "\"}";
  }

  private static String describe(Instance instance) {
    return instance.version().name() + "@" + instance.port();
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  /** The whole run, for the test output and docs/reliability.md. */
  private static String summary() {
    StringBuilder out =
        new StringBuilder("Live rollout, ")
            .append(Duration.between(runStart, runEnd).toSeconds())
            .append(" s:\n");
    for (Phase phase : phases.values()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %s: %.1f s, %s; HAProxy retries=%d redispatches=%d%n",
              phase.name(),
              phase.duration().toMillis() / 1000.0,
              phase.load().summary(),
              phase.lbRetries(),
              phase.lbRedispatches()));
      for (Step step : phase.steps()) {
        out.append("    ").append(step).append('\n');
      }
    }
    gates.forEach(
        (version, results) ->
            results.forEach(
                (q, v) ->
                    out.append("  gate ")
                        .append(version)
                        .append(' ')
                        .append(q.source())
                        .append(' ')
                        .append(q.name())
                        .append(" = ")
                        .append(v)
                        .append('\n')));
    return out.toString();
  }

  @Test
  void noClientRequestFailsWhileInstancesAreReplaced() {
    assertThat(phases).containsOnlyKeys("A→B", "B→C", "C→B");
    for (Phase phase : phases.values()) {
      LoadDriver.Result result = phase.load();
      assertThat(result.sent()).as(phase.name() + ": requests sent").isGreaterThan(500);
      assertThat(result.unanswered())
          .as(phase.name() + ": requests whose connection closed without an answer")
          .isEmpty();
      assertThat(result.refused()).as(phase.name() + ": connections refused").isZero();
      assertThat(result.connectionFailures())
          .as(phase.name() + ": requests that failed without an HTTP status")
          .isEmpty();
    }
    LoadDriver.Result forward = phases.get("A→B").load();
    assertThat(forward.failures()).as("A→B: failed requests").isEmpty();
    assertThat(forward.responses(200, 299))
        .as("A→B: every response is a 2xx")
        .isEqualTo(forward.responses(100, 599))
        .isPositive();
    // While C serves, a fifth of its answers are the injected 500. Every 5xx of B→C and of the
    // rollback must be one of those: answered with a 500 by an instance of C, none by B, none by
    // HAProxy for want of a server.
    Map<String, String> injected = answeredWith500();
    for (String withC : List.of("B→C", "C→B")) {
      LoadDriver.Result result = phases.get(withC).load();
      assertThat(result.statuses().keySet()).as(withC + ": statuses").containsOnly(200, 500);
      assertThat(answeredBy(result, injected))
          .as(withC + ": who answered each 500")
          .containsOnlyKeys("C");
    }
  }

  /** The request IDs the instances logged as answered with a 500, with the answering version. */
  private static Map<String, String> answeredWith500() {
    Pattern id = Pattern.compile("\"" + LogFields.REQUEST_ID + "\":\"([^\"]+)\"");
    Pattern status =
        Pattern.compile("\"" + Pattern.quote(LogFields.HTTP_RESPONSE_STATUS_CODE) + "\":\"?500\\b");
    Map<String, String> answered = new HashMap<>();
    for (Instance instance : everyInstance) {
      for (String line : instance.process().stdout()) {
        Matcher request = id.matcher(line);
        if (status.matcher(line).find() && request.find()) {
          answered.put(request.group(1), instance.version().name());
        }
      }
    }
    return answered;
  }

  /** How many of a phase's 5xx each version answered; {@code none} for those no instance logged. */
  private static Map<String, Long> answeredBy(LoadDriver.Result result, Map<String, String> ids) {
    Map<String, Long> by = new TreeMap<>();
    for (String failure : result.failures()) {
      String id = failure.substring(0, failure.indexOf(':'));
      by.merge(ids.getOrDefault(id, "none"), 1L, Long::sum);
    }
    return by;
  }

  @Test
  void eachOldInstanceLeavesTheBalancerByItsReadinessThenExitsCleanly() {
    for (Phase phase : phases.values()) {
      assertThat(phase.steps()).as(phase.name()).hasSize(INSTANCES);
      for (Step step : phase.steps()) {
        assertThat(step.oldOut())
            .as(step + ": HAProxy's last check of the old instance when it marked it down")
            .isEqualTo("L7STS 503");
        assertThat(step.oldAliveWhenOut())
            .as(step + ": the old instance still ran when HAProxy marked it down")
            .isTrue();
        assertThat(step.oldExit()).as(step + ": exit status after SIGTERM").isZero();
      }
    }
  }

  @Test
  void threeBuildsOfOneMavenVersionAreThreeVersions() throws IOException {
    String range = rangeOfRun();
    List<Map<String, Object>> builds =
        prometheus.query(
            "group by (service_version, vcs_revision) (last_over_time(ops_build_info{service_name=\""
                + SERVICE
                + "\"}"
                + range
                + "))");
    Set<String> seen = new TreeSet<>();
    for (Map<String, Object> build : builds) {
      @SuppressWarnings("unchecked")
      Map<String, String> labels = (Map<String, String>) build.get("metric");
      seen.add(labels.get("service_version") + " " + labels.get("vcs_revision"));
    }
    Set<String> expected = new TreeSet<>();
    for (Version version : List.of(a, b, c)) {
      expected.add(version.serviceVersion() + " " + version.revision());
    }
    assertThat(seen).as("ops_build_info's (service_version, vcs_revision)").isEqualTo(expected);
    Set<String> requestVersions = versions("http_server_request_duration_seconds_count", range);
    assertThat(requestVersions)
        .as("versions with request series")
        .containsExactlyInAnyOrder(a.serviceVersion(), b.serviceVersion(), c.serviceVersion());
  }

  @Test
  void theKpiRulesReportEachRolloutAndTheRollback() {
    Await.until(
        "the KPI rules to report the rollback",
        Duration.ofSeconds(60),
        () -> prometheus.values(kpi("service:rolled_back:bool")).equals(List.of(1.0)));
    assertThat(prometheus.values(kpi("service:rollouts:count1d")))
        .as("rollouts in the last day: A→B, B→C and the rollback C→B")
        .containsExactly(3.0);
    for (Phase phase : phases.values()) {
      assertMeasures(
          recordedDuration("service:rollout_duration_seconds", phase),
          phase,
          phase.name() + ": the last service:rollout_duration_seconds");
    }
    Instant afterAToB = phases.get("A→B").settled().plusSeconds(2);
    Instant afterBToC = phases.get("B→C").settled().plusSeconds(2);
    assertThat(prometheus.values(kpi("service:rolled_back:bool"), afterAToB))
        .as("rolled back after A→B")
        .containsExactly(0.0);
    assertThat(prometheus.values(kpi("service:rolled_back:bool"), afterBToC))
        .as("rolled back after B→C")
        .containsExactly(0.0);
    assertThat(prometheus.values(kpi("service:rolled_back:bool")))
        .as("rolled back after C→B")
        .containsExactly(1.0);
    assertThat(prometheus.values(kpi("service:rollbacks:count1d")))
        .as("rollbacks in the last day")
        .containsExactly(1.0);
    List<Double> rollback = prometheus.values(kpi("service:rollback_duration_seconds"));
    assertThat(rollback).as("service:rollback_duration_seconds").hasSize(1);
    assertMeasures(rollback.get(0), phases.get("C→B"), "service:rollback_duration_seconds");
  }

  /**
   * A recorded duration against the test's own measure of {@code phase}. The rule counts from the
   * first new instance's JVM start (just after the test's start mark) to the last evaluation that
   * saw two versions (the last old instance stops answering scrapes when its listener closes,
   * before the test sees it exit), to a scrape and an evaluation (1 s each): it may fall short of
   * the measure by the old instance's last seconds, never exceed it by more than 3 s.
   */
  private static void assertMeasures(double recorded, Phase phase, String what) {
    double measured = phase.duration().toMillis() / 1000.0;
    System.out.printf(Locale.ROOT, "%s: %.1f s, measured %.1f s%n", what, recorded, measured);
    assertThat(recorded)
        .as(what + " against the measured " + measured + " s")
        .isBetween(measured - 10, measured + 3);
  }

  @Test
  void theCanaryGatesPassVersionBAndFailVersionC() {
    assertThat(gateProblems).as("problems running the gates").isEmpty();
    Map<CanaryGates.Query, Double> forB = gates.get("B");
    Map<CanaryGates.Query, Double> forC = gates.get("C");
    assertThat(forB).as("gate queries for B").isNotEmpty();
    assertThat(forB.values()).as("every gate query for B: " + forB).allMatch(v -> v == 1.0);
    Map<String, Double> errorGatesC = new TreeMap<>();
    forC.forEach(
        (query, value) -> {
          if (query.name().contains("error") || query.name().contains("success")) {
            errorGatesC.put(query.source() + " " + query.name(), value);
          }
        });
    assertThat(errorGatesC)
        .as("error gates of both templates for C: " + forC)
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy((name, value) -> assertThat(value).as(name).isEqualTo(0.0));
  }

  @Test
  void theErrorAlertsFireForVersionCAndStaySilentForB() throws IOException {
    for (String alert : List.of(LiveOverlay.ERROR_RATIO, LiveOverlay.ERROR_RATIO_REGRESSION)) {
      assertThat(alertVersions(alert, "firing"))
          .as(alert + " firing, by version, over the run")
          .containsExactly(c.serviceVersion());
      assertThat(alertVersions(alert, "pending|firing"))
          .as(alert + " pending or firing, by version, over the run")
          .doesNotContain(b.serviceVersion(), a.serviceVersion());
    }
  }

  /**
   * Every panel of the Deployments row shows something over the run, as Grafana draws it over a
   * time range: its expression has a value at some second of the run ("rollout in progress" has one
   * only while a rollout runs).
   */
  @Test
  void everyPanelOfTheDeploymentsRowReturnsData() {
    Map<String, String> variables =
        Map.of(
            "service",
            SERVICE,
            "instance",
            String.join("|", everyInstance.stream().map(i -> "127.0.0.1:" + i.port()).toList()),
            "version",
            String.join("|", a.serviceVersion(), b.serviceVersion(), c.serviceVersion()));
    List<DashboardExpressions.Expression> expressions =
        DashboardExpressions.row(
            Assets.dashboards().resolve("service-overview.json"), "Deployments", variables);
    assertThat(expressions).as("panel expressions of the Deployments row").hasSizeGreaterThan(5);
    String range = rangeOfRun(":1s");
    List<String> empty =
        LivePanels.withoutData(
            prometheus,
            expressions,
            expr -> "last_over_time((" + expr + ")" + range + ")",
            Duration.ofSeconds(20));
    assertThat(empty).as("Deployments panel expressions without data during the run").isEmpty();
  }

  private static double recordedDuration(String record, Phase phase) {
    Instant at = phase.settled().plusSeconds(2);
    long window = Duration.between(phase.start(), at).toSeconds() + 1;
    List<Double> values =
        prometheus.values("last_over_time(" + kpi(record) + "[" + window + "s])", at);
    assertThat(values).as(record + " during " + phase.name()).hasSize(1);
    return values.get(0);
  }

  private static Set<String> alertVersions(String alert, String states) {
    return versions(
        "ALERTS{alertname=\""
            + alert
            + "\",alertstate=~\""
            + states
            + "\",service_name=\""
            + SERVICE
            + "\"}",
        rangeOfRun());
  }

  private static Set<String> versions(String selector, String range) {
    Set<String> versions = new TreeSet<>();
    for (Map<String, Object> series :
        prometheus.query("group by (service_version) (last_over_time(" + selector + range + "))")) {
      @SuppressWarnings("unchecked")
      Map<String, String> labels = (Map<String, String>) series.get("metric");
      versions.add(labels.get("service_version"));
    }
    return versions;
  }

  private static String rangeOfRun() {
    return rangeOfRun("");
  }

  /**
   * A range covering the whole run, with {@code resolution} (such as {@code :1s}) for subqueries.
   */
  private static String rangeOfRun(String resolution) {
    return "["
        + (Duration.between(runStart, Instant.now()).toSeconds() + 10)
        + "s"
        + resolution
        + "]";
  }
}
