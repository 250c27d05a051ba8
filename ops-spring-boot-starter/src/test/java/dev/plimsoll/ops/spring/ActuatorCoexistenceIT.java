package dev.plimsoll.ops.spring;

import static dev.plimsoll.ops.testsupport.TestHttp.awaitStatus;
import static dev.plimsoll.ops.testsupport.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.spring.coexist.CoexistingApplication;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter added to an application that already runs Spring Boot Actuator with the Prometheus
 * registry, on Kubernetes, with a pooled {@code DataSource}, {@code management.metrics.*}
 * properties and health indicators of its own: everything the application had keeps working, and
 * Plimsoll's signals come on top. Spring Boot's behaviour relied on here is that of 4.1.1's {@code
 * MeterRegistryPostProcessor} (customizers and filters applied to every registry bean when it is
 * initialised, binders after every singleton), {@code PrometheusScrapeEndpoint} (reads the {@code
 * PrometheusRegistry} bean), {@code AvailabilityProbesAutoConfiguration} (liveness and readiness
 * groups on by default) and {@code ServletWebServerApplicationContext.doClose} (publishes {@code
 * REFUSING_TRAFFIC} before the lifecycle stops).
 */
class ActuatorCoexistenceIT {

  /** What such an application typically configures. */
  private static final List<String> EXISTING_SETUP =
      List.of(
          "--spring.main.cloud-platform=kubernetes",
          "--spring.application.name=coexist",
          "--spring.datasource.url=jdbc:h2:mem:coexist;DB_CLOSE_DELAY=-1",
          "--management.endpoints.web.exposure.include=health,prometheus",
          "--management.endpoint.health.group.readiness.include=readinessState,inventory",
          "--management.metrics.tags.team=x",
          "--management.metrics.distribution.slo.http.server.request.duration=123ms",
          // An API, configured as the README recommends: otherwise the starter's one deliberate
          // start-up warning (StaticResourceMappings: mappings with nothing to serve, the
          // path-scanner leak) is expected, and StaticResourceMappingsTest covers it.
          "--spring.web.resources.add-mappings=false");

  private static List<String> args(String... more) {
    return Stream.concat(EXISTING_SETUP.stream(), Stream.of(more)).toList();
  }

  /** The application in this JVM, with the existing setup and {@code more}. */
  private static ConfigurableApplicationContext run(String... more) {
    return new SpringApplication(CoexistingApplication.class)
        .run(args(more).toArray(String[]::new));
  }

  private static String base(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @Test
  void oneRegistryBothScrapesActuatorsPropertiesAndProbesInStepThroughTheDrain() throws Exception {
    List<String> arguments =
        args(
            "--server.port=0",
            "--management.metrics.enable.jvm=false",
            "--ops.shutdown.drain-delay=3s",
            "--ops.shutdown.timeout=5s");
    try (JavaProcess app =
        JavaProcess.startMain(CoexistingApplication.class, Map.of(), arguments)) {
      String port =
          Await.until(
              "the application to start",
              Duration.ofSeconds(90),
              () ->
                  app.stderr().stream()
                      .filter(line -> line.startsWith("READY "))
                      .map(line -> line.substring(6).trim())
                      .findFirst()
                      .orElseGet(
                          () -> {
                            assertThat(app.isAlive()).as("alive; stdout %s", app.stdout()).isTrue();
                            return null;
                          }));
      String base = "http://127.0.0.1:" + port;
      assertThat(get(base + "/hello").statusCode()).isEqualTo(200);
      assertThat(warnings(app))
          .as("no warning at startup (filters after meters, duplicate meters...)")
          .isEmpty();

      // Pool metrics from the start, before any query (Hikari's names and Spring Boot's, as
      // before).
      Scrape plimsoll =
          Await.until(
              "the pool's series",
              Duration.ofSeconds(20),
              () -> {
                Scrape scrape = Scrape.parse(get(base + "/metrics").body());
                return scrape.families().contains("hikaricp_connections_active") ? scrape : null;
              });
      // One registry: Actuator's scrape serves every series /metrics serves, and it is not empty.
      HttpResponse<String> actuatorResponse = get(base + "/actuator/prometheus");
      assertThat(actuatorResponse.statusCode()).isEqualTo(200);
      Scrape actuator = Scrape.parse(actuatorResponse.body());
      assertThat(plimsoll.families()).contains("http_server_request_duration_seconds");
      assertThat(actuator.families()).containsAll(plimsoll.families());
      assertThat(
              actuator.sum(
                  "http_server_request_duration_seconds_count", Map.of("http_route", "/hello")))
          .isEqualTo(1.0);

      // management.metrics.*: the common tag on every series, Plimsoll's included; no jvm_*
      // series; the distribution setting reached Plimsoll's own histogram.
      assertThat(plimsoll.samples()).isNotEmpty();
      assertThat(plimsoll.samples())
          .allSatisfy(sample -> assertThat(sample.label("team")).as(sample.name()).isEqualTo("x"));
      assertThat(plimsoll.families()).noneMatch(family -> family.startsWith("jvm_"));
      assertThat(plimsoll.samples("http_server_request_duration_seconds_bucket"))
          .anyMatch(sample -> "0.123".equals(sample.label("le")));
      assertThat(plimsoll.families()).contains("ops_build_info");

      // The application's own indicators are Plimsoll checks, in Actuator's groups.
      HttpResponse<String> ready = get(base + "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"inventory\"", "\"mailer\"", "\"database\"");
      assertThat(get(base + "/actuator/health/readiness").statusCode()).isEqualTo(200);
      assertThat(get(base + "/actuator/health/liveness").statusCode()).isEqualTo(200);
      post(base + "/inventory/down");
      awaitStatus(base + "/health/ready", 503, Duration.ofSeconds(10));
      awaitStatus(base + "/actuator/health/readiness", 503, Duration.ofSeconds(10));
      post(base + "/inventory/up");
      awaitStatus(base + "/health/ready", 200, Duration.ofSeconds(10));
      awaitStatus(base + "/actuator/health/readiness", 200, Duration.ofSeconds(10));

      // The drain on SIGTERM: both readiness paths 503, both liveness paths 200, exit 0.
      int warnedBefore = warnings(app).size(); // the inventory's downtime above was one
      app.sigterm();
      HttpResponse<String> draining =
          awaitStatus(base + "/health/ready", 503, Duration.ofSeconds(5));
      assertThat(draining.body()).containsAnyOf(HealthNames.DRAINING, "refusing_traffic");
      assertThat(get(base + "/actuator/health/readiness").statusCode()).isEqualTo(503);
      assertThat(get(base + "/actuator/health/liveness").statusCode()).isEqualTo(200);
      assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
      assertThat(app.waitFor(Duration.ofSeconds(60))).isZero();

      assertThat(warnings(app)).as("no warning during the drain").hasSize(warnedBefore);
      assertThat(app.stdout()).anyMatch(line -> line.contains("Drain complete"));
    }
  }

  @Test
  void eachGarbageCollectionIsCountedOnce() {
    try (ConfigurableApplicationContext context = run("--server.port=0")) {
      String base = base(context);
      double before = explicitCollections(base);
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      double counted =
          Await.until(
              "the three collections counted",
              Duration.ofSeconds(20),
              () -> {
                double now = explicitCollections(base) - before;
                return now >= 3 ? now : null;
              });
      assertThat(counted).isEqualTo(3.0);
    }
  }

  private static double explicitCollections(String base) {
    return Scrape.parse(get(base + "/actuator/prometheus").body())
        .sum("jvm_gc_pause_seconds_count", Map.of("cause", "System.gc()"));
  }

  @Test
  void aStoppedAndRestartedContextServesAtOnceWithoutTheDrain() throws Exception {
    try (ConfigurableApplicationContext context =
        run("--server.port=0", "--ops.shutdown.drain-delay=60s", "--ops.shutdown.budget=90s")) {
      Plimsoll plimsoll = context.getBean(Plimsoll.class);
      // Spring stops (and pauses) contexts without the JVM shutting down: a test context cache,
      // DevTools. The 60 s drain must not run then.
      CompletableFuture.runAsync(context::stop).get(30, TimeUnit.SECONDS);
      assertThat(plimsoll.shutdown().isDraining()).isFalse();
      context.start();
      String base = base(context);
      HttpResponse<String> ready = awaitStatus(base + "/health/ready", 200, Duration.ofSeconds(20));
      assertThat(ready.headers().firstValue("Connection")).isNotEqualTo(Optional.of("close"));
      assertThat(get(base + "/hello").headers().firstValue("Connection"))
          .isNotEqualTo(Optional.of("close"));
    }
  }

  @Test
  void opsManagementPortOnActuatorsManagementPortServesBothThere() {
    int management = FreePorts.find();
    try (ConfigurableApplicationContext context =
        run(
            "--server.port=0",
            "--management.server.port=" + management,
            "--ops.management.port=" + management)) {
      String main = base(context);
      String admin = "http://127.0.0.1:" + management;
      assertThat(get(main + "/hello").statusCode()).isEqualTo(200);
      assertThat(get(admin + "/metrics").statusCode()).isEqualTo(200);
      assertThat(get(admin + "/metrics").body()).contains("http_route=\"/hello\"");
      assertThat(get(admin + "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(admin + "/actuator/health").statusCode()).isEqualTo(200);
      assertThat(get(admin + "/actuator/prometheus").statusCode()).isEqualTo(200);
      assertThat(get(main + "/metrics").statusCode()).isEqualTo(404);
      assertThat(get(main + "/health/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void opsManagementPortApartFromBothServersServesMetricsThere() {
    int management = FreePorts.find();
    int ops = FreePorts.find();
    try (ConfigurableApplicationContext context =
        run(
            "--server.port=0",
            "--management.server.port=" + management,
            "--ops.management.port=" + ops)) {
      String main = base(context);
      assertThat(get("http://127.0.0.1:" + ops + "/metrics").statusCode()).isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + management + "/actuator/health").statusCode())
          .isEqualTo(200);
      assertThat(get(main + "/metrics").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void opsManagementPortOnTheServerPortIsOneClearConfigurationError() {
    int port = FreePorts.find();
    assertThatThrownBy(() -> run("--server.port=" + port, "--ops.management.port=" + port).close())
        .hasCauseInstanceOf(ConfigException.class)
        .cause()
        .hasMessageContaining("ops.management.port")
        .hasMessageContaining("server.port");
  }

  private static List<String> warnings(JavaProcess app) {
    List<String> output = new ArrayList<>(app.stdout());
    output.addAll(app.stderr());
    return output.stream()
        .filter(line -> line.contains("\"level\":\"WARN\"") || line.contains(" WARN "))
        .toList();
  }

  private static void post(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST " + url).isEqualTo(200);
  }
}
