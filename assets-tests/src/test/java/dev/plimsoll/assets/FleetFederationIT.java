package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.LoadDriver;
import dev.plimsoll.ops.testsupport.LocalServices;
import dev.plimsoll.ops.testsupport.PrometheusServer;
import dev.plimsoll.ops.testsupport.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mixin's fleet example (mixin/examples/fleet.jsonnet) on a fleet: two "clusters", each an
 * example service scraped by its own Prometheus (external label {@code cluster}) that evaluates the
 * generated rules, and a global Prometheus federating both, as a global view over per-cluster
 * Prometheus servers does. Every panel query of the generated dashboards, run on the global one,
 * returns one series per cluster (or per cluster and what the panel splits by), never their sum.
 */
class FleetFederationIT {

  static final String SERVICE = "example-service";
  static final String VERSION = "1.0.0";
  static final List<String> CLUSTERS = List.of("eu", "us");

  /**
   * Panels of rollouts and rollbacks: each cluster runs one version, so no rollout happened and
   * they have no series at all (LiveAssetsIT sees them with two versions).
   */
  static final Set<String> ROLLOUT_PANELS =
      Set.of(
          "Deployment success (30d)",
          "Last rollout duration",
          "Last time to roll back",
          "Rollout in progress");

  @TempDir static Path work;

  private static final List<JavaProcess> services = new ArrayList<>();
  private static final List<LoadDriver> load = new ArrayList<>();
  private static final List<PrometheusServer> clusters = new ArrayList<>();
  private static final List<String> instances = new ArrayList<>();
  private static PrometheusServer global;
  private static Path generated;

  @BeforeAll
  static void start() throws Exception {
    LocalServices.requireExecutable("prometheus");
    generated = work.resolve("fleet");
    Mixin.generate(generated, Mixin.FLEET);
    Path jar = Assets.exampleServiceJar();
    assertThat(jar).as("the packaged example service (built before this module)").exists();
    List<Path> rules;
    try (Stream<Path> files = Files.list(generated.resolve("alerts"))) {
      rules = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (String cluster : CLUSTERS) {
      int port = FreePorts.find();
      instances.add("127.0.0.1:" + port);
      services.add(
          JavaProcess.startJar(
              jar,
              Map.of(
                  "OPS_SERVICE_VERSION", VERSION,
                  "OPS_ENVIRONMENT", "test",
                  "OPS_SHUTDOWN_DRAIN_DELAY", "0s",
                  "TASKS_DEMO_ENABLED", "true",
                  "TASKS_DEMO_ERROR_RATE", cluster.equals("us") ? "0.5" : "0.01",
                  "TASKS_DEMO_LATENCY", "600ms"),
              List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
              List.of("--server.port=" + port)));
    }
    for (int i = 0; i < CLUSTERS.size(); i++) {
      String base = "http://" + instances.get(i);
      Await.until(
          "the example service at " + base + " to be ready",
          Duration.ofSeconds(90),
          () -> ready(base + "/health/ready"));
      int port = Integer.parseInt(instances.get(i).substring("127.0.0.1:".length()));
      load.add(LoadDriver.builder(port, "/tasks?limit=5").concurrency(2).start());
      clusters.add(
          PrometheusServer.start(
              clusterConfig(CLUSTERS.get(i), instances.get(i), rules),
              work.resolve("prometheus-" + CLUSTERS.get(i))));
    }
    global = PrometheusServer.start(globalConfig(), work.resolve("prometheus-global"));
    Await.until(
        "request rates of both clusters in the global Prometheus",
        Duration.ofSeconds(90),
        () ->
            clustersIn(global.query("service_version:http_requests:rate5m"))
                .equals(Set.copyOf(CLUSTERS)));
  }

  @AfterAll
  static void stop() {
    load.forEach(LoadDriver::close);
    if (global != null) {
      global.close();
    }
    clusters.forEach(PrometheusServer::close);
    services.forEach(JavaProcess::close);
  }

  /** One cluster's Prometheus: its service as a plimsoll-* job, the fleet rules, its name. */
  private static String clusterConfig(String cluster, String target, List<Path> rules) {
    StringBuilder config =
        new StringBuilder()
            .append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
            .append("  external_labels:\n    cluster: ")
            .append(cluster)
            .append("\nrule_files:\n");
    rules.forEach(r -> config.append("  - '").append(r.toAbsolutePath()).append("'\n"));
    return config
        .append("scrape_configs:\n  - job_name: plimsoll-example\n")
        .append("    static_configs:\n      - targets: ['")
        .append(target)
        .append("']\n")
        .toString();
  }

  /**
   * The global view: /federate of each cluster's Prometheus, which adds its external labels, for
   * the services' own series and the recorded ones (honor_labels keeps job and instance).
   */
  private static String globalConfig() {
    StringBuilder config =
        new StringBuilder()
            .append("global:\n  scrape_interval: 1s\n")
            .append("scrape_configs:\n  - job_name: federate\n    honor_labels: true\n")
            .append("    metrics_path: /federate\n    params:\n      'match[]':\n")
            .append("        - '{job=~\"plimsoll-.*\"}'\n")
            .append("        - '{__name__=~\".+:.+\"}'\n")
            .append("    static_configs:\n      - targets: [");
    for (int i = 0; i < clusters.size(); i++) {
      config.append(i == 0 ? "'" : ", '").append(clusters.get(i).url().substring(7)).append("'");
    }
    return config.append("]\n").toString();
  }

  @Test
  void everyPanelOfTheFleetDashboardsShowsEachClusterApart() {
    Map<String, String> variables = new HashMap<>(DashboardExpressions.BUILT_IN_DEFAULTS);
    variables.put("service", SERVICE);
    variables.put("instance", String.join("|", instances));
    variables.put("version", VERSION);
    List<DashboardExpressions.Expression> expressions =
        DashboardExpressions.all(generated.resolve("dashboards"), variables);
    assertThat(expressions).as("panel expressions of the fleet dashboards").hasSizeGreaterThan(30);
    Map<String, Set<String>> wrong = new TreeMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    do {
      wrong.clear();
      for (DashboardExpressions.Expression expression : expressions) {
        Set<String> seen = clustersIn(global.query(expression.expr()));
        boolean quiet = seen.isEmpty() && ROLLOUT_PANELS.contains(expression.panel());
        if (!seen.equals(Set.copyOf(CLUSTERS)) && !quiet) {
          wrong.put(
              expression.dashboard() + " / " + expression.panel() + ": " + expression.expr(), seen);
        }
      }
    } while (!wrong.isEmpty() && System.nanoTime() < deadline && pause());
    assertThat(wrong).as("panel expressions without a series for each cluster").isEmpty();
  }

  @Test
  void theFailingClusterAloneHasAHighErrorRatio() {
    Map<String, Double> ratio =
        // The first ratios rest on a handful of requests (50% injected errors can read 1 in 6):
        // wait for the failing cluster's to show, then hold the healthy one to its bound.
        Await.until(
            "both clusters' error ratios, the failing one's above 0.2",
            Duration.ofSeconds(90),
            () -> {
              Map<String, Double> byCluster = new TreeMap<>();
              for (Map<String, Object> sample :
                  global.query("service:http_request_error_ratio:rate5m")) {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) sample.get("metric");
                List<?> value = (List<?>) sample.get("value");
                byCluster.put(
                    labels.get("cluster"), Double.parseDouble(String.valueOf(value.get(1))));
              }
              return byCluster.keySet().equals(Set.copyOf(CLUSTERS)) && byCluster.get("us") > 0.2
                  ? byCluster
                  : null;
            });
    assertThat(ratio.get("us")).isGreaterThan(0.2);
    assertThat(ratio.get("eu")).isLessThan(0.2);
  }

  /** The values of the cluster label of a query's result; "" for a series without one. */
  private static Set<String> clustersIn(List<Map<String, Object>> result) {
    Set<String> seen = new TreeSet<>();
    for (Map<String, Object> sample : result) {
      @SuppressWarnings("unchecked")
      Map<String, String> labels = (Map<String, String>) sample.get("metric");
      seen.add(labels.getOrDefault("cluster", ""));
    }
    return seen;
  }

  private static boolean ready(String url) {
    try {
      return TestHttp.get(url).statusCode() == 200;
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  private static boolean pause() {
    try {
      Thread.sleep(1000);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
