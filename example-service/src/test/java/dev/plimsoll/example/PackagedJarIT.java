package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.Commands;
import dev.plimsoll.ops.testsupport.Scrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The service as it ships: the repackaged jar started with {@code java -jar}, called over HTTP,
 * scraped, its standard output read as JSON lines, then stopped with a real SIGTERM. The methods
 * run in order against one process; the last ones look at how it shut down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedJarIT {

  private static final String DURATION_COUNT = "http_server_request_duration_seconds_count";

  /** How Spring Boot's Tomcat logs the start of its graceful shutdown. */
  private static final String SERVER_STOPS = "Commencing graceful shutdown";

  private final String createRequestId = "packaged-jar-it-" + UUID.randomUUID();
  private final String traceId = randomHex(16);
  private ServiceProcess service;
  private ServiceClient client;
  private long taskId;
  private String getRequestId;

  @BeforeAll
  void start() {
    service =
        ServiceProcess.start(
            Map.of("OPS_SHUTDOWN_DRAIN_DELAY", "1s", "OPS_SHUTDOWN_TIMEOUT", "5s"));
    client = service.client();
    service.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  @Order(0)
  void theServiceServesNoStaticFilesAndIsNotWarnedAboutThem() {
    // It turns the static-resource mappings off (application.yaml); were they on, the starter
    // would say so at startup (HeapLeakIT shows that line).
    assertThat(service.lines()).noneMatch(l -> l.contains("spring.web.resources.add-mappings"));
  }

  @Test
  @Order(1)
  void servesTheApiAndEchoesRequestIds() {
    HttpResponse<String> created =
        client.post("/tasks", "{\"title\":\"ship it\"}", "X-Request-ID", createRequestId);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(ServiceClient.requestId(created)).isEqualTo(createRequestId);
    taskId = ServiceClient.json(created).get("id").asLong();

    HttpResponse<String> got =
        client.get("/tasks/" + taskId, "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(ServiceClient.json(got).get("title").asString()).isEqualTo("ship it");
    getRequestId = ServiceClient.requestId(got);
    assertThat(getRequestId).matches(ServiceClient.GENERATED_ID);

    assertThat(client.get("/tasks/" + (taskId + 1_000_000)).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void metricsHaveRouteTemplatesAndTheCommonLabels() throws IOException {
    Map<String, String> common =
        Map.of(
            "service_name", "example-service",
            "service_version", jarVersion(),
            "deployment_environment", "development");
    Scrape scrape =
        Await.until(
            "the API calls in the request metric",
            Duration.ofSeconds(5),
            () -> {
              Scrape now = client.scrape();
              return now.sum(DURATION_COUNT, with(common, "POST", "/tasks", "201")) >= 1
                      && now.sum(DURATION_COUNT, with(common, "GET", "/tasks/{id}", "200")) >= 1
                      && now.sum(DURATION_COUNT, with(common, "GET", "/tasks/{id}", "404")) >= 1
                  ? now
                  : null;
            });
    assertThat(scrape.samples(DURATION_COUNT))
        .allSatisfy(
            s -> {
              assertThat(s.labels()).containsAllEntriesOf(common).containsKey("error_type");
              assertThat(s.label("http_route")).doesNotContain(Long.toString(taskId));
            });
    assertThat(scrape.samples("ops_build_info", common))
        .singleElement()
        .satisfies(
            info -> {
              assertThat(info.value()).isEqualTo(1.0);
              assertThat(info.labels()).containsEntry("vcs_revision", jarRevision());
            });
    assertThat(scrape.families()).contains("hikaricp_connections_active");
  }

  @Test
  @Order(3)
  void accessLogLinesCarryTheRequestIdAndATraceId() {
    JsonNode create = awaitAccessLog(createRequestId);
    assertThat(create.get("http.request.method").asString()).isEqualTo("POST");
    assertThat(create.get("http.route").asString()).isEqualTo("/tasks");
    assertThat(create.get("url.path").asString()).isEqualTo("/tasks");
    assertThat(create.get("http.response.status_code").asInt()).isEqualTo(201);
    assertThat(create.get("trace_id").asString()).matches("[0-9a-f]{32}").isNotEqualTo(traceId);
    assertThat(create.get("span_id").asString()).matches("[0-9a-f]{16}");
    assertThat(create.get("service.name").asString()).isEqualTo("example-service");
    assertThat(create.get("level").asString()).isEqualTo("INFO");

    JsonNode get = awaitAccessLog(getRequestId);
    assertThat(get.get("http.route").asString()).isEqualTo("/tasks/{id}");
    assertThat(get.get("url.path").asString()).isEqualTo("/tasks/" + taskId);
    assertThat(get.get("http.response.status_code").asInt()).isEqualTo(200);
    assertThat(get.get("trace_id").asString())
        .as("the trace of the incoming traceparent")
        .isEqualTo(traceId);

    assertThat(accessLog())
        .as("probes and scrapes are not access-logged")
        .extracting(line -> line.path("url.path").asString())
        .noneMatch(path -> path.startsWith("/health") || path.startsWith("/metrics"));
  }

  @Test
  @Order(4)
  void sigtermTakesReadinessDownDrainsAndExits() {
    service.sigterm();

    JsonNode draining =
        Await.until(
            "readiness 503 (draining) during the drain delay",
            Duration.ofSeconds(10),
            () -> {
              try {
                // Spring Boot refusing traffic turns readiness 503 a moment before the drain
                // names itself; both are the shutdown, the drain's reason comes within the delay.
                HttpResponse<String> ready = client.get("/health/ready");
                return ready.statusCode() == 503
                        && ServiceClient.json(ready).path("reason").asString().equals("draining")
                    ? ServiceClient.json(ready)
                    : null;
              } catch (UncheckedIOException notAnswering) {
                return null;
              }
            });
    assertThat(draining.get("reason").asString()).isEqualTo("draining");
    // Readiness turns down as Spring Boot refuses traffic, a moment before the drain itself
    // starts; a probe once it has started is served during the drain delay and counted.
    Await.until(
        "the drain to start",
        Duration.ofSeconds(10),
        () ->
            service.jsonLines().stream()
                .anyMatch(l -> l.path("message").asString().startsWith("Shutdown started")));
    assertThat(client.get("/health/ready").statusCode()).isEqualTo(503);

    int exit = service.awaitExit(Duration.ofSeconds(30));

    // Standard output is read on its own thread, which may still be catching up with the exit.
    List<JsonNode> lines =
        Await.until(
            "the drain summary and the web server's shutdown in standard output",
            Duration.ofSeconds(5),
            () -> {
              List<JsonNode> now = service.jsonLines();
              boolean summarised = now.stream().anyMatch(l -> l.has("shutdown.requests_drained"));
              boolean serverStopped =
                  now.stream().anyMatch(l -> l.path("message").asString().startsWith(SERVER_STOPS));
              return summarised && serverStopped ? now : null;
            });
    assertThat(lines)
        .filteredOn(line -> line.has("shutdown.phase"))
        .extracting(line -> line.get("shutdown.phase").asString())
        .containsSubsequence("readiness-down", "drain-delay", "in-flight");
    JsonNode summary =
        lines.stream()
            .filter(line -> line.has("shutdown.requests_drained"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no shutdown summary line"));
    assertThat(summary.get("message").asString()).startsWith("Drain complete");
    assertThat(summary.get("shutdown.requests_drained").asLong())
        .as("at least the readiness probe answered 503 after shutdown began")
        .isPositive();
    assertThat(summary.get("shutdown.requests_in_flight").asLong()).isZero();
    List<String> messages = lines.stream().map(line -> line.path("message").asString()).toList();
    int drained = messages.indexOf(summary.get("message").asString());
    int serverStops = indexOfFirst(messages, SERVER_STOPS);
    assertThat(serverStops)
        .as("the web server's graceful shutdown begins after the drain")
        .isGreaterThan(drained);
    assertThat(indexOfFirst(messages, "Listening sockets closed"))
        .as("Tomcat's listening sockets close between the drain and the graceful shutdown")
        .isGreaterThan(drained)
        .isLessThan(serverStops);
    // Tomcat logs through java.util.logging, which the JDK resets in a shutdown hook of its own
    // as the SIGTERM comes: without the bridge put back, these lines were lost.
    assertThat(indexOfFirst(messages, "Pausing ProtocolHandler"))
        .as("Tomcat's own line as the graceful shutdown pauses its connector")
        .isGreaterThan(serverStops);

    // Left alone, the JVM reports an exit caused by SIGTERM as 128 + 15 = 143 however cleanly its
    // shutdown hooks ran; the starter's ops.shutdown.exit-zero (on by default) halts with 0 once
    // Spring has closed the context after a drain that left no request running.
    assertThat(exit).as("exit status after SIGTERM and a clean drain").isZero();
  }

  /** Regression: the Spring Boot banner was printed as plain text before the JSON lines. */
  @Test
  @Order(5)
  void everyLineOnStandardOutputIsOneJsonObject() {
    assertThat(service.isAlive()).as("stopped by the SIGTERM test before").isFalse();
    assertThat(service.lines()).isNotEmpty();
    assertThat(service.notJson()).as("stdout lines that are not one JSON object").isEmpty();
  }

  private static int indexOfFirst(List<String> messages, String prefix) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no log line starting with '" + prefix + "' in " + messages);
  }

  private JsonNode awaitAccessLog(String requestId) {
    return Await.until(
        "the access-log line of request " + requestId,
        Duration.ofSeconds(5),
        () ->
            accessLog().stream()
                .filter(line -> requestId.equals(line.path("request_id").asString()))
                .findFirst()
                .orElse(null));
  }

  private List<JsonNode> accessLog() {
    return service.accessLog();
  }

  private static Map<String, String> with(
      Map<String, String> common, String method, String route, String status) {
    Map<String, String> labels = new HashMap<>(common);
    labels.put("http_request_method", method);
    labels.put("http_route", route);
    labels.put("http_response_status_code", status);
    return labels;
  }

  /**
   * The version the packaged jar must report: what {@code scripts/service-version.sh} (the image's
   * tag) says for the commit the build stamped into the manifest, which is the commit checked out.
   */
  private static String jarVersion() throws IOException {
    String revision = jarRevision();
    assertThat(Commands.run("git", "rev-parse", "HEAD"))
        .as("SCM-Revision of the jar: the commit it was built from")
        .isEqualTo(revision);
    String version =
        Commands.run(Path.of("..", "scripts", "service-version.sh").toString(), revision);
    assertThat(version)
        .as("a snapshot's version names its commit")
        .endsWith(revision.substring(0, 12));
    return version;
  }

  private static String jarRevision() throws IOException {
    try (JarFile file = new JarFile(ServiceProcess.jar().toFile())) {
      String revision = file.getManifest().getMainAttributes().getValue("SCM-Revision");
      assertThat(revision).as("SCM-Revision of the jar").matches("[0-9a-f]{40}");
      return revision;
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    random[0] |= 1; // never all zeros, which W3C trace context rejects
    return HexFormat.of().formatHex(random);
  }
}
