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

  static final String SERVICE = ExampleServices.NAME;
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
    prometheus = PrometheusServer.start("example-service", targets, RulesFiles.all(), work);
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
    env.put("OPS_SHUTDOWN_DRAIN_DELAY", "0s");
    env.put("OPS_HEALTH_SHOW_DETAILS", "true");
    bases.add("http://127.0.0.1:" + port);
    return ExampleServices.start(jar, port, env);
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
  void everyPanelExpressionOutsideTheDeploymentsRowReturnsData() {
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
        new ArrayList<>(DashboardExpressions.all(Assets.dashboards(), variables));
    // The Deployments row needs rollouts and a rollback: LiveRolloutIT runs them and checks it.
    expressions.removeAll(
        DashboardExpressions.row(
            Assets.dashboards().resolve("service-overview.json"), "Deployments", variables));
    assertThat(expressions).as("panel expressions of the three dashboards").hasSizeGreaterThan(30);
    List<String> empty =
        LivePanels.withoutData(prometheus, expressions, expr -> expr, Duration.ofSeconds(30));
    assertThat(empty).as("panel expressions without data").isEmpty();
  }

  @Test
  void everyMetricARuleOrPanelNamesIsInTheLiveScrape() throws IOException {
    Set<String> live = new TreeSet<>();
    for (String base : bases) {
      live.addAll(scrape(base).families());
    }
    Set<String> named = new TreeSet<>();
    for (Path rules : RulesFiles.all()) {
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
  @SuppressWarnings("unchecked")
  void anErrorBurstBringsTheDeploymentAndSloAlertsToPendingOrFiring() {
    // Until the failing version's error-ratio alert fires (its `for` has passed), so that an alert
    // on the other version, whose ratio would have crossed the threshold as early, is there too.
    List<Map<String, String>> active =
        Await.until(
            "the live-overlay alerts to become pending or firing",
            Duration.ofSeconds(90),
            () -> {
              List<Map<String, Object>> alerts = prometheus.alerts();
              boolean slo =
                  alerts.stream()
                      .map(alert -> (Map<String, String>) alert.get("labels"))
                      .anyMatch(l -> LiveOverlay.isSloAlert(l.get("alertname")));
              boolean firing =
                  alerts.stream()
                      .filter(alert -> "firing".equals(alert.get("state")))
                      .map(alert -> (Map<String, String>) alert.get("labels"))
                      .anyMatch(l -> LiveOverlay.isErrorRatioAlert(l.get("alertname")));
              return slo && firing
                  ? alerts.stream().map(alert -> (Map<String, String>) alert.get("labels")).toList()
                  : null;
            });
    // The error-ratio alert names the version that fails, and only it: the old version's traffic
    // succeeds, so an alert on it would page for the wrong rollout.
    assertThat(active)
        .filteredOn(l -> LiveOverlay.isErrorRatioAlert(l.get("alertname")))
        .extracting(l -> l.get("service_version"))
        .containsOnly(NEW_VERSION);
  }

  @Test
  void bothVersionsAreReportedSideBySide() {
    assertThat(prometheus.query("service_version:http_requests:rate5m")).hasSize(2);
    assertThat(prometheus.values("max by (service_version) (ops_build_info)")).hasSize(2);
  }
}
