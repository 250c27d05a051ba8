package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.LocalServices;
import dev.plimsoll.ops.testsupport.PrometheusServer;
import dev.plimsoll.ops.testsupport.Scrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and alerts against the live metrics of the example service: two versions of the
 * packaged service (the new one with its demo knobs injecting errors and slow requests), traffic
 * through their API, and a real Prometheus scraping both every second with every rule file loaded,
 * plus the test-only overlay {@code alerts/tests/live-overlay.yaml} (the same alerts over windows
 * of seconds, so they can fire within a test).
 */
class LiveAssetsIT {

  static final String SERVICE = "example-service";
  static final String OLD_VERSION = "1.0.0";
  static final String NEW_VERSION = "1.1.0";

  @TempDir static Path work;

  private static final List<JavaProcess> services = new ArrayList<>();
  private static final List<String> bases = new ArrayList<>();
  private static PrometheusServer prometheus;
  private static ExecutorService traffic;
  private static final AtomicBoolean driving = new AtomicBoolean(true);
  private static final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    LocalServices.requireExecutable("prometheus");
    Path jar = Assets.exampleServiceJar();
    assertThat(jar).as("the packaged example service (built before this module)").exists();
    services.add(service(jar, OLD_VERSION, Map.of()));
    services.add(
        service(
            jar,
            NEW_VERSION,
            Map.of(
                "TASKS_DEMO_ENABLED", "true",
                "TASKS_DEMO_ERROR_RATE", "0.5",
                "TASKS_DEMO_LATENCY", "600ms")));
    for (String base : bases) {
      Await.until(
          "the example service at " + base + " to be ready",
          Duration.ofSeconds(90),
          () -> status(base + "/health/ready") == 200);
    }
    List<String> targets = bases.stream().map(b -> b.substring("http://".length())).toList();
    prometheus = PrometheusServer.start("example-service", targets, ruleFiles(), work);
    traffic = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      traffic.submit(LiveAssetsIT::drive);
    }
    Await.until(
        "Prometheus to scrape both instances", Duration.ofSeconds(30), prometheus::targetsUp);
    // Rates over one minute need a few scrapes; the 5m recording rules, two.
    Await.until(
        "request rates in Prometheus",
        Duration.ofSeconds(60),
        () ->
            !prometheus.query("service_version:http_requests:rate5m").isEmpty()
                && prometheus.query("service_version:http_requests:rate5m").size() == 2);
  }

  @AfterAll
  static void stop() {
    driving.set(false);
    if (traffic != null) {
      traffic.shutdownNow();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    services.forEach(JavaProcess::close);
  }

  private static JavaProcess service(Path jar, String version, Map<String, String> extra)
      throws IOException {
    int port = FreePorts.find();
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put("OPS_SERVICE_VERSION", version);
    env.put("OPS_ENVIRONMENT", "test");
    env.put("OPS_SHUTDOWN_DRAIN_DELAY", "0s");
    env.put("OPS_HEALTH_SHOW_DETAILS", "true");
    bases.add("http://127.0.0.1:" + port);
    return JavaProcess.startJar(
        jar, env, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), List.of("--server.port=" + port));
  }

  /** Every rule file Prometheus loads in production, plus the test-only live overlay. */
  static List<Path> ruleFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> rules = Files.list(Assets.alerts())) {
      rules
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .forEach(files::add);
    }
    files.add(Assets.alerts().resolve("tests/live-overlay.yaml"));
    return files;
  }

  private static void drive() {
    while (driving.get()) {
      for (String base : bases) {
        try {
          HttpResponse<String> created =
              client.send(
                  HttpRequest.newBuilder(URI.create(base + "/tasks"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"live\"}"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          String id = created.body().replaceAll("(?s).*\"id\":(\\d+).*", "$1");
          status(base + "/tasks/" + (created.statusCode() == 201 ? id : "1"));
          status(base + "/tasks?limit=5");
          status(base + "/tasks/" + (1_000_000 + ThreadLocalRandom.current().nextInt(1000)));
        } catch (IOException | RuntimeException e) {
          // the service may be busy or stopping; keep driving
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static int status(String url) {
    try {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static Scrape scrape(String base) {
    try {
      return Scrape.parse(
          client
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyPanelExpressionReturnsData() {
    Map<String, String> variables =
        Map.of(
            "service",
            SERVICE,
            "instance",
            String.join("|", bases.stream().map(b -> b.substring(7)).toList()),
            "version",
            NEW_VERSION + "|" + OLD_VERSION,
            "__rate_interval",
            "1m",
            "__interval",
            "15s",
            "__range",
            "5m");
    List<DashboardExpressions.Expression> expressions =
        DashboardExpressions.all(Assets.dashboards(), variables);
    assertThat(expressions).as("panel expressions of the three dashboards").hasSizeGreaterThan(30);
    // Recording rules built on recording rules (the 30-day budgets) need a few evaluations more.
    List<String> empty = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    do {
      empty.clear();
      for (DashboardExpressions.Expression expression : expressions) {
        if (prometheus.query(expression.expr()).isEmpty()) {
          empty.add(expression.dashboard() + " / " + expression.panel() + ": " + expression.expr());
        }
      }
    } while (!empty.isEmpty() && System.nanoTime() < deadline && pause());
    assertThat(empty).as("panel expressions without data").isEmpty();
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

  @Test
  void everyMetricARuleOrPanelNamesIsInTheLiveScrape() throws IOException {
    Set<String> live = new TreeSet<>();
    for (String base : bases) {
      live.addAll(scrape(base).families());
    }
    Set<String> named = new TreeSet<>();
    for (Path rules : ruleFiles()) {
      named.addAll(PromQlNames.metricsInRuleFile(rules));
    }
    Map<String, String> none = Map.of();
    for (DashboardExpressions.Expression expression :
        DashboardExpressions.all(Assets.dashboards(), none)) {
      named.addAll(PromQlNames.metrics(expression.expr()));
    }
    assertThat(named).as("metrics named by rules and panels").hasSizeGreaterThan(20);
    List<String> missing = new ArrayList<>();
    for (String metric : named) {
      if (metric.contains(":")
          || metric.startsWith("kube_")
          || metric.equals("up")
          || metric.equals("ALERTS")
          || metric.equals("ALERTS_FOR_STATE")) {
        continue; // recording rules, kube-state-metrics and Prometheus' own series
      }
      if (live.stream().noneMatch(family -> PromQlNames.sameFamily(family, metric))) {
        missing.add(metric);
      }
    }
    assertThat(missing).as("metrics named by rules or panels but not scraped").isEmpty();
  }

  @Test
  void anErrorBurstBringsTheDeploymentAndSloAlertsToPendingOrFiring() {
    Set<String> active =
        Await.until(
            "the live-overlay alerts to become pending or firing",
            Duration.ofSeconds(90),
            () -> {
              Set<String> names = new TreeSet<>();
              for (Map<String, Object> alert : prometheus.alerts()) {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) alert.get("labels");
                names.add(labels.get("alertname"));
              }
              boolean deployment = names.stream().anyMatch(LiveOverlay::isErrorRatioAlert);
              boolean slo = names.stream().anyMatch(LiveOverlay::isSloAlert);
              return deployment && slo ? names : null;
            });
    assertThat(active).contains(LiveOverlay.ERROR_RATIO, LiveOverlay.SLO_FAST_BURN);
  }

  @Test
  void bothVersionsAreReportedSideBySide() {
    assertThat(prometheus.query("service_version:http_requests:rate5m")).hasSize(2);
    assertThat(prometheus.values("max by (service_version) (ops_build_info)")).hasSize(2);
  }
}
